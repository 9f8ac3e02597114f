"""Sign-up that answers alike for every email: the account is made only from a link mailed to the address.

Whoever signs up is told "check your email" whether or not the address has an account, and the request does the
same work either way (one lookup, one mail queued for the job runner). A new address gets a signed, expiring link
that carries what the form said (never a password: that is chosen once the link is opened); an address that has an
account gets a note to its owner with the ways in (log in, forgotten password) instead. So neither the page nor its
timing tells who has an account, and nobody can make an account on an address they cannot read.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from flask import current_app, flash, g, make_response, render_template, request
from flask_login import login_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db, limiter
from ..links import external_url, link_base
from ..mail import send_mail
from ..security import log_event
from ..timeutil import is_known_zone
from .models import ROLES, User
from .services import AccountError, create_user, normalise_email

SALT = "signup-confirm"
NAME_MAX = 80


@dataclass(frozen=True)
class Signup:
    """What the sign-up form said, carried by the link until the person opens it. `invite` is the trainer's invite
    link (its token) that the sign-up came through, or empty."""

    email: str
    name: str
    role: str = "client"
    timezone: str = "UTC"
    invite: str = ""


@dataclass(frozen=True)
class Mail:
    """A message as queued: what the page shows instead when no mail server is set (see `shown_on_page`)."""

    to: str
    subject: str
    body: str
    links: tuple[tuple[str, str], ...]


def new_signup(email: str, name: str, role: str = "client", timezone: str = "UTC", invite: str = "") -> Signup:
    """The form's values checked and tidied, or AccountError (a malformed email, a role that does not exist)."""
    if role not in ROLES:
        raise AccountError(f"Role must be one of: {', '.join(ROLES)}.")
    email = normalise_email(email)
    name = (name or "").strip()[:NAME_MAX] or email.split("@")[0]
    return Signup(email, name, role, timezone if is_known_zone(timezone) else "UTC", invite)


def max_age() -> int:
    return int(current_app.config["SIGNUP_MAX_AGE"])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def signup_token(signup: Signup) -> str:
    return _serializer().dumps(asdict(signup))


def signup_from_token(token: str) -> Signup | None:
    """The sign-up a link carries, or None when it is forged, expired or not one of ours."""
    try:
        data = _serializer().loads(token, max_age=max_age())
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or set(data) != {"email", "name", "role", "timezone", "invite"}:
        return None
    if not all(isinstance(value, str) for value in data.values()):
        return None
    try:
        return new_signup(**data)
    except AccountError:
        return None


def hours(seconds: int) -> str:
    count = max(1, round(seconds / 3600))
    return "1 hour" if count == 1 else f"{count} hours"


def confirmation_mail(signup: Signup, confirm_link: str) -> Mail:
    # Whoever signs up may type anything as a name and mail it to any address: so the name stays out of the mail.
    body = (
        "Hello,\n\n"
        f"To finish making your CoreSteady account, open this link within {hours(max_age())} and choose a password:"
        f"\n\n{confirm_link}\n\n"
        "If you did not sign up, you can ignore this message: no account is made without the link.\n"
    )
    return Mail(signup.email, "Finish signing up to CoreSteady", body, (("Finish signing up", confirm_link),))


@dataclass(frozen=True)
class Owner:
    """The little a sign-up reads of an account that has the address: read as a row, as cheaply as finding none."""

    id: int
    email: str
    name: str

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.email.split("@")[0]


def owner_of(email: str) -> Owner | None:
    row = db.session.execute(db.select(User.id, User.email, User.name).where(User.email == email)).first()
    return Owner(*row) if row else None


def owner_mail(user: Owner, login_link: str, forgot_link: str) -> Mail:
    body = (
        f"Hello {user.first_name},\n\n"
        "Someone, perhaps you, tried to sign up to CoreSteady with this email address. It already has an "
        "account, so no new one was made and nothing in yours has changed.\n\n"
        f"To log in:\n\n{login_link}\n\n"
        f"If you have forgotten your password, set a new one here:\n\n{forgot_link}\n\n"
        "If it was not you, you can ignore this message.\n"
    )
    links = (("Log in", login_link), ("Set a new password", forgot_link))
    return Mail(user.email, "Someone tried to sign up with your email", body, links)


def ask_to_confirm(signup: Signup, confirm_link: str, login_link: str, forgot_link: str) -> tuple[Mail, Owner | None]:
    """Queue the one message this sign-up gets (the caller commits): the link for a new address, a note to the
    owner for one that has an account. Returns it, and the owner if there is one."""
    owner = owner_of(signup.email)
    mail = confirmation_mail(signup, confirm_link) if owner is None else owner_mail(owner, login_link, forgot_link)
    send_mail(mail.to, mail.subject, mail.body)
    return mail, owner


