"""The guided player in a phone-sized Chromium, its clock run forward instead of waiting out a routine."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from webapp import ROOT
from webapp.assets import revisions_of
from webapp.extensions import db
from webapp.programs.services import assign, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.rules import light_of
from webapp.timeutil import utcnow

from .conftest import ARTIFACTS, PHONE, TEST_ZONE, login

ILLUSTRATIONS = "/static/img/exercises/"
# The outbox module by the URL the page's own imports name (with its revision, webapp/assets.py): the same
# instance the player has loaded, so importing it again needs no network, offline too.
OUTBOX = f"/static/js/outbox.js?v={revisions_of(ROOT / 'static')['js/outbox.js']}"
# Records what the page asks the voice and the vibration motor to do, without either being there.
RECORD_CUES = """
(() => {
  const said = [];
  const buzzed = [];
  Object.defineProperty(window, "__cues", { value: { said, buzzed } });
  if (window.speechSynthesis) {
    window.speechSynthesis.speak = (utterance) => said.push(utterance.text);
  }
  navigator.vibrate = (pattern) => { buzzed.push(pattern); return true; };
})();
"""


@pytest.fixture
def errors(page):
    """Console errors, except illustrations that are not drawn yet (they 404 until their SVG lands)."""
    found = []

    def record(message):
        if message.type != "error":
            return
        if ILLUSTRATIONS in (message.location or {}).get("url", ""):
            return
        found.append(message.text)

    page.on("console", record)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


@pytest.fixture
def alex(app, alex):
    """The conftest's Alex, past the safety screen and onboarding, as anyone who reaches the player is."""
    with app.app_context():
        client = db.session.merge(alex)
        screens.record_screen(client, [])
        records.finish_onboarding(client)
        db.session.refresh(client)
        db.session.expunge(client)
    return client


@pytest.fixture
def alex_on_core_foundations(app, alex):
    """Alex moved on to Core foundations, whose glute bridge has an easier version (the pelvic tilt)."""
    with app.app_context():
        client = db.session.merge(alex)
        assign(client, starter_program("core-foundations"), (utcnow() - timedelta(days=8)).date())
        db.session.expunge_all()
    return alex


def screen(page, name):
    return page.locator(f'[data-screen="{name}"]')


def open_player(page, base_url: str, with_exercise: str | None = None) -> dict:
    """Log in, find the routine in the plan, open its player; the page's clock is ours from the start."""
    # An hour behind the app's clock, so a session finished after running the clock forward never lies in the future.
    page.clock.install(time=utcnow() - timedelta(hours=1))
    login(page, base_url)
    plan = page.request.get(f"{base_url}/api/v1/plan").json()
    routine = next(
        r for r in plan["routines"] if with_exercise is None or any(e["slug"] == with_exercise for e in r["exercises"])
    )
    page.goto(f"{base_url}/routines/{routine['id']}/play")
    page.locator('[data-screen="start"]:not([hidden]), [data-screen="resume"]:not([hidden])').wait_for()
    return routine


def player_data(page) -> dict:
    return json.loads(page.locator("#player-data").text_content())


def start(page, pain_before: int = 3):
    page.check(f'input[name="pain_before"][value="{pain_before}"]')
    page.get_by_role("button", name="Start").click()
    screen(page, "play").wait_for()


def run_until_rating(page, limit_minutes: int = 30):
    for _ in range(limit_minutes * 2):
        if screen(page, "rating").is_visible():
            return
        page.clock.run_for(30_000)
    raise AssertionError("the routine never reached the rating screen")


def rate(page, pain_after: int, effort: int, painful: tuple[str, ...] = (), notes: str = ""):
    page.check(f'input[name="pain_after"][value="{pain_after}"]')
    page.check(f'input[name="effort"][value="{effort}"]')
    for name in painful:
        screen(page, "rating").get_by_label(name, exact=True).check()
    if notes:
        page.fill("#notes", notes)
    page.get_by_role("button", name="Save").click()
    screen(page, "outcome").wait_for()


def outbox(page) -> list[dict]:
    return page.evaluate(f"async () => (await import('{OUTBOX}')).listOutbox()")


