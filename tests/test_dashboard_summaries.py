"""The dashboard's kept rows (trainer/summaries.py): the page shows exactly what the rules say now, whether a row
was kept by the job worker or worked out for the request, through clock moves and new records of every kind."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from webapp.account.deletion import delete_account
from webapp.auth.models import User
from webapp.content.models import Exercise
from webapp.extensions import db
from webapp.programs.services import assign, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import CheckIn, CompletedSession
from webapp.sessions.progress import short_date
from webapp.timeutil import local_date, utcnow
from webapp.trainer import dashboard
from webapp.trainer.models import DashboardSummary

from .clock import FROZEN_AT
from .factories import first_routine_id, make_plan, make_user, session_payload
from .test_trainer import add_session, baseline, text_of

pytestmark = pytest.mark.usefixtures("clock")

UTC_DAY = FROZEN_AT.date()  # Wednesday 1 July 2026; the clients' own days differ by zone


def client_in(zone: str, email: str, name: str, coach, program: str | None = "gentle-start", answered=None):
    """A client of `coach` living in `zone`, onboarded with a clear safety answer (at `answered`, default now)."""
    client = make_user(email, name=name, trainer=coach, timezone=zone)
    user = db.session.get(User, client.id)
    answer(user, [], at=answered)
    records.finish_onboarding(user)
    if program:
        make_plan(client, program, start=UTC_DAY - timedelta(days=35))
    return client


def answer(user, signs: list[str], at: datetime | None = None) -> None:
    at = at or utcnow()
    result = screens.store(user, screens.ScreenIn(id=uuid.uuid4(), answered_at=at, signs=signs), utcnow())
    assert result.status == "created", result.errors


def shown(rows) -> list:
    """Everything the page and the API show of each row."""
    return [(dashboard.row_payload(r), r.today, r.program.id if r.program else None) for r in rows]


def coach_of(team) -> User:
    return db.session.get(User, team["coach"].id)


def served_and_worked_out(team) -> tuple[list, list, int]:
    coach = coach_of(team)
    served = dashboard.client_rows(coach)
    return shown(served), shown(dashboard.client_rows(coach, kept=False)), sum(r.kept for r in served)


@pytest.fixture
def team(app):
    """A coach in UTC whose clients live in four zones, each with the history that earns one flag or none."""
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach", timezone="UTC")
        days = lambda back: UTC_DAY - timedelta(days=back)  # noqa: E731
        rae = client_in("Europe/London", "rae@example.com", "Rae Flag", coach)
        answer(db.session.get(User, rae.id), ["fever"])  # waits for a clinician's check
        old = client_in("UTC", "old@example.com", "Ola Old", coach)
        # A "see a GP soon" answer shown for 30 days: it leaves the page during the moves below.
        answer(db.session.get(User, old.id), ["stiffness"], at=utcnow() - timedelta(days=29, hours=12))
        add_session(old, days(3), before=2, after=2)
        red = client_in("Pacific/Kiritimati", "red@example.com", "Ray Red", coach)
        add_session(red, days(1), before=2, after=8, next_day=7)  # red, then a bad morning
        quiet = client_in("America/New_York", "quiet@example.com", "Quinn Quiet", coach)
        add_session(quiet, days(6))
        riser = client_in("Europe/London", "riser@example.com", "Pat Riser", coach)
        baseline(riser, 2)
        for back in (10, 6, 2):
            add_session(riser, days(back), before=5, after=4, effort=5)
        ready = client_in("UTC", "ready@example.com", "Rory Ready", coach)
        add_session(ready, days(4), before=2, after=2, effort=3, next_day=2)
        add_session(ready, days(2), before=2, after=1, effort=3, next_day=1)
        # Answered 41 days and 20 hours ago: the six-weekly check falls due, and a week later is overdue.
        due = client_in("UTC", "due@example.com", "Dee Due", coach, answered=utcnow() - timedelta(days=41, hours=20))
        add_session(due, days(1))
        sore = client_in("America/New_York", "sore@example.com", "Sid Sore", coach)
        add_session(sore, days(12), painful=("knee-to-chest",))
        client_in("Europe/London", "new@example.com", "Nia New", coach, program=None)
        return {"coach": coach, "rae": rae, "red": red, "ready": ready, "sore": sore, "quiet": quiet}


MOVES = [
    timedelta(minutes=5),  # nothing has changed: every row is the kept one
    timedelta(minutes=20),  # ten minutes before midnight in UTC: the refresh keeps each row's next one too
    timedelta(minutes=31),  # a minute after midnight in UTC (in New York still the evening before)
    timedelta(hours=4),  # the six-weekly safety check falls due for Dee
    timedelta(hours=4, minutes=35),  # midnight in New York
    timedelta(hours=13),
    timedelta(days=1),
    timedelta(hours=30),
    timedelta(days=3),
    timedelta(days=6),
    timedelta(days=7, hours=3, minutes=50),
    timedelta(days=7, hours=4, minutes=10),  # Dee's check, due for a week, is now overdue
    timedelta(days=8),
    timedelta(days=15),
    timedelta(days=31),
    timedelta(days=45),
]


def test_kept_rows_show_what_the_rules_say_at_every_moment(app, team, clock):
    """At each moment: first with the rows kept at the moment before (the clock has moved on, some rows are out of
    their time), then after the worker's refresh, the page shows exactly what working every row out shows."""
    with app.app_context():
        dashboard.refresh(utcnow())
        for move in MOVES:
            # Stopped at each moment: a ticking clock on a busy machine could carry a row past its valid_until
            # between the refresh and the read below, and the count of kept rows would depend on the host's speed.
            clock.move_to(FROZEN_AT + move, tick=False)
            served, worked_out, kept = served_and_worked_out(team)
            assert served == worked_out, f"{move} after the start, before the refresh"
            if move == MOVES[0]:
                assert kept == 9, "five minutes on, every row is still the kept one"
            if move == timedelta(minutes=31):
                assert kept == 9, "the day has ended for every row, and each was kept ahead for the day after"
            dashboard.refresh(utcnow())
            served, worked_out, kept = served_and_worked_out(team)
            assert served == worked_out, f"{move} after the start, after the refresh"
            assert kept == 9
        flags = {row["name"]: [f["kind"] for f in row["flags"]] for row, *_ in served}
    # 45 days on, everyone's safety check is overdue and nobody has trained for weeks.
    assert all("quiet" in kinds and "safety_due" in kinds for kinds in flags.values()) and len(flags) == 9


