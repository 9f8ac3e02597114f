"""The client's forms, read by WTForms: onboarding's "about you" and the choice of a starter program, the safety
check and its confirmation, the next-morning check, a small step on Today (the trainer's client page posts the same
fields), and the re-rating of everyday activities on History.

A form reads and checks what was typed, and hands the service plain values (numbers, days of the week, a date);
the service applies the rules that need the database. CSRFProtect checks the token on every post, as it does for
every form of the app; the pages write their own markup, keep the person's text and show each error beside its
field.

The field classes (`OneText`, `WholeNumber`, `Choice`, `IdList`) are the app's shared ones (`formfields.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from wtforms import Form, StringField
from wtforms.fields import SelectMultipleField
from wtforms.form import BaseForm
from wtforms.validators import ValidationError

from ..content.ladder import Amount
from ..content.schema import HOLD_SECONDS, REPS, SETS
from ..formfields import Choice, IdList, OneText, WholeNumber
from ..inputs import whole_number
from ..timeutil import WEEKDAYS
from . import recommend, red_flags, screens
from .onboarding import START_WITHIN_DAYS
from .progression import Proposal
from .services import MAX_ACTIVITIES, MAX_AGE, MIN_AGE, PREFERRED_TIMES

# ---- Onboarding: about you ----

PAIN_MESSAGE = "Choose a number from 0 to 10 for your pain today."
NAME_MISSING = "Name each activity you rate, for example 'Putting on socks'."
NAME_LENGTH = 120
# One row more than allowed is read, so a forged post that sends more is told "up to 3" rather than cut short.
ACTIVITY_ROWS = MAX_ACTIVITIES + 1


class AboutForm(Form):
    """The baseline pain, up to three activities rated 0-10 (fields activity0/score0 ...), the days and time that
    suit, and the year of birth (optional; which years are accepted depends on `today`, the person's own day)."""

    pain = WholeNumber("Your pain today", low=0, high=10, missing=PAIN_MESSAGE, message=PAIN_MESSAGE)
    birth_year = OneText("Year you were born")
    days = SelectMultipleField("Days for exercise", choices=list(WEEKDAYS), validate_choice=False)
    time = OneText("Time that suits you", message="Choose one of the times offered.")
    # Optional: they choose the program offered first (recommend.py); unanswered, the safer choice is made.
    pain_since = OneText("How long this time")
    floor = OneText("Getting down to the floor")
    activity_level = OneText("How active you are")

    def __init__(self, formdata, today: date, **kwargs):
        self.today = today
        self.activities: list[tuple[str, int]] = []
        self.year: int | None = None
        super().__init__(formdata, **kwargs)

    def validate_birth_year(self, field):
        low, high = self.today.year - MAX_AGE, self.today.year - MIN_AGE
        if not field.data:
            return
        self.year = whole_number(field.data, low, high)
        if self.year is None:
            raise ValidationError(
                f"Enter the year you were born as four digits, between {low} and {high}, or leave it empty."
            )

    def validate_days(self, field):
        if set(field.data or ()) - set(WEEKDAYS):
            raise ValidationError("Choose days from Monday to Sunday.")

    def validate_pain_since(self, field):
        if field.data and field.data not in recommend.PAIN_SINCE:
            raise ValidationError("Choose one of the answers offered for how long your back has troubled you.")

    def validate_floor(self, field):
        if field.data and field.data not in recommend.FLOOR:
            raise ValidationError("Choose one of the answers offered about getting down to the floor.")

    def validate_activity_level(self, field):
        if field.data and field.data not in recommend.ACTIVITY:
            raise ValidationError("Choose one of the answers offered for how active you are.")

    def validate_time(self, field):
        if field.data and field.data not in PREFERRED_TIMES:
            raise ValidationError(field.message)

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        self.activities = []
        rows = [self._activity(self[f"activity{i}"], self[f"score{i}"]) for i in range(ACTIVITY_ROWS)]
        if sum(row is not None for row in rows) > MAX_ACTIVITIES:
            self["activity0"].errors.append(f"Choose up to {MAX_ACTIVITIES} activities.")
        self.activities = [row for row in rows if row is not None][:MAX_ACTIVITIES]
        return not self.errors

    @staticmethod
    def _activity(name_field, score_field) -> tuple[str, int] | None:
        """One row: nothing when both are empty, else a name and its score, or an error beside the field to fix."""
        name, raw = name_field.data or "", score_field.data or ""
        if name_field.errors or score_field.errors or not (name or raw):
            return None
        if not name:
            name_field.errors.append(NAME_MISSING)
            return None
        if len(name) > NAME_LENGTH:
            name_field.errors.append(f"Keep each activity to {NAME_LENGTH} characters.")
            return None
        score = whole_number(raw, 0, 10)
        if score is None:
            score_field.errors.append(f"Choose a number from 0 to 10 for '{name}'.")
            return None
        return name, score

    def answers(self) -> dict:
        """What services.record_about takes, once validate() has passed."""
        chosen = set(self.days.data or ())
        return {
            "pain": self.pain.number,
            "activities": list(self.activities),
            "days": [day for day in WEEKDAYS if day in chosen],
            "time": self.time.data or "",
            "birth_year": self.year,
            "pain_since": self.pain_since.data or None,
            "floor": self.floor.data or None,
            "activity_level": self.activity_level.data or None,
        }


for _row in range(ACTIVITY_ROWS):
    setattr(AboutForm, f"activity{_row}", OneText(f"Activity {_row + 1}"))
    setattr(AboutForm, f"score{_row}", OneText(f"How well you do activity {_row + 1}"))


# ---- The safety check, and the clinician's confirmation as its later step ----

UNKNOWN_SIGN = "Some answers were not recognised. Reload the page and answer again."


class SafetyForm(Form):
    """The signs ticked now: only signs the check asks (each counted once). The confirmation step's fields are
    read only to tell the person that a forged request's confirmation was not taken."""

    signs = SelectMultipleField(validate_choice=False)
    next = StringField()
    assessed_on = StringField()
    confirmed = StringField()

    def validate_signs(self, field):
        if set(field.data or ()) - red_flags.KNOWN:
            raise ValidationError(UNKNOWN_SIGN)

    def ticked(self) -> list[str]:
        return sorted(set(self.signs.data or ()))

    def carries_a_confirmation(self) -> bool:
        return bool(self.assessed_on.raw_data or self.confirmed.raw_data)


class ConfirmationForm(Form):
    """The day a clinician assessed the signs still waiting, as the date input writes it (YYYY-MM-DD)."""

    assessed_on = OneText(message="Enter the day a clinician assessed you.")
    # New signs are answered on the check itself; here they only come from a forged request, and refuse it.
    signs = SelectMultipleField(validate_choice=False)
    next = StringField()

    def __init__(self, formdata=None, **kwargs):
        self.day: date | None = None
        super().__init__(formdata, **kwargs)

    def validate_assessed_on(self, field):
        try:
            self.day = screens.iso_day(field.data or None)
        except ValueError:
            self.day = None
        if self.day is None:
            raise ValidationError(field.message)

    def validate_signs(self, field):
        if field.raw_data:
            raise ValidationError("New signs are answered on the safety check, not here. Nothing was saved.")


# ---- History: the everyday activities rated again ----

RATING_MISSING = "Rate this activity from 0 to 10."
RATING_WRONG = "Use a whole number from 0 (cannot do it) to 10 (as well as before the pain)."


def rating_field_name(activity_id: int) -> str:
    return f"activity-{activity_id}"


def read_function_scores(activity_ids: Iterable[int], formdata) -> tuple[dict[int, int], dict[int, str]]:
    """One 0-10 score per activity (fields 'activity-<id>'), and errors by activity id.

    A field for an activity that is not the person's is never read. The caller stores nothing unless there are
    no errors, so a half-filled form never leaves half a rating.
    """
    ids = list(activity_ids)
    form = BaseForm(
        [(rating_field_name(i), WholeNumber(low=0, high=10, missing=RATING_MISSING, message=RATING_WRONG)) for i in ids]
    )
    form.process(formdata)
    form.validate()
    scores: dict[int, int] = {}
    errors: dict[int, str] = {}
    for activity_id in ids:
        field = form[rating_field_name(activity_id)]
        if field.errors:
            errors[activity_id] = field.errors[0]
        else:
            scores[activity_id] = field.number
    return scores, errors


# ---- Today: a milestone shown ----


class MilestoneSeenForm(Form):
    """The milestone Today showed, by its key; milestones.record decides whether it is one the person reached."""

    milestone = OneText(message="Send the milestone once.")


# ---- Onboarding: the starter program and its first day ----

STARTER_MESSAGE = "Choose one of the programs and a start date within the next two weeks."


class StarterForm(Form):
    """A starter program by its slug (the view looks it up among the starters) and its first day, from today to
    START_WITHIN_DAYS ahead; no day means today."""

    program = OneText(message=STARTER_MESSAGE, most=80, missing=STARTER_MESSAGE)
    start = OneText(message=STARTER_MESSAGE)

    def __init__(self, formdata, today: date, **kwargs):
        self.today = today
        self.day: date | None = None
        super().__init__(formdata, **kwargs)

    def validate_start(self, field):
        try:
            day = date.fromisoformat(field.data) if field.data else self.today
        except ValueError:
            raise ValidationError(STARTER_MESSAGE) from None
        if not self.today <= day <= self.today + timedelta(days=START_WITHIN_DAYS):
            raise ValidationError(STARTER_MESSAGE)
        self.day = day


# ---- Today: the next-morning check ----


class NextDayForm(Form):
    """How the back feels the morning after a session (0-10), whether the legs have anything new, and which session
    it is about (its UUID, as Today shows it)."""

    session = IdList(kind="uuid", most=1, message="That session was not found. Here is your day as it is now.")
    pain = WholeNumber(
        low=0, high=10, missing="Choose a number from 0 to 10 for how your back feels this morning.",
        message="Choose a number from 0 to 10 for how your back feels this morning.",
    )  # fmt: skip
    legs = Choice(
        choices=("yes", "no"), missing="Answer yes or no: any new numbness, tingling or weakness in your legs?",
        message="Answer yes or no: any new numbness, tingling or weakness in your legs?",
    )  # fmt: skip

    def validate_session(self, field):
        if not field.data:
            raise ValidationError(field.message)

    def first_error(self) -> str:
        """The one message Today shows: the answers first, then the session (fields in the order asked)."""
        for name in ("pain", "legs", "session"):
            if self[name].errors:
                return self[name].errors[0]
        return ""


# ---- A small step: taken on Today, or by the trainer on the client's page ----

STEP_UNREADABLE = "That step could not be read. Here are the steps as they are now."
BUTTON_UNKNOWN = "That button was not recognised. Here are the steps as they are now."


class StepForm(Form):
    """A suggestion sent back (which exercise, to which version, the dose) and what to do with it. The buttons of
    Today and of the trainer's page name the action; `actions` are the ones that page offers."""

    slot = OneText(message=STEP_UNREADABLE, most=80, missing=STEP_UNREADABLE)
    to_exercise = OneText(message=STEP_UNREADABLE, most=80, missing=STEP_UNREADABLE)
    sets = WholeNumber(low=SETS[0], high=SETS[1], missing=f"Sets: choose from {SETS[0]} to {SETS[1]}.",
                       message=f"Sets: choose from {SETS[0]} to {SETS[1]}.")  # fmt: skip
    reps = WholeNumber(low=REPS[0], high=REPS[1], missing=f"Reps: choose from {REPS[0]} to {REPS[1]}.",
                       message=f"Reps: choose from {REPS[0]} to {REPS[1]}.")  # fmt: skip
    hold = WholeNumber(low=HOLD_SECONDS[0], high=HOLD_SECONDS[1],
                       missing=f"Hold: choose from {HOLD_SECONDS[0]} to {HOLD_SECONDS[1]} seconds.",
                       message=f"Hold: choose from {HOLD_SECONDS[0]} to {HOLD_SECONDS[1]} seconds.")  # fmt: skip
    action = OneText(message=STEP_UNREADABLE)

    def __init__(self, formdata, actions: tuple[str, ...], **kwargs):
        self.actions = actions
        super().__init__(formdata, **kwargs)

    def validate_action(self, field):
        if field.data and field.data not in self.actions:
            raise ValidationError(BUTTON_UNKNOWN)

    def unknown_button(self) -> bool:
        """A button the page does not have (or two at once): only a forged or garbled post sends that."""
        return bool(self.action.process_errors) or self.chosen() not in self.actions

    def chosen(self) -> str:
        """The button pressed; a form without one (a plain submit) means the first action."""
        return self.action.data or self.actions[0]

    def proposal(self) -> Proposal:
        return Proposal(
            self.slot.data, self.to_exercise.data, Amount(self.sets.number, self.reps.number, self.hold.number)
        )

    def first_error(self) -> str:
        return next((field.errors[0] for field in self if field.errors), "")
