"""The client's forms, read by WTForms: onboarding's "about you", the safety check and its confirmation, and the
re-rating of everyday activities on History.

A form reads and checks what was typed, and hands the service plain values (numbers, days of the week, a date);
the service applies the rules that need the database. CSRFProtect checks the token on every post, as it does for
every form of the app; the pages write their own markup, keep the person's text and show each error beside its
field.

A field that holds one answer but arrives twice (only a forged or garbled post sends that) is refused with that
field's message: which of the two the person meant cannot be known, so neither is taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from wtforms import Form, StringField
from wtforms.fields import SelectMultipleField
from wtforms.form import BaseForm
from wtforms.validators import StopValidation, ValidationError

from ..inputs import whole_number
from ..timeutil import WEEKDAYS
from . import recommend, red_flags, screens
from .services import MAX_ACTIVITIES, MAX_AGE, MIN_AGE, PREFERRED_TIMES

SENT_TWICE = "This answer arrived twice. Reload the page and answer again."


class OneText(StringField):
    """One answer as typed, without the spaces around it; `message` is what a person is told when it cannot be used."""

    def __init__(self, label=None, validators=None, message: str = SENT_TWICE, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        self.data = valuelist[0].strip() if valuelist else ""
        if len(valuelist) > 1:
            raise ValueError(self.message)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the reading already said what is wrong; one message per field


class WholeNumber(OneText):
    """A whole number from `low` to `high` in ASCII digits, kept in `number` (`data` keeps the text as typed).

    Empty is None, or the `missing` message when one is given (the answer is required).
    """

    def __init__(self, label=None, validators=None, low=0, high=10, missing: str | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.low, self.high, self.missing = low, high, missing
        self.number: int | None = None

    def process_formdata(self, valuelist):
        self.number = None
        super().process_formdata(valuelist)
        if not self.data:
            if self.missing:
                raise ValueError(self.missing)
            return
        self.number = whole_number(self.data, self.low, self.high)
        if self.number is None:
            raise ValueError(self.message)


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
