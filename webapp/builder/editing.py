"""The program builder's rules: a program edited as a draft in the form, checked whole, saved in one go.

Nothing reaches the database while the trainer adds weeks, duplicates them or moves exercises: each
of those actions posts the whole form back and gets it back changed. Only Save writes, and only a
program that passes every check. A program that clients follow (or once did) is never changed under
them: saving makes a new version of it, and their active assignments move to that version.
"""

from __future__ import annotations

import re
import secrets
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func

from ..content.doses import check_dose
from ..content.models import Exercise
from ..content.services import dose_text, reachable_exercises
from ..extensions import db
from ..inputs import whole_number
from ..programs.duration import routine_minutes
from ..programs.models import Assignment, Program, new_source_token
from ..programs.rows import CleanItem, CleanRoutine, CleanWeek, build_weeks
from ..programs.services import move_followers
from ..sessions.models import CompletedSession
from ..timeutil import DAY_NAMES, WEEKDAYS

# The builder's limits, well past any back-pain program a physiotherapist writes (the starters run 2 to 8 weeks of
# 2 routines of up to 5 exercises): 12 weeks, after which a program is reviewed and the next one made from a copy;
# 3 routines a week, each on as many days as it likes; 8 exercises a session, as a home program is kept short to
# be done. They bound the builder's page too: every exercise is a row of fields, and the largest program allowed
# (288 rows) must still come back small and fast (tests/test_builder.py, "largest").
MAX_WEEKS = 12
MAX_ROUTINES = 3
MAX_ITEMS = 8
NAME_MAX = 120
TEXT_MAX = 2000
TEMPO_MAX = 120
NOTE_MAX = 500

VERBS = ("save", "add-week", "dup-week", "del-week", "add-routine", "del-routine", "add-item", "del-item", "up", "down")
# A button's value: the verb, then the row numbers of the week, routine and item it acts on ("up:0:1:2").
_ACTION = re.compile(rf"^({'|'.join(VERBS)})((?::\d{{1,2}}){{0,3}})$")


# --- The draft: what the form holds, as typed -------------------------------------------------------


@dataclass
class ItemDraft:
    exercise_id: int
    sets: str = ""
    reps: str = ""
    hold: str = ""
    rest: str = ""
    tempo: str = ""
    note: str = ""
    key: int = 0


@dataclass
class RoutineDraft:
    name: str = ""
    days: list[str] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    key: int = 0
    add: str = ""  # the exercise chosen in its "Add an exercise" list, as posted


@dataclass
class WeekDraft:
    focus: str = ""
    routines: list[RoutineDraft] = field(default_factory=list)
    key: int = 0


@dataclass
class ProgramDraft:
    name: str = ""
    summary: str = ""
    goal: str = ""
    audience: str = ""
    level: str = "1"
    progression: str = ""
    weeks: list[WeekDraft] = field(default_factory=list)
    template_id: int | None = None

    def renumber(self) -> None:
        """Keys become positions again, so the next form's field names run 0, 1, 2 in order."""
        for w, week in enumerate(self.weeks):
            week.key = w
            for r, routine in enumerate(week.routines):
                routine.key = r
                for x, item in enumerate(routine.items):
                    item.key = x


# Field names and element ids follow the program form's nesting (builder/forms.py): weeks-0-focus,
# weeks-0-routines-1-name, weeks-0-routines-1-items-2-sets. A row's number is its key.
def week_id(week: WeekDraft, name: str = "") -> str:
    base = f"weeks-{week.key}"
    return f"{base}-{name}" if name else base


def routine_id(week: WeekDraft, routine: RoutineDraft, name: str = "") -> str:
    base = f"{week_id(week)}-routines-{routine.key}"
    return f"{base}-{name}" if name else base


def item_id(week: WeekDraft, routine: RoutineDraft, item: ItemDraft, name: str = "") -> str:
    base = f"{routine_id(week, routine)}-items-{item.key}"
    return f"{base}-{name}" if name else base