def saved_session(page) -> dict:
    """The saved session wherever it is now: still in the outbox, or already taken up by the server."""
    found = page.wait_for_function(
        f"""async () => {{
            const queued = await (await import('{OUTBOX}')).listOutbox();
            if (queued.length) return queued[0].payload;
            const answer = await fetch('/api/v1/sessions', {{ credentials: 'same-origin' }});
            const sessions = answer.ok ? (await answer.json()).sessions : [];
            return sessions[0] || false;
        }}""",
        polling=200,
        timeout=10_000,
    )
    return found.json_value()


def shown(page, selector: str) -> str:
    return " ".join(page.locator(selector).text_content().split())


def test_a_whole_routine_offline_ends_in_the_outbox_with_red_advice(live_server, context, page, alex, errors):
    routine = open_player(page, live_server.url)
    data = player_data(page)
    # As on a phone: the app says it is ready for offline use, then the signal goes.
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'true'", timeout=15_000)
    context.set_offline(True)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    start(page, pain_before=4)
    assert shown(page, "[data-phase-label]") == "Get ready"
    assert shown(page, "[data-name]") == data["exercises"][0]["name"]
    assert page.evaluate("document.body.dataset.playing") == "true"
    run_until_rating(page)
    assert page.evaluate("document.body.dataset.playing") is None

    first, second = data["exercises"][0]["name"], data["exercises"][1]["name"]
    rate(page, pain_after=7, effort=6, painful=(second,), notes="Stiff <b>morning</b>")
    assert "Saved on this phone" in shown(page, '[data-screen="outcome"]')
    assert shown(page, "[data-light-headline]") == "Ease off next time"
    assert "Red" in shown(page, "[data-light-name]")
    assert page.locator("[data-verdict]").get_attribute("data-light") == "red"
    assert f"{second} hurt" in shown(page, "[data-hint-list]")

    [item] = outbox(page)
    session = item["payload"]
    assert item["state"] == "pending" and item["id"] == session["id"]
    assert item["light"] == "red"  # History's list of what waits on the phone tags it so
    # The safety check is asked for again, the session named as the server will name it once it has synced.
    kept = json.loads(page.evaluate("(me) => localStorage.getItem(`coresteady:safety:${me}`)", alex.id))
    said = [(t["kind"], t["reason"]) for t in kept["triggers"]]
    assert said == [("red_session", "a red session (pain 4 before, 7 after)")]
    assert session["routine_id"] == routine["id"] and session["user_id"] == alex.id
    assert (session["pain_before"], session["pain_after"], session["effort"]) == (4, 7, 6)
    assert session["notes"] == "Stiff <b>morning</b>"
    assert datetime.fromisoformat(session["completed_at"]) > datetime.fromisoformat(session["started_at"])
    done = {e["exercise"]: e for e in session["exercises"]}
    assert [e["exercise"] for e in session["exercises"]] == [e["slug"] for e in data["exercises"]]
    for planned in data["exercises"]:
        sides = 2 if planned["per_side"] else 1
        got = done[planned["slug"]]
        assert got["sets_done"] == planned["sets"], planned["slug"]
        assert got["reps_done"] == planned["sets"] * planned["reps"] * sides, planned["slug"]
        assert got["hold_seconds"] == (planned["hold_seconds"] if planned["kind"] == "hold" else 0)
        assert got["painful"] == (planned["name"] == second)
    assert first != second
    # Nothing but pictures went over the network while the routine ran and was saved.
    assert [url for url in requests if ILLUSTRATIONS not in url] == []
    # The note said "on this phone" while the session waited there; synced, it says so.
    note = page.locator("[data-saved-note]")
    expect(note).to_have_attribute("data-state", "waiting")
    context.set_offline(False)
    expect(note).to_have_attribute("data-state", "synced")
    expect(note).to_contain_text("Saved to your account.")
    assert outbox(page) == []
    # Finished and saved: nothing is left to resume.
    page.reload()
    screen(page, "start").wait_for()
    assert errors == []


