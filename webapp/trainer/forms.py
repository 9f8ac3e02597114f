"""The trainer's forms and the sign-up form behind an invite link; each carries its CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..auth.forms import SignupForm
from .invites import NAME_MAX
from .services import COMMENT_MAX


class InviteForm(FlaskForm):
    name = StringField(
        "Who is it for? (optional)",
        validators=[Optional(), Length(max=NAME_MAX, message=f"Keep the name to {NAME_MAX} characters.")],
        description="Only you see this: it helps you tell your invites apart.",
    )
    email = EmailField(
        "Their email (optional)",
        validators=[Optional(), Length(max=254)],
        description="Filled in for them on the sign-up form. Nothing is sent: you share the link yourself.",
    )


class CommentForm(FlaskForm):
    text = TextAreaField(
        "Your note",
        validators=[Length(max=COMMENT_MAX, message=f"Keep the note to {COMMENT_MAX} characters.")],
        description=f"Shown on their Today page the next time they open the app. Up to {COMMENT_MAX} characters.",
        render_kw={"maxlength": COMMENT_MAX, "rows": 4},
    )


class JoinForm(SignupForm):
    # Whoever signs up through an invite is a client: the trainer invited them to be coached.
    role = None