def item_from_exercise(exercise: Exercise) -> ItemDraft:
    """A new item starts from the exercise's own default dose."""
    return ItemDraft(
        exercise_id=exercise.id,
        sets=str(exercise.sets),
        reps=str(exercise.reps),
        hold=str(exercise.hold_seconds),
        rest=str(exercise.rest_seconds),
        tempo=exercise.tempo or "",
    )


def over_limits(draft: ProgramDraft) -> str:
    """What makes a posted program larger than the builder ever makes one, or "" when it is within the limits.

    Only a forged or garbled post gets here (the builder's buttons stop at the limits); it is refused whole rather
    than drawn back, as drawing thousands of rows made a page of tens of megabytes.
    """
    if len(draft.weeks) > MAX_WEEKS:
        return f"A program can have up to {MAX_WEEKS} weeks."
    if any(len(week.routines) > MAX_ROUTINES for week in draft.weeks):
        return f"A week can have up to {MAX_ROUTINES} routines."
    if any(len(routine.items) > MAX_ITEMS for week in draft.weeks for routine in week.routines):
        return f"A routine can have up to {MAX_ITEMS} exercises."
    return ""


def blank_draft() -> ProgramDraft:
    return ProgramDraft(
        name="New program",
        weeks=[WeekDraft(routines=[RoutineDraft(name="Routine A", days=["mon", "wed", "fri"])])],
    )


def draft_from_program(program: Program, copy: bool = False) -> ProgramDraft:
    """The program as a draft; a copy (a template's start) gets a new name and remembers its source."""
    draft = ProgramDraft(
        name=f"{program.name} (copy)" if copy else program.name,
        summary=program.summary,
        goal=program.goal,
        audience=program.audience,
        level=str(program.level),
        progression=program.progression,
        template_id=program.id if copy else None,
        weeks=[
            WeekDraft(
                focus=week.focus,
                routines=[
                    RoutineDraft(
                        name=routine.name,
                        days=routine.day_list,
                        items=[
                            ItemDraft(
                                exercise_id=item.exercise_id,
                                sets=str(item.sets),
                                reps=str(item.reps),
                                hold=str(item.hold_seconds),
                                rest=str(item.rest_seconds),
                                tempo=item.tempo,
                                note=item.note,
                            )
                            for item in routine.items
                        ],
                    )
                    for routine in week.routines
                ],
            )
            for week in program.weeks
        ],
    )
    draft.renumber()
    return draft


# --- Actions: each changes the draft and says what it did ------------------------------------------


@dataclass
class Change:
    message: str = ""
    # What to put the keyboard focus on when the page comes back: (object in the draft, field name).
    focus: object | None = None
    focus_field: str = ""
    save: bool = False
    # A week to keep open besides the focus's own: after "duplicate", both the original and its copy.
    keep_open: WeekDraft | None = None


def parse_action(value: str) -> tuple[str, list[int]] | None:
    match = _ACTION.match(value or "")
    if not match:
        return None
    return match.group(1), [int(n) for n in match.group(2).split(":") if n]


def _find(draft: ProgramDraft, keys: list[int]):
    """The week, routine and item named by form keys (as many as given), or None if one is missing."""
    found = []
    children = draft.weeks
    for key, attribute in zip(keys, ("routines", "items", None), strict=False):
        match = next((child for child in children if child.key == key), None)
        if match is None:
            return None
        found.append(match)
        children = getattr(match, attribute) if attribute else []
    return found


def _next_routine_name(week: WeekDraft) -> str:
    taken = {routine.name for routine in week.routines}
    return next(
        (f"Routine {letter}" for letter in "ABCDEFG" if f"Routine {letter}" not in taken),
        f"Routine {len(week.routines) + 1}",
    )


