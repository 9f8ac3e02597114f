"""The account page's forms; each carries its CSRF token through Flask-WTF."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..timeutil import DAY_NAMES, WEEKDAYS, is_known_zone


def known_zone(form, field) -> None:
    if not is_known_zone(field.data or ""):
        raise ValidationError("Choose a time zone from the list.")


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes, which are easier to tap than a multiple select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SettingsForm(FlaskForm):
    name = StringField(
        "Your name",
        validators=[DataRequired(message="Tell us what to call you."), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )
    # Any zone the system knows is accepted, not only the listed ones, so nobody is forced off theirs.
    timezone = SelectField(
        "Time zone",
        validate_choice=False,
        validators=[known_zone],
        description="Days, streaks and reminders follow this clock.",
    )
    preferred_days = CheckboxesField(
        "Days that suit you",
        choices=[SelectChoice(day, DAY_NAMES[day]) for day in WEEKDAYS],
        validate_choice=True,
    )

    def __init__(self, *args, zones: list[tuple[str, str]], for_client: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(value, label) for value, label in zones]
        if not for_client:
            self.timezone.description = "Dates and times are shown on this clock."


class DeleteForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[DataRequired(message="Enter your password to confirm.")],
        render_kw={"autocomplete": "current-password"},
    )