def test_kept_rows_show_what_the_rules_say_after_new_records_of_every_kind(app, team, clock):
    """New sessions, next mornings, safety answers and confirmations, a new plan, a new zone, a renamed exercise
    and a deleted account: each shows at once, and the refreshed rows say the same."""
    with app.app_context():
        dashboard.refresh(utcnow())

        def check(what: str, kept_at_least: int = 0):
            served, worked_out, kept = served_and_worked_out(team)
            assert served == worked_out, what
            assert kept >= kept_at_least, what
            dashboard.refresh(utcnow())
            served, worked_out, kept = served_and_worked_out(team)
            assert served == worked_out and kept == len(served), what
            return {row["name"]: row for row, *_ in served}

        check("nothing new", kept_at_least=9)
        ready = team["ready"]
        add_session(ready, UTC_DAY, before=2, after=9)
        rows = check("a red session today")
        assert [f["kind"] for f in rows["Rory Ready"]["flags"]][:1] == ["red_session"]

        clock.move_to(FROZEN_AT + timedelta(hours=10))
        session = add_session(team["quiet"], UTC_DAY, before=3, after=3)
        records.record_next_day(db.session.get(User, team["quiet"].id), session.uuid, 7, True)
        rows = check("a bad next morning with new leg symptoms")
        assert any(f["kind"] == "bad_morning" for f in rows["Quinn Quiet"]["flags"])

        rae = db.session.get(User, team["rae"].id)
        screens.record_confirmation(rae, local_date(utcnow(), rae.timezone))
        rows = check("a clinician's check confirmed")
        assert "seen by a clinician" in rows["Rae Flag"]["flags"][0]["reason"]

        answer(db.session.get(User, team["sore"].id), ["saddle"])
        rows = check("an emergency answer")
        assert rows["Sid Sore"]["flags"][0]["kind"] == "red_flag"

        assign(db.session.get(User, team["red"].id), starter_program("core-foundations"), UTC_DAY)
        rows = check("a new plan")
        assert rows["Ray Red"]["program"] == starter_program("core-foundations").name

        db.session.get(User, team["ready"].id).timezone = "Pacific/Pago_Pago"
        db.session.commit()
        check("a new zone")

        knee = db.session.execute(db.select(Exercise).where(Exercise.slug == "knee-to-chest")).scalar_one()
        knee.name = "Knees to chest"
        db.session.commit()
        rows = check("an exercise renamed")
        assert any("Marked Knees to chest painful" in f["reason"] for f in rows["Sid Sore"]["flags"])

        delete_account(db.session.get(User, team["quiet"].id))
        rows = check("an account deleted")
        assert "Quinn Quiet" not in rows
        assert db.session.get(DashboardSummary, team["quiet"].id) is None


def test_a_record_added_after_the_next_day_was_kept_ahead_shows_after_midnight(app, team, clock):
    """The rows kept ahead for after midnight hold only while nothing was added: a red session synced between
    the refresh and midnight shows after midnight, and only that client's row is worked out in the request."""
    with app.app_context():
        clock.move_to(FROZEN_AT + timedelta(minutes=22), tick=False)  # eight minutes before midnight in UTC
        dashboard.refresh(utcnow())
        assert db.session.get(DashboardSummary, team["ready"].id).next_shown is not None
        clock.move_to(FROZEN_AT + timedelta(minutes=25), tick=False)
        add_session(team["ready"], UTC_DAY, before=2, after=9)
        clock.move_to(FROZEN_AT + timedelta(minutes=30, seconds=1), tick=False)
        served, worked_out, kept = served_and_worked_out(team)
        assert served == worked_out and kept == 8
        rows = {row["name"]: row for row, *_ in served}
        assert [f["kind"] for f in rows["Rory Ready"]["flags"]][:1] == ["red_session"]