def _copy_week(week: WeekDraft) -> WeekDraft:
    return WeekDraft(
        focus=week.focus,
        routines=[
            RoutineDraft(
                name=routine.name,
                days=list(routine.days),
                items=[ItemDraft(**{**item.__dict__}) for item in routine.items],
            )
            for routine in week.routines
        ],
    )


NOT_FOUND = "That part of the program was not found. Nothing changed."


def apply_action(draft: ProgramDraft, action: str, exercises: dict[int, Exercise]) -> Change:
    """Apply one button's action to the draft. Unknown or stale actions change nothing."""
    parsed = parse_action(action)
    if parsed is None:
        return Change("That action was not recognised. Nothing changed.")
    verb, keys = parsed
    if verb == "save":
        return Change(save=True)
    if verb == "add-week":
        return _add_week(draft)
    found = _find(draft, keys)
    # Each action names exactly the part it acts on: a week, a routine in it, or an exercise in that.
    act = _ACTIONS.get((verb, len(keys)))
    if act is None or found is None or len(found) != len(keys):
        return Change(NOT_FOUND)
    return act(Target(draft, found, exercises))


@dataclass(frozen=True)
class Target:
    """The part of the draft an action names, with what the action may need to read."""

    draft: ProgramDraft
    found: list
    exercises: dict[int, Exercise]

    @property
    def week(self) -> WeekDraft:
        return self.found[0]

    @property
    def number(self) -> int:
        return self.draft.weeks.index(self.week) + 1

    @property
    def routine(self) -> RoutineDraft:
        return self.found[1]

    @property
    def item(self) -> ItemDraft:
        return self.found[2]

    @property
    def item_name(self) -> str:
        return self.exercises[self.item.exercise_id].name if self.item.exercise_id in self.exercises else "The exercise"


def _add_week(draft: ProgramDraft) -> Change:
    if len(draft.weeks) >= MAX_WEEKS:
        return Change(f"A program can have up to {MAX_WEEKS} weeks.")
    week = WeekDraft(routines=[RoutineDraft(name="Routine A")])
    draft.weeks.append(week)
    return Change(f"Added week {len(draft.weeks)}. Give it a routine with exercises.", week, "summary")


def _duplicate_week(t: Target) -> Change:
    if len(t.draft.weeks) >= MAX_WEEKS:
        return Change(f"A program can have up to {MAX_WEEKS} weeks.")
    number, copy = t.number, _copy_week(t.week)
    t.draft.weeks.insert(number, copy)
    return Change(
        f"Week {number} copied as week {number + 1}. Change its doses to progress from week {number}.",
        copy,
        "summary",
        keep_open=t.week,
    )


def _delete_week(t: Target) -> Change:
    number = t.number
    t.draft.weeks.remove(t.week)
    return Change(f"Removed week {number}. Save to keep the change.")


def _add_routine(t: Target) -> Change:
    if len(t.week.routines) >= MAX_ROUTINES:
        return Change(f"Week {t.number} already has {MAX_ROUTINES} routines, the most a week can hold.")
    routine = RoutineDraft(name=_next_routine_name(t.week))
    t.week.routines.append(routine)
    return Change(f"Added {routine.name} to week {t.number}. Choose its days and exercises.", routine, "name")


def _delete_routine(t: Target) -> Change:
    t.week.routines.remove(t.routine)
    return Change(f"Removed {t.routine.name or 'the routine'} from week {t.number}.", t.week, "summary")


def choice_labels(exercises: dict[int, Exercise]) -> dict[int, str]:
    """What the page's one list of exercises (a <datalist> every routine's "Add an exercise" box offers) calls each
    exercise: its name, told apart as "(yours)" or "(library)" when two share a name, and numbered if still alike."""
    shared = Counter(exercise.name.casefold() for exercise in exercises.values())
    labels: dict[int, str] = {}
    taken: set[str] = set()
    for exercise in sorted(exercises.values(), key=lambda e: (e.owner_id is None, e.name.casefold(), e.id)):
        label = exercise.name
        if shared[exercise.name.casefold()] > 1:
            label = f"{exercise.name} ({'yours' if exercise.owner_id else 'library'})"
        base, number = label, 2
        while label.casefold() in taken:
            label, number = f"{base} {number}", number + 1
        taken.add(label.casefold())
        labels[exercise.id] = label
    return labels


