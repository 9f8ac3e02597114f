"""The client's compose form; it carries its CSRF token and works without script."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from .services import BODY_MAX


class ComposeForm(FlaskForm):
    # The rule itself is services.clean_body, as for the API; the length here only stops a huge post early.
    body = TextAreaField(
        "Your message",
        validators=[Length(max=BODY_MAX * 2, message=f"Keep a message to {BODY_MAX:,} characters.")],
        description=f"Up to {BODY_MAX:,} characters. Written offline, it waits on this phone until you are online.",
        render_kw={"maxlength": BODY_MAX, "rows": 4},
    )
