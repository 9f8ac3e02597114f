"""A person's sessions as a spreadsheet: one row per exercise done, safe to open in any spreadsheet program."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..timeutil import iso, iso_date
from .models import CompletedSession, SessionExercise

CSV_HEADER = [
    "completed_at_utc",
    "local_date",
    "routine",
    "program",
    "pain_before",
    "pain_after",
    "effort",
    "notes",
    "exercise",
    "sets_done",
    "reps_done",
    "hold_seconds",
    "painful",
    "pain_during",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sessions_of(user) -> list[CompletedSession]:
    query = (
        db.select(CompletedSession)
        .where(CompletedSession.user_id == user.id)
        .order_by(CompletedSession.completed_at, CompletedSession.id)
        .options(
            selectinload(CompletedSession.exercises).joinedload(SessionExercise.exercise),
            selectinload(CompletedSession.routine),
            selectinload(CompletedSession.program),
        )
    )
    return list(db.session.execute(query).scalars())


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sessions_csv(user) -> str:
    """One row per exercise done, and one row for a session without any; the first line is the header."""
    out = io.StringIO()
    # The byte-order mark makes spreadsheet programs read the file as UTF-8, so names with accents survive.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for session in sessions_of(user):
        common = [
            iso(session.completed_at),
            iso_date(session.local_date),
            session.routine.name,
            session.program.name,
            session.pain_before,
            session.pain_after,
            session.effort,
            session.notes,
        ]
        done_list = session.exercises or [None]
        for done in done_list:
            if done is None:
                extra = ["", "", "", "", "", ""]
            else:
                extra = [
                    done.exercise.name,
                    done.sets_done,
                    done.reps_done,
                    done.hold_seconds,
                    "yes" if done.painful else "no",
                    "" if done.pain_during is None else done.pain_during,
                ]
            writer.writerow([safe_cell(value) for value in common + extra])
    return out.getvalue()