def chosen_exercise(chosen: str, exercises: dict[int, Exercise]) -> Exercise | None:
    """The exercise an "Add an exercise" box names: by its label in the list, as typed or picked (any case and
    spacing), else by its number (what the page's script and older pages post)."""
    wanted = " ".join(chosen.split()).casefold()
    if not wanted:
        return None
    by_label = {label.casefold(): key for key, label in choice_labels(exercises).items()}
    exercise_id = by_label.get(wanted) or whole_number(wanted, 1)
    return exercises.get(exercise_id) if exercise_id else None


def _add_item(t: Target) -> Change:
    routine = t.routine
    exercise = chosen_exercise(routine.add, t.exercises)
    if exercise is None:
        return Change("Choose an exercise from the list, then press Add.", routine, "add")
    if len(routine.items) >= MAX_ITEMS:
        return Change(f"{routine.name} already has {MAX_ITEMS} exercises, the most a routine can hold.")
    item = item_from_exercise(exercise)
    routine.items.append(item)
    return Change(f"Added {exercise.name} to {routine.name}, week {t.number}.", item, "sets")


def _delete_item(t: Target) -> Change:
    routine, name = t.routine, t.item_name
    index = routine.items.index(t.item)
    routine.items.remove(t.item)
    neighbour = routine.items[min(index, len(routine.items) - 1)] if routine.items else routine
    return Change(f"Removed {name} from {routine.name}.", neighbour, "remove" if routine.items else "add")


def _move_item(verb: str):
    def move(t: Target) -> Change:
        items, name = t.routine.items, t.item_name
        index = items.index(t.item)
        target = index - 1 if verb == "up" else index + 1
        if not 0 <= target < len(items):
            where = "first" if verb == "up" else "last"
            return Change(f"{name} is already {where}.", t.item, verb)
        items.insert(target, items.pop(index))
        return Change(f"Moved {name} to position {target + 1}.", t.item, verb)

    return move


# (verb, how many keys it names) -> what it does.
_ACTIONS = {
    ("dup-week", 1): _duplicate_week,
    ("del-week", 1): _delete_week,
    ("add-routine", 1): _add_routine,
    ("del-routine", 2): _delete_routine,
    ("add-item", 2): _add_item,
    ("del-item", 3): _delete_item,
    ("up", 3): _move_item("up"),
    ("down", 3): _move_item("down"),
}


def focus_id(draft: ProgramDraft, change: Change) -> str:
    """The id of the element that should have the focus after an action, once the draft is renumbered."""
    target = change.focus
    for week in draft.weeks:
        if target is week:
            return week_id(week, change.focus_field)
        for routine in week.routines:
            if target is routine:
                return routine_id(week, routine, change.focus_field)
            for item in routine.items:
                if target is item:
                    return item_id(week, routine, item, change.focus_field)
    return ""


def weeks_to_open(draft: ProgramDraft, change: Change) -> set[int]:
    """Positions of the weeks an action touched, shown open when the page comes back."""
    target = change.focus
    opened = set()
    for index, week in enumerate(draft.weeks):
        parts = [week, *week.routines, *(item for routine in week.routines for item in routine.items)]
        if week is change.keep_open or any(part is target for part in parts):
            opened.add(index)
    return opened


# --- Checking the whole program before anything is written ------------------------------------------


@dataclass(frozen=True)
class Problem:
    field: str  # the id of the input to fix, linked from the list of problems
    message: str
    week: int | None = None  # 0-based, so the page can open that week


