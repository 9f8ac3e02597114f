"""The shipped content: every file loads and links up, bad files are refused whole, pages and API agree."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from webapp.bundle import AutoReloader, load_content
from webapp.content.files import DATA_DIR, ContentError, content_version, read_bundle
from webapp.content.loader import stored_version
from webapp.content.models import Exercise, Lesson
from webapp.extensions import db
from webapp.programs.models import Program

ROOT = Path(__file__).resolve().parent.parent
ILLUSTRATIONS = ROOT / "static" / "img" / "exercises"
SVG = "{http://www.w3.org/2000/svg}"

# The exercises named in the clinical facts table, each of which the library must cover.
CORE_TABLE = [
    "drawing-in", "abdominal-brace", "pelvic-floor-squeeze", "pelvic-tilt", "knee-rolls", "cat-camel",
    "childs-pose", "knee-to-chest", "prone-press-up", "glute-bridge", "bird-dog", "dead-bug", "mcgill-curl-up",
    "side-plank-knees", "side-plank", "front-plank", "clamshell", "wall-sit", "hamstring-stretch",
    "hip-flexor-stretch", "figure-4-stretch", "walking",
]  # fmt: skip
# The course, in the order Today suggests it: pain science early, the flare-up plan and sciatica after the
# traffic light and the red flags they build on.
COURSE = [
    "why-move", "how-pain-works", "the-core", "back-and-belly-muscles", "hips-and-hamstrings",
    "progress-you-cannot-see", "small-steps", "pain-traffic-light", "red-flags", "flare-up-plan", "sciatica",
    "building-the-habit", "everyday-back-care",
]  # fmt: skip
LESSON_TOPICS = COURSE
STARTERS = [
    "gentle-start", "core-foundations", "desk-endurance", "walking-progression", "standing-strength", "core-strength",
]  # fmt: skip
# Getting down to the floor: what a standing-only program must never ask for.
FLOOR_POSITIONS = {"lying-back", "lying-front", "lying-side", "all-fours", "kneeling"}
BALANCE = {"heel-to-toe-stand", "single-leg-stand"}


@pytest.fixture(scope="module")
def bundle():
    return read_bundle()


def test_every_content_file_loads(bundle):
    assert len(bundle.lessons) >= 8
    assert len(bundle.exercises) >= 24
    assert set(CORE_TABLE) <= set(bundle.exercises)
    assert set(LESSON_TOPICS) <= set(bundle.lessons)
    assert set(STARTERS) <= set(bundle.programs)


def test_muscle_index_holds_the_articles_major_and_minor_lists(bundle):
    major = {s for s, m in bundle.muscles.items() if m.group == "major"}
    minor = {s for s, m in bundle.muscles.items() if m.group == "minor"}
    assert major == {
        "erector-spinae", "longissimus-thoracis", "rhomboids", "splenius", "semispinalis", "multifidus",
        "rectus-abdominis", "obliques", "transverse-abdominis", "pelvic-floor",
    }  # fmt: skip
    assert minor == {"trapezius", "latissimus-dorsi", "gluteals"}


def test_every_cross_link_resolves(bundle):
    for slug, exercise in bundle.exercises.items():
        for target in (exercise.easier, exercise.harder):
            assert not target or target in bundle.exercises, (slug, target)
        assert all(m in bundle.muscles for m in exercise.muscles), slug
        # Small steps: an easier or a harder version is exactly one level away; where there is none, the file says why.
        for link, step in (("easier", -1), ("harder", 1)):
            target = getattr(exercise, link)
            if target:
                assert bundle.exercises[target].level == exercise.level + step, (slug, link, target)
            else:
                assert getattr(exercise, f"no_{link}").strip(), (slug, f"no_{link}")
    for slug, lesson in bundle.lessons.items():
        assert all(e in bundle.exercises for e in lesson.related_exercises), slug
    for slug, program in bundle.programs.items():
        for week in program.weeks:
            for routine in week.routines:
                assert all(item.exercise in bundle.exercises for item in routine.exercises), slug


def test_starter_programs_progress_over_several_weeks(bundle):
    for slug in STARTERS:
        program = bundle.programs[slug]
        assert len(program.weeks) >= 2, slug
        volume = [
            sum(i.sets * i.reps * max(i.hold_seconds, 1) for r in week.routines for i in r.exercises)
            for week in program.weeks
        ]
        assert volume[-1] > volume[0], f"{slug}: the dose should grow from the first week to the last"
    assert len(bundle.programs["core-foundations"].weeks) == 6


def program_slugs(program) -> list[list[str]]:
    """Each week's exercises, every routine's together, in plan order."""
    return [[i.exercise for r in week.routines for i in r.exercises] for week in program.weeks]


def test_standing_program_never_goes_down_to_the_floor_and_trains_balance_every_session(bundle):
    program = bundle.programs["standing-strength"]
    assert (len(program.weeks), program.sessions_per_week) == (6, 3)
    for number, week in enumerate(program.weeks, start=1):
        for routine in week.routines:
            slugs = [i.exercise for i in routine.exercises]
            floor = [s for s in slugs if bundle.exercises[s].position in FLOOR_POSITIONS]
            assert not floor, f"week {number}, {routine.name}: {floor} need getting down to the floor"
            assert BALANCE & set(slugs), f"week {number}, {routine.name}: no balance exercise"
    levels = [max(bundle.exercises[s].level for s in week) for week in program_slugs(program)]
    # Careful, slow steps: it starts at level 1 and 2 and reaches level 3 only in the second half.
    assert levels == sorted(levels) and levels[0] <= 2 and levels[-1] == 3
    assert all(level < 3 for level in levels[:3])
    text = program.audience.lower()
    assert "fallen" in text and "falls service" in text and "hand on the counter" in text


def test_active_program_reaches_level_4_one_level_at_a_time(bundle):
    program = bundle.programs["core-strength"]
    assert (len(program.weeks), program.sessions_per_week) == (6, 3)
    weeks = program_slugs(program)
    assert {"front-plank", "side-plank", "single-leg-bridge", "dead-bug"} <= set(weeks[-1])
    seen: set[str] = set()
    for number, slugs in enumerate(weeks, start=1):
        for slug in dict.fromkeys(slugs):
            exercise = bundle.exercises[slug]
            if exercise.level == 4:
                # A level 4 exercise comes only after its level 3 step has had a week of its own.
                assert exercise.easier in seen, f"week {number}: {slug} before {exercise.easier}"
        seen |= set(slugs)
    # Its audience says who it is NOT for, and where they should start instead.
    assert "not for you" in program.audience and "Gentle start" in program.audience


def test_program_doses_stay_within_each_exercises_top(bundle):
    """No program's doses ask for more than the top of an exercise's dose: past it comes the harder one."""
    for slug, program in bundle.programs.items():
        for week in program.weeks:
            for routine in week.routines:
                for item in routine.exercises:
                    top = bundle.exercises[item.exercise].dose.top()
                    over = {k: v for k, v in top.items() if getattr(item, k) > v}
                    assert not over, (slug, routine.name, item.exercise, over)


def test_lessons_run_as_a_course_each_with_sources_and_a_short_self_check(bundle):
    assert [slug for slug, _ in sorted(bundle.lessons.items(), key=lambda kv: kv[1].order)] == COURSE
    assert len({lesson.order for lesson in bundle.lessons.values()}) == len(bundle.lessons)
    for slug, lesson in bundle.lessons.items():
        assert lesson.sources, slug
        assert 2 <= len(lesson.quiz) <= 5, slug
        assert all(q.explanation.strip() for q in lesson.quiz), slug
    # The lessons that speak of emergencies lead to the safety check.
    for slug in ("red-flags", "flare-up-plan", "sciatica"):
        links = [s.link.url for s in bundle.lessons[slug].sections if s.link]
        assert "/safety/" in links, slug


def test_new_lessons_say_when_to_get_help_and_cite_it():
    flare = (DATA_DIR / "lessons" / "flare-up-plan.toml").read_text()
    assert "not getting better after a few weeks" in flare
    assert "https://www.nhs.uk/conditions/back-pain/" in flare
    sciatica = (DATA_DIR / "lessons" / "sciatica.toml").read_text()
    for sign in ("both legs", "getting worse", "genitals"):
        assert sign in sciatica, sign
    assert "https://www.nice.org.uk/guidance/ng59" in sciatica
    pain = (DATA_DIR / "lessons" / "how-pain-works.toml").read_text()
    assert "Louw" in pain and "Hurt does not always mean harm" in pain


@pytest.mark.parametrize("slug", sorted(p.stem for p in (DATA_DIR / "exercises").glob("*.toml")))
def test_every_exercise_has_a_safe_small_illustration(slug):
    path = ILLUSTRATIONS / f"{slug}.svg"
    assert path.exists(), f"no illustration for {slug}"
    raw = path.read_bytes()
    # A moving figure, its two still positions for reduced motion and its timing (tools/figures/README.md).
    assert len(raw) <= 14 * 1024, f"{slug}.svg is {len(raw)} bytes"
    root = ET.fromstring(raw)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    for element in root.iter():
        assert element.tag not in (f"{SVG}script", f"{SVG}foreignObject"), slug
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (slug, name)
            if name.endswith("href"):
                assert value.startswith("#"), (slug, value)
    assert b"javascript:" not in raw.lower()


# --- Bad input: a broken file is refused with its name and field, and nothing changes. ---


@pytest.fixture
def content_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert re.search(old, text, flags=re.M), f"{old!r} not in {path.name}"
    path.write_text(re.sub(old, new, text, count=1, flags=re.M))


BROKEN = [
    ("exercises/bird-dog.toml", r"^cue = .*$", "", "exercises/bird-dog.toml: cue: this field is required"),
    ("exercises/bird-dog.toml", r'^muscles = \["', 'muscles = ["kneecap", "', "muscles[0]: unknown muscle 'kneecap'"),
    ("exercises/bird-dog.toml", r'^easier = ".*"$', 'easier = "flying-dog"', "easier: no exercise 'flying-dog'"),
    ("exercises/bird-dog.toml", r'^kind = ".*"$', 'kind = "stretchy"', "exercises/bird-dog.toml: kind:"),
    ("exercises/bird-dog.toml", r"^level = \d+$", "level = 9", "level: Input should be less than or equal to 5"),
    ("lessons/why-move.toml", r'^related_exercises = \["', 'related_exercises = ["nope", "', "related_exercises[0]"),
    ("programs/gentle-start.toml", r'exercise = "[a-z-]+"', 'exercise = "moon-walk"', "no exercise 'moon-walk'"),
    ("programs/gentle-start.toml", r"^sessions_per_week = \d+$", "sessions_per_week = 7", "plans 3 sessions"),
    ("exercises/bird-dog.toml", r"^name = ", "name = = ", "not valid TOML"),
    # Two levels up is not a small step: a harder version must be one level above.
    ("exercises/glute-bridge.toml", r'^harder = ".*"$', 'harder = "single-leg-bridge"', "must be level 3"),
    ("exercises/bird-dog.toml", r'^harder = ".*"$', 'harder = ""', "no_harder: there is no harder version, so say why"),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BROKEN, ids=[b[3][:40] for b in BROKEN])
def test_a_bad_file_names_file_and_field_and_changes_nothing(app, content_copy, file, old, new, message):
    edit(content_copy / file, old, new)
    with app.app_context():
        before_version = stored_version()
        before = db.session.execute(db.select(db.func.count(Exercise.id))).scalar()
        with pytest.raises(ContentError) as caught:
            load_content(read_bundle(content_copy))
        assert message in str(caught.value)
        assert file in str(caught.value)
        assert stored_version() == before_version
        assert db.session.execute(db.select(db.func.count(Exercise.id))).scalar() == before


def test_init_db_reports_a_bad_file_and_exits_non_zero(runner, monkeypatch, content_copy):
    edit(content_copy / "exercises/bird-dog.toml", r"^cue = .*$", "")
    monkeypatch.setattr("webapp.content.files.DATA_DIR", content_copy)
    monkeypatch.setattr("webapp.bundle.read_bundle", lambda: read_bundle(content_copy))
    result = runner.invoke(args=["init-db"])
    assert result.exit_code != 0
    assert "exercises/bird-dog.toml: cue: this field is required" in result.output


# --- Versions and reloading ---


def test_content_version_changes_whenever_a_file_does(content_copy):
    before = content_version(content_copy)
    edit(content_copy / "lessons/why-move.toml", r"^title = \"", 'title = "Updated: ')
    assert content_version(content_copy) != before


def test_changed_files_are_reloaded_and_a_changed_program_becomes_a_new_version(app, content_copy):
    reloader = AutoReloader(interval=0, root=content_copy)
    app.config["CONTENT_AUTO_RELOAD"] = True
    edit(content_copy / "lessons/why-move.toml", r"^title = \".*\"$", 'title = "Moving beats resting"')
    edit(content_copy / "programs/gentle-start.toml", r"^level = 1$", "level = 2")
    with app.test_request_context("/"):
        reloader()
        lesson = db.session.execute(db.select(Lesson).filter_by(slug="why-move")).scalar_one()
        assert lesson.title == "Moving beats resting"
        versions = db.session.execute(
            db.select(Program.version, Program.is_current, Program.level)
            .filter_by(family="gentle-start")
            .order_by(Program.version)
        ).all()
        assert [(v, c) for v, c, _ in versions] == [(1, False), (2, True)]
        assert versions[-1][2] == 2
        reloader()  # unchanged files: no further version
        assert db.session.execute(db.select(db.func.count(Program.id)).filter_by(family="gentle-start")).scalar() == 2


def test_a_broken_edit_keeps_the_site_on_the_last_good_content(app, content_copy, caplog):
    reloader = AutoReloader(interval=0, root=content_copy)
    app.config["CONTENT_AUTO_RELOAD"] = True
    edit(content_copy / "exercises/bird-dog.toml", r"^cue = .*$", "")
    with app.test_request_context("/"):
        reloader()
        assert db.session.execute(db.select(Exercise.cue).filter_by(slug="bird-dog")).scalar()
    assert "Content not reloaded" in caplog.text


def test_removed_exercise_is_hidden_but_kept(app, client, content_copy):
    (content_copy / "exercises/walking.toml").unlink()
    for file in (content_copy / "programs").glob("*.toml"):
        if "walking" in file.read_text():
            file.unlink()
    for file in (content_copy / "lessons").glob("*.toml"):
        edit(file, r"^related_exercises = .*$", "related_exercises = []")
    with app.app_context():
        load_content(read_bundle(content_copy))
        assert db.session.execute(db.select(Exercise.is_active).filter_by(slug="walking")).scalar() is False
    assert client.get("/exercises/walking").status_code == 404


# --- Pages ---


def slugs_on(html: str) -> set[str]:
    return set(re.findall(r'class="exercise-card">\s*<a href="/exercises/([a-z0-9-]+)"', html))


def test_library_lists_every_exercise(client, bundle):
    assert slugs_on(client.get("/exercises/").get_data(as_text=True)) == set(bundle.exercises)


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("muscle=obliques", lambda e, b: "obliques" in b.exercises[e].muscles),
        ("kind=hold", lambda e, b: b.exercises[e].kind == "hold"),
        ("position=all-fours", lambda e, b: b.exercises[e].position == "all-fours"),
        ("level=1", lambda e, b: b.exercises[e].level == 1),
        (
            "kind=reps&position=lying-back&level=2",
            lambda e, b: (
                (b.exercises[e].kind, b.exercises[e].position, b.exercises[e].level) == ("reps", "lying-back", 2)
            ),
        ),
    ],
)
def test_filters_return_exactly_the_matching_exercises(client, bundle, query, check):
    shown = slugs_on(client.get(f"/exercises/?{query}").get_data(as_text=True))
    expected = {slug for slug in bundle.exercises if check(slug, bundle)}
    assert expected
    assert shown == expected


def ordered_slugs_on(html: str) -> list[str]:
    return re.findall(r'class="exercise-card">\s*<a href="/exercises/([a-z0-9-]+)"', html)


def test_free_text_search(client):
    found = ordered_slugs_on(client.get("/exercises/?q=bridge").get_data(as_text=True))
    assert set(found[:3]) == {"glute-bridge", "bridge-march", "single-leg-bridge"}, "named by the search come first"
    assert "side-plank" in slugs_on(client.get("/exercises/?q=side+plank").get_data(as_text=True))
    assert "bird-dog" in slugs_on(client.get("/exercises/?q=multifidus").get_data(as_text=True))
    page = client.get("/exercises/?q=zzzz").get_data(as_text=True)
    assert slugs_on(page) == set()
    assert "No exercise matches" in page


def test_the_search_text_holds_each_word_once_and_finds_what_the_whole_text_would(app, client):
    """Every exercise's search text (written into the library page for its script) says each word once, and a
    search word, however cut, is found in it exactly when it is in the exercise's own words."""
    from webapp.content.services import search_text

    with app.app_context():
        exercises = list(db.session.execute(db.select(Exercise)).scalars())
        for exercise in exercises:
            text = search_text(exercise)
            assert len(text.split()) == len(set(text.split())), exercise.slug
            details = exercise.details or {}
            whole = " ".join([exercise.name, exercise.summary, *details.get("steps", [])]).lower()
            for word in whole.split()[::7]:
                for piece in (word, word[1:-1], word[:3]):
                    assert piece in text, (exercise.slug, piece)
    # A word only a step says, at the end of a word: still found.
    assert "glute-bridge" in slugs_on(client.get("/exercises/?q=hip-width").get_data(as_text=True))


