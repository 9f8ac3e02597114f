"""The `push` job: one notification to one subscription, VAPID-signed and encrypted (RFC 8291 aes128gcm) by pywebpush.

Runs in the job runner, never in a request. A subscription its push service answers 404 or 410 is gone and is
dropped, and so is one whose service is not among PUSH_SERVICES in production; a refusal that trying again cannot
mend fails the job; anything else (the service away, slow, 429, 5xx) raises, and the runner tries again later.
The same push sent twice (a worker that died after sending) carries the same Topic and tag, so the phone shows it
once.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

import requests
from flask import Flask, current_app
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from ..extensions import db
from ..jobs.registry import add_handler
from ..jobs.services import GiveUp
from ..timeutil import utcnow
from .models import PushSubscription
from .services import KIND, sends_to, services_sent_to, topic

log = logging.getLogger("coresteady.push")

# Seconds to connect, then to wait for the answer: a push service that hangs holds one job, not the worker.
TIMEOUT = (5, 15)
GONE = (404, 410)
# The service refuses the push itself (malformed, a key it does not accept, too large): trying again cannot help.
REFUSED = (400, 401, 403, 413)


def _still_ours(payload: dict) -> PushSubscription | None:
    subscription = db.session.get(PushSubscription, payload["subscription"])
    # Removed since, or moved to the account of whoever uses that browser now: this push is not for them.
    if subscription is None or subscription.user_id != payload["user"] or subscription.endpoint != payload["endpoint"]:
        return None
    return subscription


def deliver(payload: dict, now: datetime) -> None:
    subscription = _still_ours(payload)
    if subscription is None:
        log.info("Push %r not sent: the subscription was removed", payload.get("tag"))
        return
    config = current_app.config
    if not sends_to(subscription.endpoint, services_sent_to(config)):
        # Stored before PUSH_SERVICES left its service out: the server sends only to the services listed.
        db.session.delete(subscription)
        db.session.commit()
        log.warning("Push subscription %s dropped: its push service is not in PUSH_SERVICES", subscription.id)
        return
    expires_at = datetime.fromisoformat(payload["expires_at"])
    left = int((expires_at - now).total_seconds())
    if left <= 0:
        log.info("Push %r not sent: it was due until %s", payload["tag"], payload["expires_at"])
        return
    message = {key: payload[key] for key in ("title", "body", "url", "tag")}
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(message),
            vapid_private_key=Vapid.from_raw(config["VAPID_PRIVATE_KEY"].encode()),
            # A dict of our own each time: webpush writes aud and exp into it.
            vapid_claims={"sub": config["VAPID_SUBJECT"]},
            ttl=left,
            timeout=TIMEOUT,
            headers={"Topic": topic(payload["tag"]), "Urgency": "normal"},
        )
    except WebPushException as exc:
        status = exc.status_code
        if status in GONE:
            db.session.delete(subscription)
            db.session.commit()
            log.info("Push subscription %s dropped: its push service answered %s", subscription.id, status)
            return
        if status in REFUSED:
            raise GiveUp(f"the push service refused the push ({status}): {exc.message}") from exc
        raise
    except requests.RequestException as exc:
        raise RuntimeError(f"the push service could not be reached: {exc}") from exc
    subscription.last_sent_at = utcnow()
    db.session.commit()


def register_jobs(app: Flask) -> None:
    add_handler(app, KIND, deliver)