def test_a_red_session_synced_after_the_row_was_kept_shows_at_once(app, client, auth, team):
    with app.app_context():
        make_user("amy@example.com", name="Amy Synced", trainer=team["coach"], timezone="UTC")
        amy = db.session.execute(db.select(User).where(User.email == "amy@example.com")).scalar_one()
        make_plan(amy, start=UTC_DAY - timedelta(days=7))
        answer(amy, [])
        dashboard.refresh(utcnow())
        assert db.session.get(DashboardSummary, amy.id) is not None
        routine_id = first_routine_id()
    auth.login("amy@example.com")
    ended = datetime.combine(UTC_DAY, time(20, 0), UTC)
    body = {"sessions": [session_payload(routine_id, ended=ended, pain_before=2, pain_after=9)]}
    answered = client.post("/api/v1/sessions", data=json.dumps(body), content_type="application/json",
                           headers=auth.api_headers())  # fmt: skip
    assert answered.get_json()["results"][0]["status"] == "created"
    auth.logout()
    auth.login_as(team["coach"])
    words = text_of(client.get("/trainer/?q=amy"))
    assert f"Red session on {short_date(UTC_DAY)}: pain 2 before, 9 after" in words
    with app.app_context():
        row = dashboard.client_rows(coach_of(team), client_id=amy.id)[0]
        assert not row.kept and row.flags[0].kind == "red_session"


def test_the_job_worker_keeps_the_rows_and_the_command_does_it_at_once(app, team, run_jobs, runner):
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(DashboardSummary)).scalar() == 0
    assert run_jobs().ran == 0  # the refresh is the worker's own task, not a job in the queue
    with app.app_context():
        rows = dashboard.client_rows(coach_of(team))
        assert [r.kept for r in rows] == [True] * 9
        db.session.add(CheckIn(user_id=team["ready"].id, kind="baseline", pain=6))
        db.session.commit()
        assert not next(r for r in dashboard.client_rows(coach_of(team)) if r.client.id == team["ready"].id).kept
    result = runner.invoke(args=["refresh-summaries"])
    assert result.exit_code == 0 and "Dashboard rows worked out again: 1." in result.output
    with app.app_context():
        assert all(r.kept for r in dashboard.client_rows(coach_of(team)))
        # A client who leaves their trainer is on nobody's dashboard: their kept row goes at the next refresh.
        db.session.get(User, team["ready"].id).trainer_id = None
        db.session.commit()
        dashboard.refresh(utcnow())
        assert db.session.get(DashboardSummary, team["ready"].id) is None


def test_a_session_committed_after_a_later_one_still_shows(app, team, clock):
    """On PostgreSQL a slow transaction can commit a session whose id is lower than one another transaction has
    already committed. The kept row counts every row that arrived in the last minutes, so it shows at once."""
    with app.app_context():
        ready = db.session.get(User, team["ready"].id)
        newest = db.session.execute(db.select(db.func.max(CompletedSession.id))).scalar()
        routine = starter_program("gentle-start").weeks[0].routines[0]

        def session(session_id: int, after: int) -> None:
            end = datetime.combine(UTC_DAY, time(20, 0), UTC)
            db.session.add(CompletedSession(
                id=session_id, uuid=str(uuid.uuid4()), user_id=ready.id, routine_id=routine.id,
                program_id=routine.program_id, started_at=end - timedelta(minutes=15), completed_at=end,
                local_date=UTC_DAY, pain_before=2, pain_after=after, effort=3, content_hash="0" * 64,
            ))  # fmt: skip
            db.session.commit()

        session(newest + 10, after=2)  # the later id, committed first
        dashboard.refresh(utcnow())
        clock.shift(timedelta(minutes=1))
        session(newest + 5, after=9)  # the earlier id, committed a moment later: red
        served, worked_out, _ = served_and_worked_out(team)
        assert served == worked_out
        row = next(r for r in dashboard.client_rows(coach_of(team)) if r.client.id == ready.id)
        assert not row.kept and row.flags[0].kind == "red_session"


def test_a_session_that_reuses_a_deleted_accounts_id_still_shows(app, team, clock):
    """SQLite hands out the highest id again once the rows above it are gone: a session stored after the account
    holding the newest rows was deleted may get an id the kept rows count as settled. It shows at once all the
    same."""
    with app.app_context():
        zed = client_in("UTC", "zed@example.com", "Zed Gone", team["coach"])
        for back in (3, 2, 1):
            add_session(zed, UTC_DAY - timedelta(days=back), next_day=2)
        clock.shift(timedelta(minutes=20))
        dashboard.refresh(utcnow())  # Zed's rows arrived 20 minutes ago: they are the settled point
        delete_account(db.session.get(User, zed.id))
        add_session(team["ready"], UTC_DAY, before=2, after=9)
        served, worked_out, _ = served_and_worked_out(team)
        assert served == worked_out
        row = next(r for r in dashboard.client_rows(coach_of(team)) if r.client.id == team["ready"].id)
        assert not row.kept and row.flags[0].kind == "red_session"