def until_asked(page, limit_seconds: int = 600):
    """Run the clock until the rest after an exercise asks how the back is."""
    question = page.locator("[data-during]")
    for _ in range(limit_seconds // 5):
        if question.is_visible():
            return question
        page.clock.run_for(5_000)
    raise AssertionError("the player never asked about pain after an exercise")


@pytest.mark.online_only
def test_pain_is_asked_after_each_exercise_with_one_tap_a_key_or_a_skip(live_server, page, alex, errors):
    open_player(page, live_server.url)
    data = player_data(page)
    names = [e["name"] for e in data["exercises"]]
    start(page, pain_before=1)

    question = until_asked(page)
    assert shown(page, "[data-during-legend]") == f"Your back after {names[0]}?"
    assert question.get_by_role("radio").count() == 11
    question.locator('input[value="5"]').check()  # one tap
    assert shown(page, "[data-during-said]") == "5 of 10 noted: amber. Keep the next ones gentle and smaller."
    # The question fits beside what the rest shows: nothing needs scrolling to.
    glance = ("[data-phase-label]", "[data-time]", "[data-next]", '[data-action="skip-rest"]', "[data-name]",
              "[data-cue]", "[data-during]")  # fmt: skip
    within_reach(page, glance)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "player-pain-after-an-exercise.png"))
    assert question.get_by_role("button", name="Done with this question").is_visible()
    # A reload in the rest (a phone call, a locked screen) keeps the answer.
    page.reload()
    screen(page, "resume").wait_for()
    page.get_by_role("button", name="Resume where you stopped").click()
    assert question.is_visible() and question.locator('input[value="5"]').is_checked()
    page.get_by_role("button", name="Skip rest").click()
    assert not question.is_visible()

    # The next one by keyboard alone: a radio group, so the arrow keys choose.
    until_asked(page)
    assert names[1] in shown(page, "[data-during-legend]")
    question.locator('input[value="0"]').focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert question.locator('input[value="3"]').is_checked()
    assert shown(page, "[data-during-said]").startswith("3 of 10 noted: green")

    # Skipped: the question goes and nothing is recorded.
    page.get_by_role("button", name="Skip rest").click()
    until_asked(page)
    assert names[2] in shown(page, "[data-during-legend]")
    assert not question.locator("input:checked").count()
    page.get_by_role("button", name="Skip this question").click()
    assert not question.is_visible()

    run_until_rating(page)
    rate(page, pain_after=2, effort=3)
    # The worst of the session was the 5 after the first exercise: four points over the 1 before, so amber.
    assert shown(page, "[data-light-headline]") == "Stay at this level"
    # The verdict is drawn in its own light, not in the light of the last answer after an exercise.
    assert page.locator("[data-verdict]").get_attribute("data-light") == "amber"
    session = saved_session(page)
    ratings = [e["pain_during"] for e in session["exercises"]]
    assert ratings[:3] == [5, 3, None] and set(ratings[3:]) == {None}
    assert errors == []


def test_a_green_session_that_took_pain_above_5_says_keep_this_level(live_server, page, alex, errors):
    """8 before and 9 after adds one point: green. But pain above 5 is too much in the pain-monitoring model, so the
    outcome says to keep the dose, not "carry on" and "ready for a small step up" (rules.ADVICE["green_high"])."""
    open_player(page, live_server.url)
    start(page, pain_before=8)
    run_until_rating(page)
    rate(page, pain_after=9, effort=3)
    assert shown(page, "[data-light-headline]") == "Keep this level"
    assert shown(page, "[data-light-name]") == "Green zone · your back: 8 before, 9 now"
    assert page.locator("[data-verdict]").get_attribute("data-light") == "green"
    text = shown(page, "[data-light-text]")
    assert "it took your pain above 5" in text and "Keep the same dose next time" in text
    assert errors == []


@pytest.mark.online_only
def test_ending_early_with_little_pain_is_green_and_suggests_the_easier_version(
    live_server, page, alex_on_core_foundations, errors
):
    open_player(page, live_server.url, with_exercise="glute-bridge")
    data = player_data(page)
    bridge = next(e for e in data["exercises"] if e["slug"] == "glute-bridge")
    start(page)
    page.clock.run_for(20_000)
    page.get_by_role("button", name="End early").click()
    page.get_by_role("button", name="Yes, end and rate").click()
    screen(page, "rating").wait_for()
    rate(page, pain_after=2, effort=3, painful=(bridge["name"],))

    assert shown(page, "[data-light-headline]") == "Carry on"
    assert "Green" in shown(page, "[data-light-name]")
    hint = page.locator("[data-hint-list] li")
    assert "Next time try" in hint.inner_text()
    assert hint.get_by_role("link").get_attribute("href") == bridge["easier"]["url"]
    session = saved_session(page)
    assert session["pain_after"] == 2
    assert sum(e["reps_done"] for e in session["exercises"]) >= 1
    assert errors == []


