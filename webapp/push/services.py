"""Subscriptions in and out, the public VAPID key, and `notify`: the one call other features make to push.

`notify` never sends: it queues one `push` job per subscription in the caller's transaction, and the job runner
sends it (sending.py). A slow or absent push service never holds a request up.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime, timedelta
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictStr,
    ValidationInfo,
    field_validator,
)
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..inputs import JSONBody
from ..jobs.services import enqueue
from ..timeutil import iso, utcnow
from .models import PushSubscription

KIND = "push"
MAX_ENDPOINT = 2000
# A person with more browsers than this keeps the newest: a subscription nobody removed is usually a phone long gone.
MAX_PER_PERSON = 10
MAX_TITLE = 100
MAX_BODY = 300
# How long a push service keeps a push for a phone that is off; past it a reminder is of no use.
DEFAULT_TTL = timedelta(hours=6)
BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _unb64(text: str) -> bytes:
    if not BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url") from None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_key() -> str:
    """The server's VAPID public key as browsers take it (`applicationServerKey`): the uncompressed point, base64url."""
    secret = int.from_bytes(_unb64(current_app.config["VAPID_PRIVATE_KEY"]), "big")
    private = ec.derive_private_key(secret, ec.SECP256R1())
    point = private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64(point)


def services_sent_to(config) -> tuple[str, ...] | None:
    """The push services this server sends to, by domain: in production those of PUSH_SERVICES (the services
    browsers use); elsewhere any (None), so a developer's or a test's own push service on this machine works. The
    one place that decides it, for the subscriptions it takes (check_endpoint) and the pushes it sends."""
    if config["APP_ENV"] != "production":
        return None
    return tuple(domain.lower().strip(".") for domain in config["PUSH_SERVICES"] if domain.strip("."))


def check_endpoint(endpoint: str, services: tuple[str, ...] | None) -> str:
    """A push service's URL as a browser gives it; with `services` (services_sent_to: production) only an https
    URL of one of them, which is where the app will send to."""
    if not endpoint.strip():
        raise ValueError("must be the push service's URL, as the browser gives it")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        raise ValueError("is not a URL") from None
    if parts.scheme not in ("https", "http") or not host or parts.username or parts.password or parts.fragment:
        raise ValueError("must be an https URL of a push service")
    if services is not None:
        if parts.scheme != "https":
            raise ValueError("must be an https URL: push services are reached over https only")
        if not sends_to(endpoint, services):
            raise ValueError("must be the URL of a push service that browsers use; this server sends to no other")
    return endpoint


def sends_to(endpoint: str, services: tuple[str, ...] | None) -> bool:
    """Whether the server sends to this endpoint: any with no list (services_sent_to outside production), else one
    whose host is a listed domain or lies under one (Edge's service answers at many hosts under notify.windows.com;
    an address, 127.0.0.1 or any other, is never a domain's)."""
    if services is None:
        return True
    host = (urlsplit(endpoint).hostname or "").rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in services)


def _p256dh(text: str) -> str:
    try:
        point = _unb64(text)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise ValueError("must be the browser's P-256 public key (65 bytes, base64url)") from None
    return _b64(point)


def _auth(text: str) -> str:
    try:
        secret = _unb64(text)
    except ValueError:
        secret = b""
    if len(secret) != 16:
        raise ValueError("must be the browser's auth secret (16 bytes, base64url)")
    return _b64(secret)


B64URL = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]+={0,2}$")]
Endpoint = Annotated[StrictStr, Field(max_length=MAX_ENDPOINT)]


class PushKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")
    p256dh: Annotated[B64URL, AfterValidator(_p256dh)] = Field(description="The browser's P-256 public key, 65 bytes.")
    auth: Annotated[B64URL, AfterValidator(_auth)] = Field(description="The browser's auth secret, 16 bytes.")


# The one model that checks the body of POST /api/v1/push/subscriptions (inputs.read_body, with `services` in the
# context) and that documents it; Unsubscription likewise for DELETE.
class Subscription(JSONBody):
    """PushSubscription.toJSON() as the browser gives it. In production the endpoint must be an https URL of one of
    the push services browsers use (PUSH_SERVICES)."""

    model_config = ConfigDict(extra="forbid")
    shape: ClassVar[str] = 'Send the browser\'s subscription: {"endpoint": "...", "keys": {"p256dh", "auth"}}.'
    help: ClassVar[dict[str, str]] = {
        "expirationTime": "must be a number of milliseconds, or null",
        "keys": 'must be an object: {"p256dh": "...", "auth": "..."}',
        "keys.p256dh": "must be the browser's P-256 public key (65 bytes, base64url)",
        "keys.auth": "must be the browser's auth secret (16 bytes, base64url)",
    }

    endpoint: Annotated[Endpoint, Field(json_schema_extra={"format": "uri"})]
    expirationTime: StrictFloat | None = None
    keys: PushKeys

    @field_validator("endpoint")
    @classmethod
    def _push_service(cls, endpoint: str, info: ValidationInfo) -> str:
        context = info.context or {}
        return check_endpoint(endpoint, context.get("services"))


