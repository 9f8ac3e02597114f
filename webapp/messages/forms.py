"""The client's compose form (it carries its CSRF token and works without script), and the read marks a page sends."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, TextAreaField
from wtforms.validators import Length

from ..formfields import IdList
from .services import BODY_MAX, MAX_MARKED


class ComposeForm(FlaskForm):
    # The rule itself is services.clean_body, as for the API; the length here only stops a huge post early.
    body = TextAreaField(
        "Your message",
        validators=[Length(max=BODY_MAX * 2, message=f"Keep a message to {BODY_MAX:,} characters.")],
        description=f"Up to {BODY_MAX:,} characters. Written offline, it waits on this phone until you are online.",
        render_kw={"maxlength": BODY_MAX, "rows": 4},
    )


NOT_MARKED = "Those messages could not be marked as read: the page sent something else. Reload the page."


class ReadForm(Form):
    """The messages a page showed, by their ids (field `message`): the thread pages of either side send it."""

    message = IdList(kind="uuid", most=MAX_MARKED, message=NOT_MARKED)


class NotesSeenForm(Form):
    """The trainer's messages Today showed (field `note`)."""

    note = IdList(kind="uuid", most=MAX_MARKED, message=NOT_MARKED)