def test_a_session_the_account_refuses_is_said_to_stay_on_the_phone_with_the_way_to_history(
    live_server, context, page, alex, errors
):
    def refuse(route):
        sent = route.request.post_data_json["sessions"]
        errors_ = ["routine_id: this routine is no longer in your plan"]
        route.fulfill(json={"results": [{"id": s["id"], "status": "invalid", "errors": errors_} for s in sent]})

    context.route("**/api/v1/sessions", refuse)
    open_player(page, live_server.url)
    start(page)
    page.clock.run_for(20_000)
    page.get_by_role("button", name="End early").click()
    page.get_by_role("button", name="Yes, end and rate").click()
    screen(page, "rating").wait_for()
    rate(page, pain_after=2, effort=3)

    note = page.locator("[data-saved-note]")
    expect(note).to_have_attribute("data-state", "refused")
    expect(note).to_contain_text("Saved on this phone, but your account could not take it.")
    assert note.get_by_role("link", name="See history").get_attribute("href") == "/history/"
    [item] = outbox(page)
    assert item["state"] == "rejected"


@pytest.mark.online_only
def test_pause_stops_the_clock_and_resume_carries_on(live_server, page, alex, errors):
    open_player(page, live_server.url)
    start(page)
    page.clock.run_for(3_000)
    page.get_by_role("button", name="Pause").click()
    assert page.evaluate("document.body.dataset.playing") is None
    held = shown(page, "[data-time]")
    page.clock.run_for(20_000)
    assert shown(page, "[data-time]") == held
    assert page.locator("[data-paused-note]").first.is_visible()

    page.get_by_role("button", name="Resume").click()
    assert page.evaluate("document.body.dataset.playing") == "true"
    page.clock.run_for(2_000)
    assert shown(page, "[data-time]") != held
    assert errors == []


@pytest.mark.online_only
def test_the_phones_back_button_pauses_and_asks_before_leaving_a_routine(live_server, page, alex, errors):
    routine = open_player(page, live_server.url)
    player = f"{live_server.url}/routines/{routine['id']}/play"
    start(page)
    # Started from a tap, the routine fills the screen where the browser allows it.
    assert page.evaluate("document.fullscreenEnabled ? document.fullscreenElement === document.documentElement : true")
    page.clock.run_for(3_000)

    page.go_back()
    question = page.locator("[data-leave-confirm]")
    expect(question).to_be_visible()
    expect(question).to_contain_text("Leave the routine? It is paused")
    assert page.url == player
    assert page.evaluate("document.body.dataset.playing") is None
    held = shown(page, "[data-time]")
    page.clock.run_for(10_000)
    assert shown(page, "[data-time]") == held

    # Staying carries on where it was, and Back asks again.
    page.get_by_role("button", name="Stay").click()
    expect(question).to_be_hidden()
    assert page.evaluate("document.body.dataset.playing") == "true"
    page.clock.run_for(2_000)
    assert shown(page, "[data-time]") != held
    page.go_back()
    expect(question).to_be_visible()

    # Leaving goes where Back was going, with the place kept for later.
    with page.expect_navigation():
        page.get_by_role("button", name="Leave").click()
    assert page.url.rstrip("/") == live_server.url
    page.goto(player)
    expect(page.locator('[data-screen="resume"]')).to_be_visible()
    assert page.evaluate("document.fullscreenElement") is None
    assert errors == []


