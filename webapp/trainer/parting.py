"""When a client and their trainer part, the one who did not choose it is told by mail.

A client whose trainer removes them must know that no one is watching their sessions any more: the dashboard's
flags (a red session, a bad morning, a red-flag answer) no longer reach anyone, so the client's own reading of the
app's advice is what stays. A trainer whose client leaves, or joins another trainer, learns it from a message rather
than from a row gone from the dashboard. The trainer is never told who the client went to.

The mail is queued in the caller's transaction (webapp/mail.py): it leaves only if the parting is committed.
"""

from __future__ import annotations

from flask import current_app, has_request_context

from ..auth.models import User
from ..links import external_url
from ..mail import send_mail
from ..sessions import red_flags, safety, screens
from ..timeutil import local_date, long_date, utcnow


def _link(label: str, endpoint: str) -> str:
    """The mail's closing link, from BASE_URL (or a trusted request's host); none where neither says where the app
    is (a command run without BASE_URL): the message is worth sending without it."""
    if not (current_app.config.get("BASE_URL") or has_request_context()):
        return ""
    return f"{label}:\n\n{external_url(endpoint)}\n"


def tell_removed_client(client: User, trainer: User, closed_account: bool = False) -> None:
    """The trainer ended the link, or closed their account: the client hears that their sessions are no longer
    seen, and what still holds.

    The warning signs named are the emergency ones of the red-flag screen (cauda equina syndrome: NHS, "Cauda
    equina syndrome"; NICE CKS, "Back pain - low (without radiculopathy)"; sessions/red_flags.py)."""
    day = long_date(local_date(utcnow(), client.timezone))
    what = "closed their CoreSteady account" if closed_account else "ended your link with them in CoreSteady"
    status = screens.standing(client)
    # Not while an answer waits for a clinician: the exercises stay closed until the day they were seen is given.
    go_on = "" if status.blocked else ", and you can go on with your sessions as before"
    body = (
        f"Hello {client.first_name},\n\n"
        f"{trainer.name} {what} on {day}. From now on they do not see your sessions, your pain ratings or your "
        "messages, and the app no longer tells them when something needs a check.\n\n"
        f"Your program and your history stay with you{go_on}. The app's own advice still holds: it tells you when to "
        "ease off, and to get help at once if you notice a warning sign, such as numbness around your genitals or "
        "bottom, new trouble with your bladder or bowels, or weakness in your legs.\n\n"
        f"{_still_waiting(status)}"
        "To work with a trainer again, open the invitation link they send you.\n\n"
        f"{_link('Open CoreSteady', 'home.index')}"
    )
    send_mail(client.email, f"{trainer.name} no longer follows your sessions", body)


def _still_waiting(status: safety.Status) -> str:
    """A paragraph on the client's red-flag answers that wait for a clinician's check, if any: their trainer saw them
    on the dashboard and will not any more, so the advice is said again here, in the result page's own words."""
    if not status.blocked:
        return ""
    signs = ", ".join(red_flags.labels(status.waiting_signs))
    return (
        f"Your answer to the safety questions ({signs}) is still waiting for a clinician's check, and your trainer "
        f"will no longer see it: {red_flags.WHAT_TO_DO[status.level].lower()}, if you have not been seen yet. "
        "The exercises open again once you tell the app the day you were seen.\n\n"
    )


def tell_left_trainer(trainer: User, client: User) -> None:
    """The client ended the link (left, or joined another trainer): the trainer hears it, but not where they went."""
    day = long_date(local_date(utcnow(), trainer.timezone))
    body = (
        f"Hello {trainer.first_name},\n\n"
        f"{client.name} ended their link with you in CoreSteady on {day}. You no longer see their sessions, pain "
        "ratings or messages, and they are no longer on your dashboard. Their account and history stay theirs, "
        "and they keep the version of any program you assigned them; what you save from now on does not reach "
        f"them.\n\n{_link('Your clients', 'trainer.dashboard')}"
    )
    send_mail(trainer.email, f"{client.name} is no longer your client", body)