@dataclass(frozen=True)
class CleanProgram:
    name: str
    summary: str
    goal: str
    audience: str
    level: int
    progression: str
    weeks: tuple[CleanWeek, ...]

    @property
    def sessions_per_week(self) -> int:
        return max(sum(len(r.days) for r in week.routines) for week in self.weeks)

    @property
    def minutes(self) -> int:
        """The longest session, timed from its doses as the player plays it (programs/duration.py)."""
        return max(routine_minutes(routine.items) for week in self.weeks for routine in week.routines)


def _tidy(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def check(draft: ProgramDraft, exercises: dict[int, Exercise]) -> tuple[CleanProgram | None, list[Problem]]:
    """The program ready to save, or every problem found (each names the place and what to fix)."""
    problems: list[Problem] = []
    name = " ".join(draft.name.split())
    if not name:
        problems.append(Problem("name", "Give the program a name."))
    elif len(name) > NAME_MAX:
        problems.append(Problem("name", f"Keep the program's name to {NAME_MAX} characters."))
    for field_name, label in (("summary", "summary"), ("goal", "goal"), ("audience", "audience"),
                              ("progression", "progression rule")):  # fmt: skip
        if len(_tidy(getattr(draft, field_name))) > TEXT_MAX:
            problems.append(Problem(field_name, f"Keep the {label} to {TEXT_MAX} characters."))
    level = int(draft.level) if draft.level in ("1", "2", "3", "4", "5") else 0
    if not level:
        problems.append(Problem("level", "Choose a level from 1 to 5."))
    if not draft.weeks:
        problems.append(Problem("add-week", "Add at least one week: a program needs a week to follow."))
    if len(draft.weeks) > MAX_WEEKS:
        problems.append(Problem("add-week", f"A program can have up to {MAX_WEEKS} weeks."))
    weeks = []
    for w, week in enumerate(draft.weeks):
        weeks.append(_check_week(w, week, exercises, problems))
    if problems:
        return None, problems
    return CleanProgram(
        name=name,
        summary=_tidy(draft.summary),
        goal=_tidy(draft.goal),
        audience=_tidy(draft.audience),
        level=level,
        progression=_tidy(draft.progression),
        weeks=tuple(weeks),
    ), []


def _check_week(w: int, week: WeekDraft, exercises: dict[int, Exercise], problems: list[Problem]) -> CleanWeek:
    label = f"Week {w + 1}"
    if len(_tidy(week.focus)) > TEXT_MAX:
        problems.append(Problem(week_id(week, "focus"), f"{label}: keep the focus to {TEXT_MAX} characters.", w))
    if not week.routines:
        problems.append(
            Problem(week_id(week, "add-routine"), f"{label} has no routine: add a routine or remove the week.", w)
        )
    routines = []
    day_owner: dict[str, str] = {}
    for r, routine in enumerate(week.routines):
        name = " ".join(routine.name.split())
        where = f"{label}, {name or f'routine {r + 1}'}"
        if not name:
            problems.append(Problem(routine_id(week, routine, "name"), f"{label}: give routine {r + 1} a name.", w))
        elif len(name) > NAME_MAX:
            problems.append(
                Problem(routine_id(week, routine, "name"), f"{where}: keep the name to {NAME_MAX} characters.", w)
            )
        days = [day for day in WEEKDAYS if day in routine.days]
        if not days:
            problems.append(
                Problem(routine_id(week, routine, "day-mon"), f"{where} has no day: choose at least one day.", w)
            )
        for day in days:
            if day in day_owner:
                problems.append(
                    Problem(
                        routine_id(week, routine, f"day-{day}"),
                        f"{label}: {day_owner[day]} and {name or f'routine {r + 1}'} are both on {DAY_NAMES[day]}. "
                        "A day can hold one routine: choose another day for one of them.",
                        w,
                    )
                )
            else:
                day_owner[day] = name or f"routine {r + 1}"
        if not routine.items:
            problems.append(
                Problem(routine_id(week, routine, "add"), f"{where} has no exercises: add at least one.", w)
            )
        elif len(routine.items) > MAX_ITEMS:
            problems.append(
                Problem(routine_id(week, routine, "add"), f"{where}: keep it to {MAX_ITEMS} exercises or fewer.", w)
            )
        items = [_check_item(w, week, routine, item, where, exercises, problems) for item in routine.items]
        routines.append(CleanRoutine(name, tuple(days), tuple(i for i in items if i is not None)))
    return CleanWeek(_tidy(week.focus), tuple(routines))


def _check_item(w, week, routine, item, where, exercises, problems) -> CleanItem | None:
    exercise = exercises.get(item.exercise_id)
    if exercise is None:
        problems.append(
            Problem(
                item_id(week, routine, item, "remove"),
                f"{where}: one exercise is no longer in your library. Remove it, or choose another.",
                w,
            )
        )
        return None
    place = f"{where}, {exercise.name}"
    dose, errors = check_dose(exercise.kind, {"sets": item.sets, "reps": item.reps, "hold": item.hold,
                                              "rest": item.rest})  # fmt: skip
    for name, message in errors.items():
        problems.append(Problem(item_id(week, routine, item, name), f"{place}: {message}.", w))
    tempo, note = " ".join(item.tempo.split()), _tidy(item.note)
    if len(tempo) > TEMPO_MAX:
        problems.append(
            Problem(item_id(week, routine, item, "tempo"), f"{place}: keep the tempo to {TEMPO_MAX} characters.", w)
        )
    if len(note) > NOTE_MAX:
        problems.append(
            Problem(item_id(week, routine, item, "note"), f"{place}: keep the note to {NOTE_MAX} characters.", w)
        )
    if dose is None:
        return None
    return CleanItem(exercise, dose.sets, dose.reps, dose.hold_seconds, dose.rest_seconds, tempo, note)


# --- Writing: a new program, an edit in place, or a new version -------------------------------------


def in_use(program: Program) -> bool:
    """Assigned to anyone (now or before) or done in a session: then its rows must never change."""
    assigned = db.select(Assignment.id).where(Assignment.program_id == program.id).limit(1)
    done = db.select(CompletedSession.id).where(CompletedSession.program_id == program.id).limit(1)
    return db.session.execute(assigned).first() is not None or db.session.execute(done).first() is not None


def _fill(program: Program, clean: CleanProgram) -> None:
    program.name, program.summary, program.goal = clean.name, clean.summary, clean.goal
    program.audience, program.level, program.progression = clean.audience, clean.level, clean.progression
    program.minutes_per_session, program.sessions_per_week = clean.minutes, clean.sessions_per_week


@dataclass(frozen=True)
class Saved:
    program: Program
    how: str  # "created", "updated" (in place) or "versioned"
    moved: int = 0  # active assignments now following the new version
    kept: int = 0  # former clients' active assignments left on the version they had


class Stale(Exception):
    """The program was saved elsewhere (a newer version exists) since this form was opened."""


def new_family(trainer) -> str:
    return f"t{trainer.id}-{secrets.token_hex(6)}"


def save(trainer, clean: CleanProgram, program: Program | None = None, template: Program | None = None) -> Saved:
    """Write a checked program in one transaction; the caller has already checked ownership."""
    try:
        saved = _write(trainer, clean, program, template)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return saved


def _write(trainer, clean: CleanProgram, program: Program | None, template: Program | None) -> Saved:
    if program is None:
        created = Program(family=new_family(trainer), version=1, is_current=True, owner_id=trainer.id)
        created.sources = list(template.sources or []) if template is not None else []
        _fill(created, clean)
        created.weeks = build_weeks(created, clean.weeks)
        db.session.add(created)
        db.session.flush()
        return Saved(created, "created")
    if not program.is_current:
        raise Stale
    if not in_use(program):
        _fill(program, clean)
        program.source_hash = new_source_token()
        # Old rows go first: the new week 1 would otherwise meet the old one in (program_id, number).
        program.weeks.clear()
        db.session.flush()
        program.weeks.extend(build_weeks(program, clean.weeks))
        db.session.flush()
        return Saved(program, "updated")
    latest = db.session.execute(_latest_version(program.family)).scalar() or program.version
    version = Program(
        family=program.family,
        version=latest + 1,
        is_current=True,
        owner_id=program.owner_id,
        slug=program.slug,
        sources=list(program.sources or []),
    )
    _fill(version, clean)
    version.weeks = build_weeks(version, clean.weeks)
    program.is_current = False
    db.session.add(version)
    db.session.flush()
    # Completed sessions keep their routine ids (the old rows stay); the plans of the trainer's own clients move
    # to the new version, and with it the offline package's version, so each phone fetches it at its next sync.
    # A former client keeps the version they had, which no one can change any more.
    moved, kept = move_followers(program, version)
    return Saved(version, "versioned", moved, kept)


def _latest_version(family: str):
    return db.select(func.max(Program.version)).where(Program.family == family)


# --- Finding what a trainer may see and change -------------------------------------------------------


def own_programs(trainer, archived: bool = False) -> list[Program]:
    """The trainer's current programs: those in use by default, or those put away (archived=True)."""
    shelf = Program.archived_at.is_not(None) if archived else Program.archived_at.is_(None)
    query = (
        db.select(Program)
        .where(Program.owner_id == trainer.id, Program.is_current.is_(True), shelf)
        .order_by(Program.name, Program.id)
    )
    return list(db.session.execute(query).scalars())


def starter_programs() -> list[Program]:
    query = (
        db.select(Program)
        .where(Program.owner_id.is_(None), Program.is_current.is_(True))
        .order_by(Program.level, Program.name)
    )
    return list(db.session.execute(query).scalars())


def own_program(trainer, program_id: int) -> Program | None:
    """The trainer's own program (any version); another trainer's answers None, like a missing one."""
    program = db.session.get(Program, program_id)
    return program if program is not None and program.owner_id == trainer.id else None


def usable_program(trainer, program_id: int) -> Program | None:
    """A program the trainer may preview, print, copy or assign: their own, or a starter program."""
    program = db.session.get(Program, program_id)
    if program is None or (program.owner_id is not None and program.owner_id != trainer.id):
        return None
    return program


def current_version(program: Program) -> Program:
    if program.is_current:
        return program
    query = db.select(Program).where(Program.family == program.family, Program.is_current.is_(True))
    return db.session.execute(query).scalar_one_or_none() or program


def exercises_for(trainer) -> dict[int, Exercise]:
    """Every exercise a program of this trainer may hold, by id: the library and their own, archived ones too.

    An archived exercise stays in the programs that have it (and they save as before); only the picker
    leaves it out (see pickable).
    """
    return {exercise.id: exercise for exercise in reachable_exercises(trainer)}


def pickable(exercises: dict[int, Exercise]) -> dict[int, Exercise]:
    """The exercises the builder offers to add: archived ones are not."""
    return {key: exercise for key, exercise in exercises.items() if exercise.is_active}


def exercises_in(program: Program) -> list[Exercise]:
    """Each exercise of the program once, in the order the program first meets it (the printout's pages)."""
    seen: dict[int, Exercise] = {}
    for week in program.weeks:
        for routine in week.routines:
            for item in routine.items:
                seen.setdefault(item.exercise_id, item.exercise)
    return list(seen.values())


def draft_dose(item: ItemDraft, exercise: Exercise | None) -> str:
    """The dose in words as the client will read it, when what is typed makes sense; else ""."""
    if exercise is None:
        return ""
    dose, _ = check_dose(exercise.kind, {"sets": item.sets, "reps": item.reps, "hold": item.hold, "rest": item.rest})
    if dose is None:
        return ""
    return dose_text(dose.sets, dose.reps, dose.hold_seconds, exercise.kind, exercise.per_side, dose.rest_seconds)
