"""Every page, for a visitor, a client and a trainer, passes axe-core's WCAG 2.1 A/AA and best-practice rules.

axe-core comes from npm with the other test tools (package.json, installed by `make install-dev`) and is never
served to users. The pages' CSP allows no inline or foreign script, so axe is not added as a <script>: the
DevTools protocol, which the CSP does not govern, evaluates it in each page of the profile as the page starts
(an init script: Chromium compiles it once, where evaluating its 650 KB source into each page checked cost
half the run). One browser profile per role, pages in a loop, every fault of every page reported at once; the
browser has no service workers (`online_only`), as the offline package one downloads after a login would only slow
the run. Each page is checked twice where it stands, in the light scheme and then in the dark one (the phone's
setting, emulated): switching the scheme restyles the page in place, where a second profile would load and log in
to every page again.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from webapp.auth import services as accounts
from webapp.content.models import Exercise, Lesson
from webapp.demo import DEMO_PASSWORD, seed
from webapp.extensions import db
from webapp.timeutil import utcnow
from webapp.trainer.invites import create_invite, invite_token

from .conftest import PHONE, TEST_ZONE, login

pytestmark = pytest.mark.online_only

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}

# Nodes a rule is wrong about, each with the reason; none so far. A rule itself is never turned off.
EXCLUDE: list[list[str]] = []

RUN_AXE = """
async ([options, exclude]) => {
  const result = await axe.run({ include: [document], exclude }, options);
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary || '').split('\\n').slice(1, 3).join(' ')}`),
  }));
}
"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.exists(), "axe-core is missing: `make install-dev` installs the test tools from package-lock.json"
    return AXE.read_text()


class Audit:
    """Opens pages in one browser profile and keeps what axe finds on each, to report every fault at once."""

    def __init__(self, page, base_url: str, axe_source: str):
        self.page, self.base_url, self.axe_source = page, base_url, axe_source
        self.found: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def visit(self, path: str, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response.status == status, (path, response.status)
        self.check(path)

    def faults(self) -> list[dict]:
        self.page.wait_for_load_state("load")
        return self.page.evaluate(RUN_AXE, [RULES, EXCLUDE])

    def check(self, name: str) -> None:
        """Run axe on the page as it is now, in either colour scheme, under `name` (and `name` dark) in the report."""
        for scheme, label in (("light", name), ("dark", f"{name} (dark)")):
            self.page.emulate_media(color_scheme=scheme)
            violations = self.faults()
            self.checked.append(label)
            for v in violations:
                self.found.setdefault(label, []).append(f"{v['id']} ({v['help']}): " + " | ".join(v["nodes"][:4]))
        # Back to light, as the context opened: what the test does next on the page is in the scheme it expects.
        self.page.emulate_media(color_scheme="light")

    def assert_clean(self) -> None:
        report = "\n".join(f"{name}:\n  " + "\n  ".join(faults) for name, faults in self.found.items())
        assert self.found == {}, f"axe found faults on {len(self.found)} of {len(self.checked)} pages:\n{report}"


@pytest.fixture
def demo(app):
    """The demo accounts of `make run` (Coach with Alex and Sam, their weeks of sessions, messages, an invite)."""
    with app.app_context():
        seed()
        coach = accounts.find_user("coach@example.com")
        alex = accounts.find_user("alex@example.com")
        invite = create_invite(coach, "Robin Reader", "robin@example.com")
        return {
            "alex": alex.id,
            "sam": accounts.find_user("sam@example.com").id,
            "invite": invite.id,
            "join": invite_token(invite),
            "reset": accounts.reset_token(accounts.find_user("jo@example.com")),
            "lessons": db.session.scalars(db.select(Lesson.slug).order_by(Lesson.slug)).all(),
            "exercises": every_part_of_the_page(
                db.session.scalars(db.select(Exercise).where(Exercise.owner_id.is_(None)).order_by(Exercise.slug))
            ),
        }


def every_part_of_the_page(exercises) -> list[str]:
    """The fewest exercises that between them show every part of the exercise page (each kind and position,
    per side, equipment, cautions, easier and harder or why there is none...): the page is one template, and
    forty runs of it would say no more than these, at five times the cost."""
    parts = {}
    for e in exercises:
        d = e.details or {}
        parts[e.slug] = {
            f"kind:{e.kind}", f"position:{e.position}", f"per-side:{e.per_side}", f"equipment:{bool(e.equipment)}",
            *(f"{key}:{bool(d.get(key))}" for key in ("feel", "cues", "mistakes", "cautions", "no_easier",
                                                       "no_harder")),
            f"easier:{bool(e.easier_slug)}", f"harder:{bool(e.harder_slug)}",
        }  # fmt: skip
    chosen, missing = [], set().union(*parts.values())
    while missing:
        slug = max(parts, key=lambda s: (len(parts[s] & missing), s == "bird-dog"))
        chosen.append(slug)
        missing -= parts[slug]
    return chosen


@pytest.fixture
def audit(browser, live_server, axe_source):
    contexts = []

    def open_as(email: str | None = None) -> Audit:
        context = browser.new_context(
            viewport=PHONE,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            timezone_id=TEST_ZONE,
        )
        contexts.append(context)
        context.add_init_script(axe_source)
        page = context.new_page()
        if email:
            login(page, live_server.url, email, DEMO_PASSWORD)
        return Audit(page, live_server.url, axe_source)

    yield open_as
    for context in contexts:
        context.close()


def test_every_public_page_and_every_lesson_and_exercise(audit, demo):
    visitor = audit()
    # The gate itself finds a fault: a picture without words, and grey text too pale to read.
    visitor.page.goto(visitor.base_url + "/")
    visitor.page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<img src="/static/icons/icon-192.png" width="20" height="20">');
            main.append(Object.assign(document.createElement('p'), { textContent: 'Pale' }));
            main.lastElementChild.style.color = '#bbb';
        }"""
    )
    assert sorted(v["id"] for v in visitor.faults()) == ["color-contrast", "image-alt"]
    for path in ("/", "/auth/login", "/auth/signup", "/auth/forgot", "/muscles/", "/offline", "/lessons/",
                 "/exercises/", f"/join/{demo['join']}", f"/auth/reset/{demo['reset']}"):  # fmt: skip
        visitor.visit(path)
    visitor.visit("/no-such-page", status=404)
    for slug in demo["lessons"]:
        visitor.visit(f"/lessons/{slug}")
    for slug in demo["exercises"]:
        visitor.visit(f"/exercises/{slug}")
    # Forms sent back with their errors marked.
    visitor.page.goto(visitor.base_url + "/auth/signup")
    visitor.page.get_by_role("button", name="Create account").click()
    visitor.check("/auth/signup refused")
    # Signed up: the page that says to check the mail (showing the message, as in development), then the link's.
    visitor.page.fill("#name", "Pat Tester")
    visitor.page.fill("#email", "pat@example.com")
    visitor.page.get_by_role("button", name="Create account").click()
    visitor.check("/auth/signup sent")
    visitor.page.get_by_role("link", name="Finish signing up").click()
    visitor.check("/auth/confirm")
    visitor.page.goto(visitor.base_url + "/auth/login")
    visitor.page.fill('input[name="email"]', "nobody@example.com")
    visitor.page.fill('input[name="password"]', "wrong-password")
    visitor.page.get_by_role("button", name="Log in").click()
    visitor.check("/auth/login refused")
    visitor.assert_clean()


def test_every_page_of_a_client(audit, demo):
    alex = audit("alex@example.com")
    for path in ("/", "/history/", "/messages/", "/account/", "/account/delete", "/auth/password", "/safety/",
                 "/safety/result/emergency", "/safety/result/same-day", "/safety/result/soon",
                 "/safety/result/pregnant", "/my-trainer/leave", "/welcome/about", "/welcome/about?part=2",
                 "/welcome/about?part=3", "/welcome/about?part=4", "/welcome/program", "/lessons/",
                 "/lessons/why-move", "/exercises/", "/exercises/bird-dog", "/muscles/"):  # fmt: skip
        alex.visit(path)
    # The player, screen by screen: its clock is run forward instead of waiting out the routine.
    page = alex.page
    plan = page.request.get(alex.base_url + "/api/v1/plan").json()
    page.clock.install(time=utcnow() - timedelta(hours=1))
    alex.visit(f"/routines/{plan['routines'][0]['id']}/play")
    page.locator('[data-screen="start"]:not([hidden]), [data-screen="resume"]:not([hidden])').wait_for()
    alex.check("player: start")
    page.check('input[name="pain_before"][value="3"]')
    page.get_by_role("button", name="Start").click()
    page.locator('[data-screen="play"]').wait_for()
    alex.check("player: get ready")
    page.clock.run_for(15_000)
    alex.check("player: exercise")
    for _ in range(60):
        if page.locator('[data-screen="rating"]').is_visible():
            break
        page.clock.run_for(30_000)
    alex.check("player: rating")
    page.check('input[name="pain_after"][value="3"]')
    page.check('input[name="effort"][value="5"]')
    page.get_by_role("button", name="Save").click()
    page.locator('[data-screen="outcome"]').wait_for()
    alex.check("player: outcome")
    alex.assert_clean()


def test_every_page_of_a_trainer(audit, demo):
    coach = audit("coach@example.com")
    for path in ("/trainer/", f"/trainer/clients/{demo['alex']}", f"/trainer/clients/{demo['sam']}",
                 f"/trainer/clients/{demo['alex']}/remove", "/trainer/programs/", "/trainer/programs/new",
                 "/trainer/exercises/", "/trainer/exercises/new", "/trainer/invites",
                 f"/trainer/invites/{demo['invite']}", "/trainer/clinic", "/account/", "/auth/password"):  # fmt: skip
        coach.visit(path)
    page = coach.page
    # A program of the trainer's own, from a starter, and every page about it.
    coach.visit("/trainer/programs/")
    page.get_by_role("link", name="Use as template").first.click()
    coach.check("/trainer/programs/new from a starter")
    page.get_by_role("button", name="Save program").last.click()
    page.wait_for_url("**/edit")
    coach.check("/trainer/programs/<id>/edit")
    # The exercise picker, its list and then one exercise's preview.
    picker = page.locator("dialog[data-picker]")
    page.locator("[data-open-picker]").first.click()
    picker.wait_for()
    coach.check("/trainer/programs/<id>/edit: picker")
    picker.locator("li[data-exercise]:not([hidden])").first.get_by_role("button").tap()
    picker.locator("[data-picker-figure] img").wait_for()
    coach.check("/trainer/programs/<id>/edit: picker preview")
    page.keyboard.press("Escape")
    program = page.url.rsplit("/", 2)[-2]
    for view in ("preview", "print", "assign", "delete"):
        coach.visit(f"/trainer/programs/{program}/{view}")
    # An exercise of the trainer's own: first refused with its errors marked, then saved.
    coach.visit("/trainer/exercises/new")
    page.get_by_role("button", name="Save exercise").click()
    coach.check("/trainer/exercises/new refused")
    page.fill("#name", "Wall slide")
    page.fill("#summary", "Standing with the back against a wall, sliding down a little and up again.")
    page.fill("#steps", "Stand with your back against a wall.\nSlide down a hand's width.\nSlide back up.")
    page.fill("#cue", "Keep your back on the wall")
    page.fill("#feel", "Work in the thighs, nothing in the back.")
    page.locator('input[name="muscles"]').first.check()
    page.get_by_role("button", name="Save exercise").click()
    page.wait_for_url("**/trainer/exercises/")
    coach.check("/trainer/exercises/ with one")
    page.locator('a[href$="/edit"]', has_text="Wall slide").click()
    page.wait_for_url("**/edit")
    coach.check("/trainer/exercises/<id>/edit")
    exercise = page.url.rsplit("/", 2)[-2]
    coach.visit(f"/trainer/exercises/{exercise}/delete")
    coach.assert_clean()
