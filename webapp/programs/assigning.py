"""Assigning a program to a trainer's own clients, with a start date: to all of those chosen, or to none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..extensions import db
from .models import Assignment, Program
from .services import assign

AHEAD_DAYS = 60


def followers_by_family(families: list[str]) -> dict[str, int]:
    """How many clients follow each family now: one query for the whole list."""
    if not families:
        return {}
    query = (
        db.select(Assignment.family, func.count(Assignment.id))
        .where(Assignment.family.in_(families), Assignment.is_active.is_(True))
        .group_by(Assignment.family)
    )
    return dict(db.session.execute(query).all())


class NotYourClient(LookupError):
    """A client id that is not one of this trainer's clients (or no client at all)."""


class ProgramArchived(Exception):
    """An archived program is not assigned to anyone new; those already following it keep it."""


def own_clients(trainer) -> list[User]:
    query = db.select(User).where(User.trainer_id == trainer.id, User.role == "client").order_by(User.name, User.email)
    return list(db.session.execute(query).scalars())


def own_client(trainer, client_id: int) -> User | None:
    client = db.session.get(User, client_id)
    if client is None or client.role != "client" or client.trainer_id != trainer.id:
        return None
    return client


def current_plans(clients: list[User]) -> dict[int, str]:
    """Each client's current program name, in one query for the whole list."""
    if not clients:
        return {}
    query = (
        db.select(Assignment.client_id, Program.name)
        .join(Program, Assignment.program_id == Program.id)
        .where(Assignment.client_id.in_([c.id for c in clients]), Assignment.is_active.is_(True))
    )
    return dict(db.session.execute(query).all())


@dataclass(frozen=True)
class UnderWay:
    """A client part-way through a program that a new assignment would replace."""

    client: User
    program: str
    started: date
    weeks_gone: int
    weeks: int


def under_way(clients: list[User], today: date) -> list[UnderWay]:
    """Those of these clients whose current program has started and has weeks left: replacing it asks first."""
    if not clients:
        return []
    by_id = {client.id: client for client in clients}
    query = (
        db.select(Assignment)
        .where(Assignment.client_id.in_(list(by_id)), Assignment.is_active.is_(True))
        .options(selectinload(Assignment.program).selectinload(Program.weeks))
    )
    found = []
    for assignment in db.session.execute(query).scalars():
        weeks = len(assignment.program.weeks)
        gone = (today - assignment.start_date).days // 7
        if assignment.start_date <= today and gone < weeks:
            client = by_id[assignment.client_id]
            found.append(UnderWay(client, assignment.program.name, assignment.start_date, gone, weeks))
    return sorted(found, key=lambda u: u.client.name)


def start_date_problem(value: str, today: date) -> tuple[date | None, str]:
    try:
        start = date.fromisoformat(value.strip())
    except ValueError:
        return None, f"Choose a start date from today to {AHEAD_DAYS} days ahead."
    if not today <= start <= today + timedelta(days=AHEAD_DAYS):
        return None, f"Choose a start date from today to {AHEAD_DAYS} days ahead."
    return start, ""


def assign_to_clients(trainer, program: Program, client_ids: list[int], start: date) -> list[User]:
    """Make the program the plan of every client named, or of none: each must be the trainer's own."""
    if program.archived_at is not None:
        raise ProgramArchived(program.family)
    clients = []
    for client_id in dict.fromkeys(client_ids):
        client = own_client(trainer, client_id)
        if client is None:
            raise NotYourClient(client_id)
        clients.append(client)
    try:
        for client in clients:
            assign(client, program, start, by=trainer, commit=False)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return clients