class Unsubscription(JSONBody):
    """The subscription to remove, named by its endpoint."""

    model_config = ConfigDict(extra="forbid")
    shape: ClassVar[str] = 'Send {"endpoint": "..."}: the URL of the subscription to remove.'
    help: ClassVar[dict[str, str]] = {"endpoint": "must be the URL of the subscription to remove"}
    endpoint: Annotated[Endpoint, Field(min_length=1)]


def subscribe(user, subscription: Subscription) -> bool:
    """Store a browser's subscription for `user` (the caller commits); True when it is new to this person.

    A browser that subscribes again under another account moves to it: a phone reminds whoever uses it now.
    """
    endpoint, p256dh, auth = subscription.endpoint, subscription.keys.p256dh, subscription.keys.auth
    existing = _by_endpoint(endpoint)
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(PushSubscription(user_id=user.id, endpoint=endpoint, p256dh=p256dh, auth=auth))
        except IntegrityError:
            # The same browser sent it twice at once (a page load and a tap): the other request stored it first.
            existing = _by_endpoint(endpoint)
    new = existing is None
    if existing is not None:
        new = existing.user_id != user.id
        existing.user_id, existing.p256dh, existing.auth = user.id, p256dh, auth
        if new:
            existing.created_at = utcnow()
        db.session.flush()
    _keep_newest(user.id)
    return new


def _by_endpoint(endpoint: str) -> PushSubscription | None:
    return db.session.execute(select(PushSubscription).where(PushSubscription.endpoint == endpoint)).scalar()


def _keep_newest(user_id: int) -> None:
    ids = select(PushSubscription.id).where(PushSubscription.user_id == user_id)
    newest = ids.order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc()).limit(MAX_PER_PERSON)
    keep = list(db.session.execute(newest).scalars())
    statement = delete(PushSubscription).where(PushSubscription.user_id == user_id, PushSubscription.id.not_in(keep))
    db.session.execute(statement.execution_options(synchronize_session=False))


def unsubscribe(user, which: Unsubscription) -> bool:
    """Remove this person's subscription named by {"endpoint"}; True if there was one (the caller commits)."""
    mine = (PushSubscription.user_id == user.id, PushSubscription.endpoint == which.endpoint)
    statement = delete(PushSubscription).where(*mine)
    return bool(db.session.execute(statement.execution_options(synchronize_session=False)).rowcount)


def subscriptions_of(user_id: int) -> list[PushSubscription]:
    query = select(PushSubscription).where(PushSubscription.user_id == user_id).order_by(PushSubscription.id)
    return list(db.session.execute(query).scalars())


def subscription_count(user_id: int) -> int:
    """How many browsers this person takes pushes in (their dashboard says whether alerts are on anywhere)."""
    query = select(func.count()).select_from(PushSubscription).where(PushSubscription.user_id == user_id)
    return db.session.execute(query).scalar_one()


def topic(tag: str) -> str:
    """The Topic header (RFC 8030): a push service keeps only the newest undelivered push of one topic."""
    return _b64(hashlib.sha256(tag.encode()).digest())[:32]


def notify(
    user,
    title: str,
    body: str,
    url: str,
    tag: str,
    *,
    key: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> int:
    """Queue a push to every browser of `user` (a User or an id) in the caller's transaction; how many were queued.

    `url` is a path of this app (the notification opens it); `tag` names what the notification is about, so a
    newer one replaces it on the phone. With a `key`, the same push is never queued twice for a subscription.
    Sending happens in the job runner, which drops a subscription its push service says is gone.
    """
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("a push opens a path of this app, such as /player/12")
    user_id = user if isinstance(user, int) else user.id
    now = now or utcnow()
    queued = 0
    for subscription in subscriptions_of(user_id):
        payload = {
            "subscription": subscription.id,
            "user": user_id,
            "endpoint": subscription.endpoint,
            "title": title[:MAX_TITLE],
            "body": body[:MAX_BODY],
            "url": url,
            "tag": tag,
            "expires_at": iso(now + ttl),
        }
        enqueue(KIND, payload, run_at=now, key=f"push:{key}:{subscription.id}" if key else None)
        queued += 1
    return queued