def test_nonsense_filters_are_ignored_not_errors(client, bundle):
    response = client.get("/exercises/?level=banana&kind=<script>&position=moon")
    assert response.status_code == 200
    assert slugs_on(response.get_data(as_text=True)) == set(bundle.exercises)


def test_exercise_page_can_be_followed_alone(client):
    html = client.get("/exercises/glute-bridge").get_data(as_text=True)
    for heading in ("How to do it", "What you should feel", "Common mistakes", "Stop if", "Muscles it trains"):
        assert heading in html
    # The easier and the harder version, one level either side (level 2): pelvic tilt and the marching bridge.
    assert 'href="/exercises/pelvic-tilt"' in html and 'href="/exercises/bridge-march"' in html
    assert "level 1" in html and "level 3" in html
    assert re.search(r'<img src="/static/img/exercises/glute-bridge\.svg\?v=\w+" alt="[^"]{20,}"', html)
    assert client.get("/exercises/no-such-exercise").status_code == 404


def test_lesson_page_has_reading_time_key_points_sources_and_a_self_check(client):
    html = client.get("/lessons/pain-traffic-light").get_data(as_text=True)
    assert re.search(r"\d+ min read", html)
    assert "Key points" in html and "Sources" in html and "Check yourself" in html
    assert client.get("/lessons/nope").status_code == 404


