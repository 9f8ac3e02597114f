"""The trainer's program builder, assigning, printing, archiving, and custom exercises with their pictures.

Views only parse, call editing, archiving, custom or programs.assigning, and render. Another
trainer's program, exercise or client answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth.access import trainer_required
from ..config import ONE_MB
from ..content.images import MAX_IMAGE_BYTES, TOO_BIG_MESSAGE, ImageRefused, check_image
from ..content.models import Exercise
from ..content.schema import EQUIPMENT, POSITIONS
from ..content.services import (
    KIND_LABELS,
    POSITION_LABELS,
    all_muscles,
    default_dose,
    dose_text,
    illustration_url,
    may_open,
    search_text,
)
from ..extensions import csrf
from ..inputs import whole_number
from ..programs import assigning
from ..programs.duration import program_minutes_words, routine_minutes
from ..sessions.rules import ADVICE, AMBER_RISE_MAX, GREEN_RISE_MAX, PAIN_CEILING
from ..timeutil import DAY_NAMES, WEEKDAYS, local_date, long_date, utcnow
from . import archiving, clinic, custom, editing, forms

bp = Blueprint("builder", __name__)

ARCHIVED_NOT_ASSIGNED = "{name} is archived, so it cannot be assigned. Restore it first: it is under Archived programs."
# Why something cannot be deleted, on its delete page and in the refusal.
PROGRAM_USED = "clients have followed it or done sessions from it, and their history needs it."
EXERCISE_USED = "it is in a program, or in a session a client has done, and they need it."

# A picture may be 2 MB; its form's text fields are capped separately (MAX_FORM_MEMORY_SIZE), so the
# upload routes accept 2 MB plus room for them. Every other route, the API included, keeps the 1 MB limit.
UPLOAD_ENDPOINTS = {"builder.exercise_new", "builder.exercise_edit", "builder.clinic_settings"}
UPLOAD_REQUEST_LIMIT = MAX_IMAGE_BYTES + ONE_MB


@bp.before_request
def _room_for_pictures():
    """Raise the body limit for the upload routes before anything reads the body, then check CSRF here.

    The app's own CSRF check runs before any blueprint hook and reads the form, which would trip the
    1 MB limit first; so these views are exempt from it and checked here, after the limit is raised.
    """
    if request.endpoint not in UPLOAD_ENDPOINTS:
        return None
    trainer = current_user.is_authenticated and current_user.is_trainer
    if trainer:
        request.max_content_length = UPLOAD_REQUEST_LIMIT
    if request.method != "POST" or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return None
    try:
        csrf.protect()
    except RequestEntityTooLarge:
        if not trainer:
            raise
        # The form cannot be read at all: say why on the form itself instead of a bare error page.
        flash(f"{TOO_BIG_MESSAGE} Nothing was saved.", "error")
        return redirect(request.url, code=303)
    return None


# --- Programs ----------------------------------------------------------------------------------------


@bp.get("/trainer/programs/")
@trainer_required
def program_list():
    own = editing.own_programs(current_user)
    archived = editing.own_programs(current_user, archived=True)
    families = [p.family for p in own + archived]
    return render_template(
        "builder/programs.html",
        own=own,
        archived=archived,
        starters=editing.starter_programs(),
        followers=assigning.followers_by_family(families),
        used=archiving.used_families(families),
        minutes_of=program_minutes_words,
    )


@bp.route("/trainer/programs/new", methods=["GET", "POST"])
@trainer_required
def program_new():
    exercises = editing.exercises_for(current_user)
    if request.method == "POST":
        return _builder_post(None, exercises)
    source = request.args.get("from", "")
    if source:
        template_id = whole_number(source, 1)
        template = editing.usable_program(current_user, template_id) if template_id else None
        if template is None:
            abort(404)
        draft = editing.draft_from_program(template, copy=True)
    else:
        draft = editing.blank_draft()
    return _builder_page(draft, exercises, None)


@bp.route("/trainer/programs/<int:program_id>/edit", methods=["GET", "POST"])
@trainer_required
def program_edit(program_id: int):
    program = editing.own_program(current_user, program_id) or abort(404)
    exercises = editing.exercises_for(current_user)
    if request.method == "POST":
        return _builder_post(program, exercises)
    if not program.is_current:
        flash("That was an older version. This is the current one.", "info")
        return redirect(url_for(".program_edit", program_id=editing.current_version(program).id))
    return _builder_page(editing.draft_from_program(program), exercises, program)


def _builder_post(program, exercises):
    draft, action = forms.draft_from_form(request.form)
    too_large = editing.over_limits(draft)
    if too_large:
        abort(400, description=f"{too_large} Nothing was saved. Open the program again from Programs.")
    # Only exercises the picker offers can be added; those already in the program stay (archived ones too).
    change = editing.apply_action(draft, action, editing.pickable(exercises))
    if not change.save:
        draft.renumber()
        return _builder_page(draft, exercises, program, change=change, unsaved=True)
    if program is not None and program.archived_at is not None:
        # A new version would come out of the archive on its own: the trainer restores it first, knowingly.
        draft.renumber()
        problem = editing.Problem("restore", "This program is archived. Restore it to save changes to it.")
        return _builder_page(draft, exercises, program, problems=[problem], unsaved=True, status=400)
    clean, problems = editing.check(draft, exercises)
    if clean is not None:
        template = None
        if program is None and draft.template_id is not None:
            template = editing.usable_program(current_user, draft.template_id)
        try:
            saved = editing.save(current_user, clean, program, template)
        except editing.Stale:
            problems = [
                editing.Problem(
                    "name",
                    "This program was saved in another window since you opened it. "
                    "Open it again from Programs to work on the newest version.",
                )
            ]
        else:
            flash(_saved_message(saved), "success")
            return redirect(url_for(".program_edit", program_id=saved.program.id))
    draft.renumber()
    return _builder_page(draft, exercises, program, problems=problems, unsaved=True, status=400)


def _saved_message(saved: editing.Saved) -> str:
    if saved.how == "created":
        return f"Saved {saved.program.name}. Preview it, then assign it to your clients."
    if saved.how == "updated":
        return "Saved your changes."
    clients = "1 client now follows it" if saved.moved == 1 else f"{saved.moved} clients now follow it"
    message = (
        f"Saved as version {saved.program.version}: {clients}, and their phones get it at the next sync. "
        "Sessions already done stay with the version they were done from."
    )
    if saved.kept:
        people = "1 person who is" if saved.kept == 1 else f"{saved.kept} people who are"
        message += (
            f" {people} no longer your client keep{'s' if saved.kept == 1 else ''} the version they had: "
            "your changes reach only your own clients."
        )
    return message


def _builder_page(draft, exercises, program, change=None, problems=(), unsaved=False, status=200):
    focus = editing.focus_id(draft, change) if change is not None else ""
    open_weeks = {p.week for p in problems if p.week is not None}
    if change is not None:
        open_weeks |= editing.weeks_to_open(draft, change)
    if not open_weeks and not problems:
        open_weeks.add(0)
    library = sorted(editing.pickable(exercises).values(), key=lambda e: e.name.lower())
    page = render_template(
        "builder/edit.html",
        draft=draft,
        program=program,
        exercises=exercises,
        # The picker: the trainer's own exercises first, then the library, each by name.
        choices=sorted(library, key=lambda e: e.owner_id is None),
        choice_labels=editing.choice_labels({e.id: e for e in library}),
        search_text=search_text,
        positions=[(p, POSITION_LABELS[p]) for p in POSITIONS],
        position_labels=POSITION_LABELS,
        default_dose=default_dose,
        max_items=editing.MAX_ITEMS,
        problems=list(problems),
        problem_fields={p.field for p in problems},
        message=change.message if change is not None else "",
        focus=focus,
        open_weeks=open_weeks,
        unsaved=unsaved,
        weekdays=WEEKDAYS,
        day_names=DAY_NAMES,
        week_id=editing.week_id,
        item_id=editing.item_id,
        routine_id=editing.routine_id,
        item_dose=editing.draft_dose,
        picture=illustration_url,
        in_use=program is not None and editing.in_use(program),
        deletable=program is not None and not archiving.ever_used(program),
    )
    return page, status


@bp.get("/trainer/programs/<int:program_id>/preview")
@trainer_required
def program_preview(program_id: int):
    program = editing.usable_program(current_user, program_id) or abort(404)
    return render_template("builder/preview.html", program=program, **_reading_helpers())


@bp.get("/trainer/programs/<int:program_id>/print")
@trainer_required
def program_print(program_id: int):
    program = editing.usable_program(current_user, program_id) or abort(404)
    client = None
    chosen = request.args.get("client_id", "")
    if chosen:
        client_id = whole_number(chosen, 1)
        client = assigning.own_client(current_user, client_id) if client_id else None
        if client is None:
            abort(404)
    own_clinic = clinic.clinic_of(current_user)
    return render_template(
        "builder/print.html",
        program=program,
        client=client,
        clients=assigning.own_clients(current_user),
        clinic=own_clinic,
        clinic_logo=clinic.logo_url(own_clinic),
        exercises=editing.exercises_in(program),
        advice=ADVICE,
        green_rise=GREEN_RISE_MAX,
        amber_rise=AMBER_RISE_MAX,
        ceiling=PAIN_CEILING,
        **_reading_helpers(),
    )


def _reading_helpers() -> dict:
    return {
        "day_names": DAY_NAMES,
        "dose_text": dose_text,
        "picture": illustration_url,
        "minutes_of": program_minutes_words,
        "routine_minutes": lambda routine: routine_minutes(routine.items),
    }


@bp.route("/trainer/programs/<int:program_id>/assign", methods=["GET", "POST"])
@trainer_required
def program_assign(program_id: int):
    program = editing.usable_program(current_user, program_id) or abort(404)
    if not program.is_current:
        return redirect(url_for(".program_assign", program_id=editing.current_version(program).id))
    if program.archived_at is not None:
        flash(ARCHIVED_NOT_ASSIGNED.format(name=program.name), "error")
        return redirect(url_for(".program_list"))
    today = local_date(utcnow(), current_user.timezone)
    clients = assigning.own_clients(current_user)
    errors: dict[str, str] = {}
    chosen: list[str] = []
    start_value = today.isoformat()
    if request.method == "POST":
        form = forms.AssignForm(request.form)
        # A stranger's id (or no id at all) is refused before anything else is looked at, and nothing is assigned.
        if form.clients.process_errors:
            abort(404, description=forms.NOT_YOURS)
        if not form.validate():
            abort(400, description=next(iter(form.errors.values()))[0])
        ids, start_value = form.clients.data, form.start.data
        chosen = [str(i) for i in ids]
        if any(assigning.own_client(current_user, i) is None for i in ids):
            abort(404, description=forms.NOT_YOURS)
        start, problem = assigning.start_date_problem(start_value, today)
        if problem:
            errors["start"] = problem
        if not ids:
            errors["clients"] = "Choose at least one client."
        # Replacing a program someone is part-way through asks first (the form comes back with the question).
        replacing = assigning.under_way([assigning.own_client(current_user, i) for i in ids], today)
        if not errors and replacing and form.confirm.data != "replace":
            return _assign_page(program, clients, chosen, start_value, today, errors, replacing)
        if not errors:
            try:
                assigned = assigning.assign_to_clients(current_user, program, ids, start)
            except assigning.NotYourClient:
                abort(404, description=forms.NOT_YOURS)
            except assigning.ProgramArchived:
                flash(ARCHIVED_NOT_ASSIGNED.format(name=program.name), "error")
                return redirect(url_for(".program_list"))
            names = ", ".join(client.name for client in assigned)
            flash(
                f"{program.name} assigned to {names} from {long_date(start)}. Their phones get it at the next sync.",
                "success",
            )
            return redirect(url_for(".program_list"))
    return _assign_page(program, clients, chosen, start_value, today, errors)


def _assign_page(program, clients, chosen, start_value, today, errors, replacing=()):
    try:
        starts_on = date.fromisoformat(start_value)
    except ValueError:
        starts_on = None
    return render_template(
        "builder/assign.html",
        program=program,
        clients=clients,
        client_plans=assigning.current_plans(clients),
        chosen=set(chosen),
        start_value=start_value,
        today=today,
        last_day=today + timedelta(days=assigning.AHEAD_DAYS),
        errors=errors,
        replacing=replacing,
        starts_on=starts_on,
        minutes_of=program_minutes_words,
    ), (400 if errors else 200)


@bp.post("/trainer/programs/<int:program_id>/archive")
@trainer_required
def program_archive(program_id: int):
    program = editing.own_program(current_user, program_id) or abort(404)
    program = editing.current_version(program)
    followers = assigning.followers_by_family([program.family]).get(program.family, 0)
    name = program.name
    archiving.archive(program)
    flash(_archived_message(name, followers), "success")
    return redirect(url_for(".program_list"))


def _archived_message(name: str, followers: int) -> str:
    message = f"Archived {name}: it is out of your programs and cannot be assigned."
    if followers == 1:
        return f"{message} The client following it keeps it as it is."
    if followers:
        return f"{message} The {followers} clients following it keep it as it is."
    return message


@bp.post("/trainer/programs/<int:program_id>/restore")
@trainer_required
def program_restore(program_id: int):
    program = editing.own_program(current_user, program_id) or abort(404)
    form = forms.RestoreForm(request.form)
    if not form.validate():
        abort(400, description=form.back.errors[0])
    current = editing.current_version(program)
    name, current_id = current.name, current.id
    archiving.restore(program)
    flash(f"Restored {name}. You can change it and assign it again.", "success")
    # From the edit page (where a refused save points to Restore), back to it; the list otherwise.
    if form.back.data == "edit":
        return redirect(url_for(".program_edit", program_id=current_id))
    return redirect(url_for(".program_list"))


@bp.route("/trainer/programs/<int:program_id>/delete", methods=["GET", "POST"])
@trainer_required
def program_delete(program_id: int):
    program = editing.current_version(editing.own_program(current_user, program_id) or abort(404))
    return _delete_or_confirm(
        "program",
        program.name,
        remove=lambda: archiving.delete(program),
        refused=archiving.InUse,
        because=PROGRAM_USED,
        used=lambda: archiving.ever_used(program),
        archived=program.archived_at is not None,
        archive_url=url_for(".program_archive", program_id=program.id),
        back_url=url_for(".program_list"),
    )


def _delete_or_confirm(what: str, name: str, *, remove, refused, because, used, archived, archive_url, back_url):
    """A program's or exercise's delete page (GET), and the delete itself (POST) unless something uses it.

    A POST on something in use is forged (its page offers no button then): it is refused with the reason.
    """
    if request.method == "POST":
        try:
            remove()
        except refused:
            flash(f"{name} was not deleted: {because} Archive it instead.", "error")
        else:
            flash(f"Deleted {name}.", "success")
        return redirect(back_url)
    return render_template(
        "builder/delete.html",
        name=name,
        what=what,
        used=used(),
        used_because=because,
        archived=archived,
        delete_url=request.path,
        archive_url=archive_url,
        back_url=back_url,
    )


# --- Custom exercises --------------------------------------------------------------------------------


@bp.get("/trainer/exercises/")
@trainer_required
def exercise_list():
    exercises = custom.own_exercises(current_user)
    archived = custom.own_exercises(current_user, archived=True)
    return render_template(
        "builder/exercises.html",
        exercises=exercises,
        archived=archived,
        used=custom.used_exercise_ids([e.id for e in exercises + archived]),
        full=custom.no_room_for_another(len(exercises) + len(archived)),
        kinds=KIND_LABELS,
        picture=illustration_url,
    )


@bp.route("/trainer/exercises/new", methods=["GET", "POST"])
@csrf.exempt
@trainer_required
def exercise_new():
    if request.method == "POST":
        return _exercise_post(None)
    if custom.no_room_for_another(custom.own_count(current_user)):
        return redirect(url_for(".exercise_list"))  # which says why, where the button to make one was
    return _exercise_page(custom.blank_form(), None)


@bp.route("/trainer/exercises/<int:exercise_id>/edit", methods=["GET", "POST"])
@csrf.exempt
@trainer_required
def exercise_edit(exercise_id: int):
    exercise = custom.own_exercise(current_user, exercise_id) or abort(404)
    if request.method == "POST":
        return _exercise_post(exercise)
    return _exercise_page(custom.form_from_exercise(exercise), exercise)


PICTURE_AGAIN = "Choose the picture again: a picture is not kept while the form has a problem."


def _exercise_post(exercise: Exercise | None):
    form = forms.exercise_from_form(request.form)
    full = custom.no_room_for_another(custom.own_count(current_user)) if exercise is None else None
    if full:
        return _no_room(form, full)
    kept = custom.kept_by_former_clients(exercise) if exercise is not None else 0
    if kept:
        people = "1 person who is" if kept == 1 else f"{kept} people who are"
        problem = (
            f"{people} no longer your client still follow{'s' if kept == 1 else ''} a program with this exercise, "
            "so it stays as they know it. Make a new exercise to change it."
        )
        return _exercise_page(form, exercise, {"name": problem}, status=409)
    locked = exercise.kind if exercise is not None and custom.used_in_programs(exercise) else None
    clean, errors = custom.check(form, {m.slug: m for m in all_muscles()}, locked)
    image = _picture_sent("image", errors)
    if errors:
        if _chosen("image"):
            errors.setdefault("image", PICTURE_AGAIN)
        return _exercise_page(form, exercise, errors, status=400)
    try:
        saved = custom.save(current_user, clean, image, exercise)
    except custom.NoRoom as no_room:
        return _no_room(form, str(no_room))
    flash(f"Saved {saved.name}. You can add it to your programs now.", "success")
    return redirect(url_for(".exercise_list"))


def _no_room(form, full: str):
    # The form comes back as it was sent, so nothing typed is lost while the trainer makes room.
    errors = {"name": full}
    if _chosen("image"):
        errors["image"] = PICTURE_AGAIN
    return _exercise_page(form, None, errors, status=409)


def _chosen(name: str) -> bool:
    upload = request.files.get(name)
    return upload is not None and bool(upload.filename)


def _picture_sent(name: str, errors: dict[str, str]):
    """The picture chosen in the file field `name`, checked (content.images); None when none was chosen, or
    when it is refused, with the reason in errors[name]."""
    if not _chosen(name):
        return None
    try:
        # Read one byte past the limit: enough to know it is too big without reading all of it.
        return check_image(request.files[name].stream.read(MAX_IMAGE_BYTES + 1))
    except ImageRefused as refused:
        errors[name] = str(refused)
        return None


def _exercise_page(form, exercise, errors=None, status=200):
    return render_template(
        "builder/exercise_form.html",
        form=form,
        exercise=exercise,
        errors=errors or {},
        muscles=all_muscles(),
        positions=[(p, POSITION_LABELS[p]) for p in POSITIONS],
        equipment=EQUIPMENT,
        kinds=KIND_LABELS,
        picture=illustration_url,
        max_mb=MAX_IMAGE_BYTES // ONE_MB,
        deletable=exercise is not None and not custom.is_used(exercise),
    ), status


@bp.post("/trainer/exercises/<int:exercise_id>/archive")
@trainer_required
def exercise_archive(exercise_id: int):
    exercise = custom.own_exercise(current_user, exercise_id) or abort(404)
    custom.set_archived(exercise, True)
    flash(
        f"Archived {exercise.name}: it is out of the library and the exercise picker. "
        "Programs that have it keep it, and clients still see it there.",
        "success",
    )
    return redirect(url_for(".exercise_list"))


@bp.post("/trainer/exercises/<int:exercise_id>/restore")
@trainer_required
def exercise_restore(exercise_id: int):
    exercise = custom.own_exercise(current_user, exercise_id) or abort(404)
    custom.set_archived(exercise, False)
    flash(f"Restored {exercise.name}. It is back in the library and the exercise picker.", "success")
    return redirect(url_for(".exercise_list"))


@bp.route("/trainer/exercises/<int:exercise_id>/delete", methods=["GET", "POST"])
@trainer_required
def exercise_delete(exercise_id: int):
    exercise = custom.own_exercise(current_user, exercise_id) or abort(404)
    return _delete_or_confirm(
        "exercise",
        exercise.name,
        remove=lambda: custom.delete(exercise),
        refused=custom.InUse,
        because=EXERCISE_USED,
        used=lambda: custom.is_used(exercise),
        archived=not exercise.is_active,
        archive_url=url_for(".exercise_archive", exercise_id=exercise.id),
        back_url=url_for(".exercise_list"),
    )


@bp.get("/media/exercises/<int:exercise_id>-<sha>.<ext>")
@login_required
def exercise_image(exercise_id: int, sha: str, ext: str):
    """A custom exercise's picture, for those who may open the exercise (content.may_open)."""
    # Its trainer, that trainer's clients, and any client whose plan holds it (after leaving that trainer too).
    if not may_open(current_user, exercise_id):
        abort(404)
    row = custom.image_for(exercise_id, sha, ext) or abort(404)
    response = make_response(row.data)
    response.mimetype = row.mimetype
    # The URL changes with the picture's hash, so a copy may be kept for good; private: it is per user.
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.set_etag(row.sha256)
    return response


