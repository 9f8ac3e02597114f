"""The trainer's forms and the sign-up form behind an invite link; each carries its CSRF token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, Form, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ..auth.forms import SignupForm
from ..formfields import Choice
from ..messages.services import BODY_MAX
from .invites import NAME_MAX


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


class MessageForm(FlaskForm):
    # Checked by messages.services.clean_body, the same rule the API keeps; the length here only stops a huge post.
    body = TextAreaField(
        "Your message",
        validators=[Length(max=BODY_MAX * 2, message=f"Keep a message to {BODY_MAX:,} characters.")],
        description=f"Up to {BODY_MAX:,} characters. They see it on their Today page and in their messages.",
        render_kw={"maxlength": BODY_MAX, "rows": 4},
    )
    # The session this message is about, when it is written from the session list.
    session = HiddenField()


class JoinForm(SignupForm):
    # Whoever signs up through an invite is a client: the trainer invited them to be coached.
    role = None


class SwitchForm(Form):
    """Accepting an invite while coached by someone else: the join page's second button sends confirm=switch."""

    confirm = Choice(choices=("switch",), message="That answer was not recognised. Open the invite link again.")
