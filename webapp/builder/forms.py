"""The builder's forms, read by WTForms: the whole program as nested fields with the button pressed, assigning a
program to clients, and a trainer's exercise.

Every button on the builder page posts the whole program. WTForms reads the nested rows from names
like ``weeks-0-routines-1-items-2-sets`` (a FieldList of FormFields at each level), so no field name
is taken apart by hand. The fields only carry the text as typed and cap how many rows are read; whether
the program may be saved is decided by ``editing.check`` on the draft, which reports every problem at
once in the trainer's words and names the field to fix.
"""

from __future__ import annotations

from wtforms import Form, StringField
from wtforms.fields import FieldList, FormField, SelectMultipleField, TextAreaField

from ..formfields import Choice, IdList, OneText
from ..inputs import whole_number
from ..timeutil import WEEKDAYS
from .custom import LIST_FIELDS, TEXT_FIELDS, ExerciseForm
from .editing import MAX_ITEMS, MAX_ROUTINES, MAX_WEEKS, ItemDraft, ProgramDraft, RoutineDraft, WeekDraft

# One row more than the builder allows is read, so that check() can say "up to ..." to a forged form
# that sends more; the rest is never looked at.
ROWS_READ = {"weeks": MAX_WEEKS + 1, "routines": MAX_ROUTINES + 1, "items": MAX_ITEMS + 1}


class ItemForm(Form):
    exercise = StringField()
    sets = StringField()
    reps = StringField()
    hold = StringField()
    rest = StringField()
    tempo = StringField()
    note = StringField()
    # Written by dragging (static/js/builder/reorder.js): the position the trainer gave the exercise.
    order = StringField()


class RoutineForm(Form):
    name = StringField()
    # Unknown days are kept as typed: check() only counts the days of the week it knows.
    days = SelectMultipleField(choices=list(WEEKDAYS), validate_choice=False)
    # The exercise chosen in the routine's "Add an exercise" list.
    add = StringField()
    items = FieldList(FormField(ItemForm), max_entries=ROWS_READ["items"])


class WeekForm(Form):
    focus = StringField()
    routines = FieldList(FormField(RoutineForm), max_entries=ROWS_READ["routines"])


class ProgramForm(Form):
    """Read only, never rendered: the page writes its own markup, and CSRFProtect checks every post."""

    name = StringField()
    summary = StringField()
    goal = StringField()
    audience = StringField()
    level = StringField(default="1")
    progression = StringField()
    template_id = StringField()
    weeks = FieldList(FormField(WeekForm), max_entries=ROWS_READ["weeks"])
    # The button pressed ("save", "del-item:0:1:2", ...): editing.apply_action reads it and says so when it cannot.
    action = OneText(default="save")


def _number(value: str | None, digits: int) -> int | None:
    return whole_number(value, 0, 10**digits - 1)


def _key(entry) -> int:
    """The row's number in the posted names (weeks-3 is 3): the buttons name rows by it."""
    return int(entry.name.rpartition("-")[2])


def _item(entry) -> tuple[int, ItemDraft] | None:
    form = entry.form
    exercise_id = _number(form.exercise.data, 9)
    if exercise_id is None:
        return None  # a row without an exercise is not an exercise of the program
    key = _key(entry)
    order = _number(form.order.data, 3)
    fields = {name: form[name].data or "" for name in ("sets", "reps", "hold", "rest", "tempo", "note")}
    return (key if order is None else order), ItemDraft(exercise_id=exercise_id, key=key, **fields)


def _routine(entry) -> RoutineDraft:
    form = entry.form
    items = [found for found in map(_item, form["items"].entries) if found is not None]
    items.sort(key=lambda pair: (pair[0], pair[1].key))
    return RoutineDraft(
        name=form["name"].data or "",
        days=list(form.days.data or []),
        add=form.add.data or "",
        items=[item for _order, item in items],
        key=_key(entry),
    )


def draft_from_form(formdata) -> tuple[ProgramDraft, str]:
    """The program as the trainer left it in the form: rows in the order of their numbers, exercises
    in the order of their hidden order fields; and the button pressed ("save" when none was; "" when the
    post was garbled, which apply_action refuses as no action it knows)."""
    form = ProgramForm(formdata)
    action = "" if form.action.errors or form.action.process_errors else (form.action.data or "save")
    return ProgramDraft(
        name=form["name"].data or "",
        summary=form.summary.data or "",
        goal=form.goal.data or "",
        audience=form.audience.data or "",
        level=form.level.data or "1",
        progression=form.progression.data or "",
        template_id=_number(form.template_id.data, 9),
        weeks=[
            WeekDraft(
                focus=week.form.focus.data or "",
                routines=[_routine(routine) for routine in week.form.routines.entries],
                key=_key(week),
            )
            for week in form.weeks.entries
        ],
    ), action


# --- Assigning a program, and the buttons that only say where to go back to ------------------------------

NOT_YOURS = "One of the clients chosen is not one of yours. Nothing was assigned."


class AssignForm(Form):
    """The clients ticked (their ids), the first day as the date input writes it, and, once the page has asked,
    confirm=replace for clients part-way through another program. assigning.start_date_problem judges the day."""

    # A trainer may have hundreds of clients; a list longer than any page shows is no one's choice.
    clients = IdList(kind="row", most=5000, message=NOT_YOURS)
    start = OneText(message="Choose one start date.")
    confirm = Choice(choices=("replace",), message="That answer was not recognised. Nothing was assigned.")


class RestoreForm(Form):
    """Restoring from the edit page sends back=edit, to come back to it."""

    back = Choice(choices=("edit",), message="That page was not recognised. Nothing was restored.")


class ClinicForm(Form):
    """The clinic's name as typed (clinic.check_name tidies and judges it), and remove_logo=1 when ticked."""

    clinic_name = OneText(message="Type the clinic's name once.")
    remove_logo = Choice(choices=("1",), message="That answer was not recognised. Nothing was saved.")


# --- A trainer's own exercise ------------------------------------------------------------------------


class CustomExerciseForm(Form):
    """Read only, like the program form: custom.check decides, and the page keeps the text as typed."""

    name = StringField()
    summary = StringField()
    cue = StringField()
    tempo = StringField()
    feel = TextAreaField()
    image_alt = StringField()
    steps = TextAreaField()
    tips = TextAreaField()
    mistakes = TextAreaField()
    stop_if = TextAreaField()
    kind = StringField()
    position = StringField()
    level = StringField()
    sets = StringField()
    reps = StringField()
    hold = StringField()
    rest = StringField()
    # Whatever is ticked is kept as sent; custom.check names a muscle or item it does not know.
    muscles = SelectMultipleField(validate_choice=False)
    equipment = SelectMultipleField(validate_choice=False)
    per_side = StringField()


_EXERCISE_TEXT = (*TEXT_FIELDS, *LIST_FIELDS, "kind", "position", "level", "sets", "reps", "hold", "rest")


def exercise_from_form(formdata) -> ExerciseForm:
    form = CustomExerciseForm(formdata)
    return ExerciseForm(
        values={name: form[name].data or "" for name in _EXERCISE_TEXT},
        muscles=list(form.muscles.data or []),
        equipment=list(form.equipment.data or []),
        per_side=form.per_side.data == "1",
    )