@pytest.mark.online_only
def test_skip_and_back_move_between_exercises(live_server, page, alex, errors):
    open_player(page, live_server.url)
    names = [e["name"] for e in player_data(page)["exercises"]]
    start(page)
    assert shown(page, "[data-name]") == names[0]

    page.get_by_role("button", name="Skip", exact=True).click()
    # Wait for the player to draw the next step: a busy machine may read the page before it has.
    expect(page.locator("[data-name]")).to_have_text(names[1])
    assert shown(page, "[data-progress]") == f"Exercise 2 of {len(names)}"
    assert shown(page, "[data-next]") == f"Next: {names[1]}"
    page.get_by_role("button", name="Skip", exact=True).click()
    expect(page.locator("[data-name]")).to_have_text(names[2])
    page.get_by_role("button", name="Back").click()
    expect(page.locator("[data-name]")).to_have_text(names[1])

    page.get_by_role("button", name="Skip rest").click()
    assert shown(page, "[data-phase-label]") == "Get ready"
    assert shown(page, "[data-name]") == names[1]
    assert errors == []


@pytest.mark.online_only
def test_a_reload_mid_routine_resumes_at_the_same_exercise_and_set(live_server, page, alex, errors):
    open_player(page, live_server.url)
    data = player_data(page)
    per_side = next(i for i, e in enumerate(data["exercises"]) if e["per_side"])
    start(page, pain_before=5)
    for _ in range(per_side):
        page.get_by_role("button", name="Skip", exact=True).click()
    page.clock.run_for(30_000)
    before = {key: shown(page, f"[data-{key}]") for key in ("name", "count")}
    assert before["name"] == data["exercises"][per_side]["name"]
    assert "Left side" in before["count"]

    page.reload()
    screen(page, "resume").wait_for()
    assert before["name"] in shown(page, "[data-resume-summary]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "player-resume.png"))
    page.get_by_role("button", name="Resume where you stopped").click()
    assert shown(page, "[data-phase-label]") == "Get ready"
    assert shown(page, "[data-name]") == before["name"]
    page.clock.run_for(10_500)
    assert shown(page, "[data-phase-label]") in {"Hold", "Move", "Return"}
    assert shown(page, "[data-count]") == before["count"]

    # The pain given before the break is the one that is saved.
    page.get_by_role("button", name="End early").click()
    page.get_by_role("button", name="Yes, end and rate").click()
    rate(page, pain_after=3, effort=4)
    assert saved_session(page)["pain_before"] == 5
    assert errors == []


@pytest.mark.online_only
def test_voice_and_vibration_switches_are_remembered_and_obeyed(live_server, context, page, alex, errors):
    context.add_init_script(RECORD_CUES)
    open_player(page, live_server.url)
    first = player_data(page)["exercises"][0]
    speech = page.get_by_role("switch", name="Spoken cues")
    vibration = page.get_by_role("switch", name="Vibration")
    assert speech.is_checked() and vibration.is_checked()

    start(page)
    page.clock.run_for(11_000)
    cues = page.evaluate("window.__cues")
    assert any(first["name"] in text and first["cue"] in text for text in cues["said"])
    assert {"3", "2", "1"} <= set(cues["said"])
    assert cues["buzzed"]

    page.reload()
    page.get_by_role("button", name="Start over").click()
    speech.uncheck()
    page.reload()
    screen(page, "start").wait_for()
    assert not speech.is_checked() and vibration.is_checked()
    vibration.uncheck()
    page.reload()
    screen(page, "start").wait_for()
    assert not speech.is_checked() and not vibration.is_checked()

    start(page)
    page.clock.run_for(20_000)
    assert page.evaluate("window.__cues") == {"said": [], "buzzed": []}
    assert errors == []


ENGINE_STORY = """async () => {
    const { Engine, buildSteps, GET_READY_MS, FIRST_GET_READY_MS, RELAX_MS, CHANGEOVER_MS } =
        await import('/static/js/player/engine.js');
    const routine = [
        { kind: 'hold', sets: 2, reps: 2, hold_seconds: 4, rest_seconds: 10, per_side: true },
        { kind: 'reps', sets: 1, reps: 3, rep_seconds: 2, rest_seconds: 0, per_side: false },
    ];
    const phases = buildSteps(routine).map(
        (s) => `${s.phase}:${s.exercise}:${s.set}:${s.side ?? '-'}:${s.rep}:${s.duration}`);
    const engine = new Engine(routine);
    const seen = [];
    engine.start();
    engine.tick(FIRST_GET_READY_MS + 1000);
    seen.push(`${engine.step.phase} ${engine.remaining}`);
    engine.pause();
    engine.tick(60000);
    seen.push(`${engine.step.phase} ${engine.remaining}`);
    engine.resume();
    const saved = JSON.parse(JSON.stringify(engine.serialise()));
    const copy = new Engine(routine);
    const restored = copy.restore(saved);
    seen.push(`${copy.step.phase} ${copy.step.duration} then ${copy.steps[copy.index].phase}`);
    engine.skip();
    seen.push(`${engine.step.phase}:${engine.step.exercise}`);
    engine.back();
    seen.push(`${engine.step.phase}:${engine.step.exercise}`);
    engine.tick(10 * 60000);
    return { phases, seen, restored, finished: engine.finished, counts: engine.counts(),
             other: new Engine(routine.slice(1)).restore(saved),
             constants: [GET_READY_MS, FIRST_GET_READY_MS, RELAX_MS, CHANGEOVER_MS] };
}"""


@pytest.mark.online_only
def test_the_engine_builds_steps_and_counts_what_was_done(live_server, page):
    page.goto(f"{live_server.url}/auth/login")
    story = page.evaluate(ENGINE_STORY)
    ready, first, relax, changeover = story["constants"]
    assert story["phases"] == [
        f"get-ready:0:1:left:0:{first}",
        "hold:0:1:left:1:4000",
        f"relax:0:1:left:1:{relax}",
        "hold:0:1:left:2:4000",
        f"get-ready:0:1:right:0:{ready}",
        "hold:0:1:right:1:4000",
        f"relax:0:1:right:1:{relax}",
        "hold:0:1:right:2:4000",
        "rest:0:2:left:0:10000",
        "hold:0:2:left:1:4000",
        f"relax:0:2:left:1:{relax}",
        "hold:0:2:left:2:4000",
        f"get-ready:0:2:right:0:{ready}",
        "hold:0:2:right:1:4000",
        f"relax:0:2:right:1:{relax}",
        "hold:0:2:right:2:4000",
        f"rest:1:1:-:0:{changeover}",
        f"get-ready:1:1:-:0:{ready}",
        "rep:1:1:-:1:2000",
        "rep:1:1:-:2:2000",
        "rep:1:1:-:3:2000",
    ]
    assert story["seen"] == [
        "hold 3000",  # a second into the first hold
        "hold 3000",  # a paused minute changes nothing
        f"get-ready {first} then hold",  # picked up after a break: a get-ready, then the same hold
        "rest:1",  # skip: on to the next exercise, which starts with its changeover
        "get-ready:0",  # back: to the start of the one before
    ]
    assert story["restored"] is True and story["other"] is False
    assert story["finished"] is True
    assert story["counts"] == [{"sets_done": 2, "reps_done": 8}, {"sets_done": 1, "reps_done": 3}]


@pytest.mark.online_only
def test_the_players_traffic_light_agrees_with_the_servers(live_server, page, alex):
    open_player(page, live_server.url)
    lights = page.evaluate(
        """async () => {
            const { lightFor } = await import('/static/js/player/rating.js');
            const rules = JSON.parse(document.getElementById('player-data').textContent).rules;
            return Array.from({ length: 11 }, (_, before) =>
                Array.from({ length: 11 }, (_, worst) => lightFor(before, worst, rules)));
        }"""
    )
    assert lights == [[light_of(before, worst) for worst in range(11)] for before in range(11)]


@pytest.mark.online_only
def test_the_player_names_a_red_sessions_pain_as_the_server_does(live_server, page, alex):
    """The safety check asked for by a red session saved on the phone names it as the server will once synced."""
    from webapp.sessions.safety import SessionFacts, pain_in_words

    open_player(page, live_server.url)
    cases = [(2, 1, []), (2, 8, [3, 8]), (2, 6, [3, None, 9]), (4, 7, [7]), (0, 10, [None])]
    said = page.evaluate(
        """async (cases) => {
            const { painInWords } = await import('/static/js/player/rating.js');
            return cases.map(([before, after, during]) => painInWords(before, after, during));
        }""",
        cases,
    )
    now = utcnow()
    expected = [
        pain_in_words(SessionFacts(
            completed_at=now, day=now.date(), pain_before=before, pain_after=after, effort=5,
            worst_during=max((p for p in during if p is not None), default=None),
        ))
        for before, after, during in cases
    ]  # fmt: skip
    assert said == expected
    assert said[2] == "pain 2 before, 9 at worst, 6 after"


@pytest.mark.online_only
def test_the_player_times_every_shipped_routine_as_the_server_does(app, live_server, page, alex):
    """One duration everywhere: the engine's steps and programs/duration.py agree, to the second."""
    from webapp.content.files import read_bundle
    from webapp.programs.duration import routine_ms
    from webapp.programs.services import starter_program

    open_player(page, live_server.url)
    with app.app_context():
        routines = [
            (f"{slug} {routine.name} (week {week.number})", routine_ms(routine.items), [
                {"slug": i.exercise.slug, "kind": i.exercise.kind, "per_side": i.exercise.per_side,
                 "rep_seconds": i.exercise.rep_seconds, "sets": i.sets, "reps": i.reps,
                 "hold_seconds": i.hold_seconds, "rest_seconds": i.rest_seconds}
                for i in routine.items
            ])
            for slug in read_bundle().programs
            for week in starter_program(slug).weeks
            for routine in week.routines
        ]  # fmt: skip
    timed = page.evaluate(
        """async (routines) => {
            const { buildSteps, totalMs } = await import('/static/js/player/engine.js');
            return routines.map(([name, _, exercises]) => totalMs(buildSteps(exercises)));
        }""",
        routines,
    )
    by_the_player = {name: ms for (name, _, _), ms in zip(routines, timed, strict=True)}
    assert by_the_player == {name: ms for name, ms, _ in routines}


@pytest.mark.online_only
def test_walks_play_as_bouts_with_the_written_rest_between(live_server, page, alex):
    open_player(page, live_server.url)
    steps = page.evaluate(
        """async () => {
            const { buildSteps } = await import('/static/js/player/engine.js');
            const { doseLine, counterLine } = await import('/static/js/player/words.js');
            const walk = { slug: "walking", kind: "hold", per_side: false, rep_seconds: 3, sets: 1, reps: 2,
                           hold_seconds: 300, rest_seconds: 120 };
            const steps = buildSteps([walk]);
            return { dose: doseLine(walk), steps: steps.map((s) => [s.phase, s.duration, counterLine(s)]) };
        }"""
    )
    assert steps["dose"] == "2 × 5 min, 2 min rest between"
    assert steps["steps"] == [
        ["get-ready", 10_000, ""],
        ["hold", 300_000, "Bout 1 of 2"],
        ["rest", 120_000, ""],
        ["hold", 300_000, "Bout 2 of 2"],
    ]
    # Two sets are counted; one set is not ("Set 1 of 1" on every step said nothing).
    counted = page.evaluate(
        """async () => {
            const { counterLine } = await import('/static/js/player/words.js');
            return [counterLine({ phase: "rep", set: 2, sets: 3, rep: 4, reps: 8, side: "left" }),
                    counterLine({ phase: "rep", set: 1, sets: 1, rep: 4, reps: 8, side: null }),
                    counterLine({ phase: "hold", set: 1, sets: 1, rep: 1, reps: 1, side: null })];
        }"""
    )
    assert counted == ["Set 2 of 3 · Rep 4 of 8 · Left side", "Rep 4 of 8", ""]


def within_reach(page, selectors: tuple[str, ...]):
    """Each element is on screen without scrolling, and every visible button is big enough for a thumb."""
    for selector in selectors:
        box = page.locator(selector).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], selector
    for button in page.locator('[data-screen="play"] button:visible').all():
        assert button.bounding_box()["height"] >= 56, button.text_content()


