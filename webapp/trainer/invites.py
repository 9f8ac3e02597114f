"""Invite links: a signed, expiring, single-use token that links a client to a trainer, and its QR code."""

from __future__ import annotations

import io
import re
import secrets
from datetime import datetime, timedelta
from typing import Literal

import segno
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update

from ..auth import services as accounts
from ..auth.models import User
from ..extensions import db
from ..timeutil import utcnow
from . import parting
from .models import Invite

SALT = "trainer-invite"
NAME_MAX = 80
QR_INK = "#1b2a33"

Status = Literal["pending", "used", "revoked", "expired"]
Refusal = Literal["forged", "expired", "used", "revoked", "trainer"]

MESSAGES: dict[Refusal, str] = {
    "forged": "This invite link is not valid. Check that the whole link was copied, or ask your trainer for a new one.",
    "expired": "This invite link has expired. Ask your trainer for a new one.",
    "used": "This invite link has already been used: each link works once. Ask your trainer for a new one.",
    "revoked": "Your trainer withdrew this invite link. Ask them for a new one if you still want to join.",
    "trainer": "Invites are for client accounts, and you are logged in as a trainer. "
    "Log out, then open the link again to sign up or log in as a client.",
}


class InviteError(ValueError):
    """What a trainer typed for a new invite cannot be used; the message says what to change."""


class InviteRefused(ValueError):
    """An invite link that cannot be accepted; nothing was changed. The message is safe to show."""

    def __init__(self, reason: Refusal):
        super().__init__(MESSAGES[reason])
        self.reason = reason


class SwitchNeeded(Exception):
    """The client already has another trainer: joining ends that link, so they confirm first."""

    def __init__(self, current: User):
        super().__init__(f"already coached by {current.name}")
        self.current = current


def max_age() -> int:
    return int(current_app.config["INVITE_MAX_AGE"])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def create_invite(trainer: User, name: str = "", email: str = "", now: datetime | None = None) -> Invite:
    """A new pending invite; name and email are only the trainer's own reminder of whom it is for."""
    now = now or utcnow()
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise InviteError(f"Keep the name to {NAME_MAX} characters.")
    email = (email or "").strip()
    if email:
        try:
            email = accounts.normalise_email(email)
        except accounts.AccountError as exc:
            raise InviteError(str(exc)) from exc
    invite = Invite(
        trainer_id=trainer.id,
        nonce=secrets.token_hex(16),
        name=name,
        email=email,
        created_at=now,
        expires_at=now + timedelta(seconds=max_age()),
    )
    db.session.add(invite)
    db.session.commit()
    return invite


def invite_token(invite: Invite) -> str:
    # Only the nonce travels: the row id alone could be guessed, and the signature stops any edit.
    return _serializer().dumps(invite.nonce)


def status_of(invite: Invite, now: datetime | None = None) -> Status:
    if invite.revoked_at is not None:
        return "revoked"
    if invite.used_at is not None:
        return "used"
    if invite.expires_at <= (now or utcnow()):
        return "expired"
    return "pending"


def invite_from_token(token: str, now: datetime | None = None) -> Invite:
    """The pending invite a link names, or InviteRefused saying why it cannot be used."""
    try:
        nonce = _serializer().loads(token, max_age=max_age())
    except SignatureExpired as exc:
        raise InviteRefused("expired") from exc
    except BadSignature as exc:
        raise InviteRefused("forged") from exc
    if not isinstance(nonce, str):
        raise InviteRefused("forged")
    invite = db.session.execute(db.select(Invite).filter_by(nonce=nonce)).scalar_one_or_none()
    if invite is None:
        # Signed by us but gone: its trainer deleted their account. To the visitor it is simply not valid.
        raise InviteRefused("forged")
    status = status_of(invite, now)
    if status != "pending":
        raise InviteRefused(status)
    return invite


def trainer_of(invite: Invite) -> User:
    return db.session.get(User, invite.trainer_id)


def accept(invite: Invite, client: User, confirm_switch: bool = False, now: datetime | None = None) -> str:
    """Link the client to the invite's trainer. Returns "joined", "switched" or "already".

    Raises InviteRefused for a trainer account or an invite used meanwhile, and SwitchNeeded when the client has
    another trainer and has not confirmed; in both cases nothing is written.
    """
    now = now or utcnow()
    if not client.is_client:
        raise InviteRefused("trainer")
    previous = client.trainer_id
    if previous is not None and previous != invite.trainer_id and not confirm_switch:
        raise SwitchNeeded(db.session.get(User, previous))
    # One conditional UPDATE claims the invite, so two taps (or two people) racing for one link get one winner.
    claimed = db.session.execute(
        update(Invite)
        .where(
            Invite.id == invite.id,
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
        )
        .values(used_at=now, used_by_id=client.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(invite)
        status = status_of(invite, now)
        raise InviteRefused("used" if status == "pending" else status)
    client.trainer_id = invite.trainer_id
    if previous is not None and previous != invite.trainer_id:
        parting.tell_left_trainer(db.session.get(User, previous), client)
    db.session.commit()
    db.session.refresh(invite)
    if previous == invite.trainer_id:
        return "already"
    return "switched" if previous is not None else "joined"


def revoke(invite: Invite, now: datetime | None = None) -> bool:
    """Withdraw a pending invite; False when it was already used, withdrawn or expired (nothing changes)."""
    if status_of(invite, now) != "pending":
        return False
    invite.revoked_at = now or utcnow()
    db.session.commit()
    return True


def invites_of(trainer: User) -> list[Invite]:
    query = (
        db.select(Invite).where(Invite.trainer_id == trainer.id).order_by(Invite.created_at.desc(), Invite.id.desc())
    )
    return list(db.session.execute(query).scalars())


def invite_of(trainer: User, invite_id: int) -> Invite | None:
    """The trainer's own invite, or None: another trainer's invite is as missing as one that never existed."""
    query = db.select(Invite).where(Invite.id == invite_id, Invite.trainer_id == trainer.id)
    return db.session.execute(query).scalar_one_or_none()


def pending_for(trainer: User, now: datetime | None = None) -> Invite | None:
    query = (
        db.select(Invite)
        .where(
            Invite.trainer_id == trainer.id,
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > (now or utcnow()),
        )
        .order_by(Invite.created_at.desc())
    )
    return db.session.execute(query).scalars().first()


# ---- The QR code ----

# What a QR code drawn by segno consists of; anything else means the SVG is not what we made.
SVG_ELEMENTS = {"svg", "title", "desc", "path", "rect", "g"}
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][\w:.-]*)")
_DANGER = re.compile(r"\son\w+\s*=|javascript:|<!|<\?|\bhref\s*=", re.I)


def check_clean_svg(svg: str) -> str:
    """Refuse an SVG with a script, an event handler, a link, a doctype or any unexpected element."""
    tags = {match.lower() for match in _TAG.findall(svg)}
    if not tags <= SVG_ELEMENTS or _DANGER.search(svg):
        raise ValueError("the QR code SVG holds something other than shapes")
    return svg


def qr_svg(url: str) -> str:
    """The link as a QR code: a plain SVG with a viewBox (so it scales), dark on white to scan on any page."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        omitsize=True,
        border=4,
        dark=QR_INK,
        light="#ffffff",
        title="QR code of the invite link",
        svgclass="qr-code",
        lineclass=None,
    )
    return check_clean_svg(out.getvalue().decode("utf-8"))