# --- The clinic on printouts ---------------------------------------------------------------------------


@bp.route("/trainer/clinic", methods=["GET", "POST"])
@csrf.exempt
@trainer_required
def clinic_settings():
    """The clinic's name and logo (the settings page shows the same form); a refused save comes back here, 400."""
    if request.method == "GET":
        return _clinic_page({})
    form = forms.ClinicForm(request.form)
    if not form.validate():
        if form.remove_logo.errors:
            abort(400, description=form.remove_logo.errors[0])
        return _clinic_page({"clinic_name": form.clinic_name.errors[0]}, form.clinic_name.data, status=400)
    name, problem = clinic.check_name(form.clinic_name.data)
    errors = {"clinic_name": problem} if problem else {}
    logo = _picture_sent("logo", errors)
    if errors:
        return _clinic_page(errors, name, status=400)
    clinic.save(current_user, clinic.ClinicChange(name, logo, form.remove_logo.data == "1"))
    flash("Your clinic is saved: its name and logo print at the top of your programs.", "success")
    return redirect(url_for("account.index") + "#clinic", code=303)


def _clinic_page(errors, name=None, status=200):
    own = clinic.clinic_of(current_user)
    extra = {} if name is None else {"clinic_name": name}
    return render_template(
        "builder/clinic.html",
        clinic=own,
        clinic_logo=clinic.logo_url(own),
        clinic_errors=errors,
        max_mb=MAX_IMAGE_BYTES // ONE_MB,
        **extra,
    ), status


@bp.get("/media/clinics/<int:trainer_id>-<sha>.<ext>")
@trainer_required
def clinic_logo(trainer_id: int, sha: str, ext: str):
    """A trainer's logo, for that trainer only (they print their programs)."""
    row = clinic.logo_for(current_user, trainer_id, sha, ext) or abort(404)
    response = make_response(row.logo)
    response.mimetype = row.logo_mimetype
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    response.set_etag(row.logo_sha256)
    return response