@pytest.mark.online_only
def test_every_screen_reads_at_arms_length_on_a_phone(live_server, page, alex, errors):
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(name):
        page.screenshot(path=str(ARTIFACTS / f"player-{name}.png"))

    open_player(page, live_server.url)
    shot("1-start")
    page.check('input[name="pain_before"][value="7"]')
    assert page.locator("[data-high-pain]").is_visible()
    shot("1-start-high-pain")
    page.check('input[name="pain_before"][value="1"]')
    assert not page.locator("[data-high-pain]").is_visible()
    page.get_by_role("button", name="Start").click()
    glance = ("[data-phase-label]", "[data-time]", "[data-name]", "[data-cue]", '[data-action="pause"]')
    page.clock.run_for(2_000)
    within_reach(page, glance)
    shot("2-get-ready")
    page.clock.run_for(12_000)
    assert shown(page, "[data-phase-label]") in {"Move", "Return"}
    within_reach(page, glance)
    shot("3-rep")
    page.get_by_role("button", name="Skip", exact=True).click()
    page.clock.run_for(3_000)
    within_reach(page, (*glance, "[data-next]", '[data-action="skip-rest"]'))
    shot("4-rest")
    page.get_by_role("button", name="Skip", exact=True).click()
    page.get_by_role("button", name="Skip rest").click()
    page.clock.run_for(6_500)
    assert shown(page, "[data-phase-label]") == "Hold"
    within_reach(page, glance)
    shot("5-hold")
    page.get_by_role("button", name="Pause").click()
    assert shown(page, "[data-phase-label]") == "Paused"
    within_reach(page, ("[data-paused-note]", '[data-action="pause"]'))
    shot("6-paused")
    page.get_by_role("button", name="End early").click()
    shot("7-end-early")
    page.get_by_role("button", name="Yes, end and rate").click()
    screen(page, "rating").wait_for()
    shot("8-rating")
    # From 1 before to 5 after: four points added, still at 5 or below, so amber.
    page.check('input[name="pain_after"][value="5"]')
    page.check('input[name="effort"][value="7"]')
    assert shown(page, "[data-effort-word]") == "7: Hard: a few more would be tough"
    screen(page, "rating").get_by_label("Knee rolls", exact=True).check()
    page.fill("#notes", "Felt a twinge on the left.")
    assert shown(page, "[data-notes-count]") == "26 of 2,000 characters"
    page.get_by_role("button", name="Save").click()
    screen(page, "outcome").wait_for()
    assert shown(page, "[data-light-headline]") == "Stay at this level"
    shot("9-outcome")
    assert errors == []


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not on screen"
    return found


def inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def apart(a: dict, b: dict) -> bool:
    return (
        a["x"] + a["width"] <= b["x"] + 0.5
        or b["x"] + b["width"] <= a["x"] + 0.5
        or a["y"] + a["height"] <= b["y"] + 0.5
        or b["y"] + b["height"] <= a["y"] + 0.5
    )


@pytest.mark.online_only
@pytest.mark.parametrize("size", [(390, 844), (844, 390), (740, 360)], ids=["portrait", "landscape", "small-landscape"])
def test_a_routine_has_the_screen_to_itself_and_nothing_covers_the_count(live_server, browser, alex, size):
    """During a routine the header and the tab bar step aside; on a phone on its side the drawing sits
    beside the count, and the timer, the drawing, the name and the controls all fit, none over another."""
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE
    )
    try:
        page = context.new_page()
        open_player(page, live_server.url)
        start(page)
        page.locator("[data-figure]:not([hidden])").wait_for()
        page.clock.run_for(2_000)
        assert not page.locator(".site-header").is_visible() and not page.locator(".tab-bar").is_visible()
        page.screenshot(path=str(ARTIFACTS / f"player-{width}x{height}.png"))
        screen_box = {"x": 0, "y": 0, "width": width, "height": height}
        parts = {name: box(page, selector) for name, selector in {
            "timer": ".play .timer", "figure": "[data-figure]", "name": "[data-name]",
            "pause": '[data-action="pause"]', "skip": '[data-action="skip"]', "back": '[data-action="back"]',
        }.items()}  # fmt: skip
        for name in ("timer", "name", "pause", "skip", "back"):
            assert inside(parts[name], screen_box), f"{name} is off the screen at {width}×{height}: {parts[name]}"
        for control in ("pause", "skip", "back"):
            for shown in ("timer", "figure", "name"):
                assert apart(parts[control], parts[shown]), f"{control} covers the {shown} at {width}×{height}"
        if width > height:
            assert inside(parts["figure"], screen_box), "the drawing falls below the screen"
            assert parts["figure"]["x"] + parts["figure"]["width"] <= parts["timer"]["x"], (
                "the drawing is not beside the count"
            )
        page.screenshot(path=str(ARTIFACTS / f"player-{width}x{height}.png"))
    finally:
        context.close()