def test_self_check_works_without_script(client, bundle):
    quiz = bundle.lessons["why-move"].quiz
    right, wrong = quiz[0].answer, (quiz[0].answer + 1) % len(quiz[0].choices)
    html = client.get(f"/lessons/why-move?q0={right}&q1={wrong if quiz[1].answer != wrong else right}").get_data(
        as_text=True
    )
    assert "Right." in html
    html = client.get(f"/lessons/why-move?q0={wrong}").get_data(as_text=True)
    assert "Not quite." in html and "choice--wrong" in html


def test_muscles_page_links_every_core_muscle_to_its_exercises(client, bundle):
    html = client.get("/muscles/").get_data(as_text=True)
    for slug, muscle in bundle.muscles.items():
        if muscle.group in ("major", "minor"):
            assert f"/exercises/?muscle={slug}" in html, slug
    assert html.count("<svg") >= 2


# --- API ---


def test_api_content_matches_the_contract(client, auth, users, bundle):
    auth.login()
    exercises = client.get("/api/v1/exercises").get_json()["exercises"]
    assert {e["slug"] for e in exercises} == set(bundle.exercises)
    bird = next(e for e in exercises if e["slug"] == "bird-dog")
    assert bird["kind"] in ("hold", "reps")
    assert bird["muscles"] == list(bundle.exercises["bird-dog"].muscles)
    assert set(bird["dose"]) >= {"sets", "reps", "hold_seconds", "rest_seconds"}
    with client.get(bird["illustration"]) as image:
        assert image.status_code == 200 and image.mimetype == "image/svg+xml"

    lessons = client.get("/api/v1/lessons").get_json()["lessons"]
    assert [lesson["slug"] for lesson in lessons] == COURSE
    assert all(lesson["reading_minutes"] >= 1 for lesson in lessons)

    programs = client.get("/api/v1/programs").get_json()["programs"]
    gentle = next(p for p in programs if p["slug"] == "gentle-start")
    first = gentle["weeks"][0]["routines"][0]
    assert set(first) >= {"id", "name", "days", "exercises"}
    assert set(first["exercises"][0]) >= {"slug", "sets", "reps", "hold_seconds", "rest_seconds"}
