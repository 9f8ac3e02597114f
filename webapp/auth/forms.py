"""The account forms; each carries its CSRF token through Flask-WTF."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from .services import MAX_PASSWORD, MIN_PASSWORD

EMAIL = [DataRequired(message="Enter your email address."), Length(max=254)]


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=EMAIL, render_kw={"autocomplete": "username"})
    password = PasswordField(
        "Password",
        validators=[DataRequired(message="Enter your password."), Length(max=MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device", default=True)


def new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message="Choose a password."),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                message=f"Use between {MIN_PASSWORD} and {MAX_PASSWORD} characters.",
            ),
        ],
        render_kw={"autocomplete": "new-password", "minlength": MIN_PASSWORD},
        description=f"At least {MIN_PASSWORD} characters. A short sentence is easy to remember.",
    )


def confirm_field(of: str) -> PasswordField:
    return PasswordField(
        "Repeat the password",
        validators=[DataRequired(message="Repeat the password."), EqualTo(of, message="The passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )


class SignupForm(FlaskForm):
    """Who signs up; the password is chosen on the page the mailed link opens (ConfirmForm)."""

    name = StringField(
        "Your name",
        validators=[DataRequired(message="Tell us what to call you."), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "Email",
        validators=EMAIL,
        render_kw={"autocomplete": "email"},
        description="We send a link to this address; your account is made once you open it.",
    )
    role = RadioField(
        "I am",
        choices=[
            SelectChoice("client", "Here to ease my back pain"),
            SelectChoice("trainer", "A trainer or physiotherapist"),
        ],
        default="client",
        validators=[DataRequired()],
    )
    timezone = HiddenField(default="UTC")


class ConfirmForm(FlaskForm):
    password = new_password_field()
    confirm = confirm_field("password")


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired(message="Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field("New password")
    confirm = confirm_field("password")


class ForgotForm(FlaskForm):
    email = EmailField("Email", validators=EMAIL, render_kw={"autocomplete": "email"})


class ResetForm(FlaskForm):
    password = new_password_field("New password")
    confirm = confirm_field("password")
