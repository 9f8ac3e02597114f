"""Account pages: sign up, log in and out, change and reset the password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..links import external_url, link_base
from ..security import log_event
from ..timeutil import utcnow
from . import services
from .forms import ChangePasswordForm, ConfirmForm, ForgotForm, LoginForm, ResetForm, SignupForm
from .reset import ask_for_reset
from .signup import (
    ask,
    finish_signup,
    link_refused,
    signup_from_token,
    signup_per_address,
    signup_per_email,
    throttled_signup,
    wait_in_words,
)

bp = Blueprint("auth", __name__, url_prefix="/auth")

BAD_LOGIN = "That email and password do not match an account. Check them and try again."


def _account_key() -> str:
    """An account's failed logins are counted per address they come from: wrong passwords sent from elsewhere
    (an attacker's machine) never lock the owner out on their own phone."""
    try:
        account = services.normalise_email(request.form.get("email", ""))
    except services.AccountError:
        account = "?"
    return f"account:{account}|{get_remote_address()}"


def _failed(response) -> bool:
    # Only failed attempts count towards the throttle; a successful login redirects.
    return response.status_code != 302


@bp.errorhandler(429)
def too_many_attempts(error):
    """Throttled: say when to try again, and keep the way to a new password open (it has its own limit)."""
    log_event("throttled", path=request.path, limit=str(error.description))
    seconds, when = wait_in_words()
    if request.endpoint == "auth.signup":
        return throttled_signup(seconds, when)
    message = f"Too many attempts from here. Try again {when}."
    if request.endpoint == "auth.login":
        message = f"Too many wrong passwords for this account from here. Try again {when}, or set a new password."
        form = LoginForm()
        form.password.errors = []
        page = render_template("auth/login.html", form=form, throttled=message)
    else:
        page = render_template("errors/error.html", status=429, title="Too many attempts", message=message)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed, scope="login-address"
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            log_event("login_failed", email=form.email.data)
            form.password.errors = [BAD_LOGIN]
            return render_template("auth/login.html", form=form), 200
        login_user(user, remember=form.remember.data)
        user.last_login_at = utcnow()
        db.session.commit()
        log_event("login", user_id=user.id)
        return redirect(safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_every_login(current_user)
        log_event("logout", user_id=current_user.id)
    logout_user()
    flash("You are logged out. Anything waiting on this phone stays here until you log in again.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/signup", methods=["GET", "POST"])
@signup_per_address
@signup_per_email
def signup():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignupForm()
    if form.validate_on_submit():
        sent = ask(
            form, form.role.data, lambda token: external_url("auth.confirm", token=token), url_for("auth.signup")
        )
        if sent is not None:
            return sent
    return render_template("auth/signup.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The page the mailed link opens: choosing the password makes the account (a GET only shows the form, so a
    mail scanner that opens links makes nothing)."""
    wanted = signup_from_token(token)
    if wanted is None or wanted.invite:
        link_refused()
        return redirect(url_for("auth.signup"))
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = finish_signup(wanted, form.password.data)
        except services.AccountError as exc:
            form.password.errors = [str(exc)]
        else:
            flash(f"Welcome to CoreSteady, {user.first_name}.", "success")
            return redirect(home_for(user))
    return render_template("auth/confirm.html", form=form, signup=wanted, action=request.path)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            log_event("password_change_failed", user_id=current_user.id)
            form.current.errors = ["That is not your current password."]
        else:
            user = current_user._get_current_object()
            services.change_password(user, form.password.data)
            login_user(user, remember=True)  # keep this device; others are logged out
            log_event("password_changed", user_id=current_user.id)
            flash("Your password is changed. Other devices will need to log in again.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        # The same work and the same answer for any email, so this page does not reveal who has an account: the
        # account is looked up, and the mail sent, by the job runner.
        ask_for_reset(form.email.data, link_base())  # the base first refuses a host no link can be built on
        db.session.commit()
        log_event("password_reset_asked")
        flash("If that email has an account, a reset link is on its way. It works for one hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        log_event("password_reset_bad_token")
        flash("That reset link has expired or was already used. Ask for a new one.", "error")
        return redirect(url_for("auth.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        log_event("password_reset", user_id=user.id)
        flash("Your new password is set. Log in with it.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