def shown_on_page() -> bool:
    """Whether the page shows the message it queued: only in development with no mail server set, where the job
    worker writes mail to its log and a newcomer trying the app out has no inbox to open. Never in production."""
    config = current_app.config
    return config.get("APP_ENV") != "production" and not config.get("MAIL_SERVER")


# ---- The pages' side: throttling, the answer, the account made ----


def _email_key() -> str:
    """Sign-ups mail the address typed: counted per address typed, from wherever they are sent, so nobody can fill
    someone's inbox through this app."""
    try:
        email = normalise_email(request.form.get("email", ""))
    except AccountError:
        email = "?"
    return f"signup-email:{email}"


def _mailed(response) -> bool:
    return bool(g.get("signup_mailed"))


# Each decorates every sign-up form (this app's own and an invite's), so the counts add up across them. Only a
# sign-up that queued a mail counts per email; every post counts per client address, as before.
signup_per_email = limiter.shared_limit(
    lambda: current_app.config["SIGNUP_LIMIT_PER_EMAIL"],
    scope="signup-email",
    key_func=_email_key,
    methods=["POST"],
    deduct_when=_mailed,
)
signup_per_address = limiter.shared_limit(
    lambda: current_app.config["SIGNUP_LIMIT_PER_ADDRESS"], scope="signup-address", methods=["POST"]
)


def ask(form, role: str, confirm_link: Callable[[str], str], again: str, invite: str = ""):
    """A valid sign-up form (the plain one or an invite's): the page that says a link was mailed, or None with the
    reason on the form's email field when the address can have no account. confirm_link(token) is the address the
    mailed link opens; `again` the form's own, for a person whose mail did not come."""
    try:
        link_base()  # checked first, so a host no link can be built on is refused for any email alike
        wanted = new_signup(form.email.data, form.name.data, role, form.timezone.data or "UTC", invite=invite)
    except AccountError as exc:
        log_event("signup_refused", reason=str(exc))
        form.email.errors = [str(exc)]
        return None
    return start_signup(wanted, confirm_link(signup_token(wanted)), again)


def start_signup(signup: Signup, confirm_link: str, again: str):
    """The answer to every sign-up whose form is valid, whether or not the email has an account: the same page,
    after the same work (one lookup, one mail queued for the job worker), so neither tells who has one.
    `again` is the sign-up form's address, for a person whose mail did not come."""
    mail, owner = ask_to_confirm(signup, confirm_link, external_url("auth.login"), external_url("auth.forgot"))
    db.session.commit()  # the mail leaves with the job runner, outside this request
    g.signup_mailed = True
    if owner is None:
        log_event("signup_mailed", role=signup.role, invite=bool(signup.invite))
    else:
        log_event("signup_existing_email", user_id=owner.id, invite=bool(signup.invite))
    return render_template(
        "auth/signup_sent.html",
        email=signup.email,
        max_age=hours(max_age()),
        again=again,
        shown=mail if shown_on_page() else None,
    )


def finish_signup(signup: Signup, password: str) -> User:
    """The account made from an opened link and the password chosen, and logged in on this device; AccountError
    when the password will not do or the email got an account meanwhile (the link was used already)."""
    try:
        user = create_user(signup.email, password, signup.name, signup.role, signup.timezone)
    except AccountError as exc:
        log_event("signup_refused", reason=str(exc))
        raise
    log_event("signup", user_id=user.id, role=user.role)
    login_user(user, remember=True)
    return user


def wait_in_words() -> tuple[int, str]:
    """How long the limit just reached lasts: seconds, and the same in words ("in 15 minutes")."""
    limit = limiter.current_limit
    # reset_at is a whole second after the window ends (Flask-Limiter rounds it up).
    seconds = max(1, int(limit.reset_at - time.time()) - 1) if limit is not None else 15 * 60
    wait = math.ceil(seconds / 60)
    return seconds, "in a minute" if wait == 1 else f"in {wait} minutes"


def throttled_signup(seconds: int, when: str):
    """A sign-up over its limit (per email or per client address): 429, with what to do meanwhile."""
    message = (
        f"Too many sign-ups from here or for this email address. If a message from us has come, open the link in "
        f"it; otherwise try again {when}."
    )
    page = render_template("errors/error.html", status=429, title="Too many sign-ups", message=message)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def link_refused() -> None:
    log_event("signup_bad_token")
    flash("That link has expired or is not whole. Sign up again, and open the newest link we send.", "error")
