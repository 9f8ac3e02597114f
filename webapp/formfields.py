"""The field classes every HTML form of the app reads with (WTForms), so that a value is checked the same way on
every page: one answer as typed, a whole number within a range, one of a few fixed values, a list of ids.

Each refuses what it cannot use with a message a person can act on (the form's error), never by failing later:
a value that holds one answer but arrives twice (only a forged or garbled post sends that) is refused, since which
one the person meant cannot be known; numbers are ASCII digits within their range ("²" and a 5,000-digit number
are refused before Python converts them); ids are checked for their shape before a query sees them.
"""

from __future__ import annotations

from uuid import UUID

from wtforms import Field, StringField
from wtforms.validators import StopValidation

from .inputs import MAX_ID, whole_number

SENT_TWICE = "This answer arrived twice. Reload the page and answer again."


class OneText(StringField):
    """One answer as typed, without the spaces around it; `message` is what a person is told when it cannot be used.

    `most` caps its length (the same message); `missing`, when given, makes the answer required.
    """

    def __init__(
        self, label=None, validators=None, message: str = SENT_TWICE, most: int | None = None,
        missing: str | None = None, **kwargs,
    ):  # fmt: skip
        super().__init__(label, validators, **kwargs)
        self.message, self.most, self.missing = message, most, missing

    def process_formdata(self, valuelist):
        self.data = valuelist[0].strip() if valuelist else ""
        if len(valuelist) > 1:
            raise ValueError(self.message)
        if self.most is not None and len(self.data) > self.most:
            raise ValueError(self.message)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the reading already said what is wrong; one message per field
        if self.missing and not self.data:
            raise StopValidation(self.missing)


class WholeNumber(OneText):
    """A whole number from `low` to `high` in ASCII digits, kept in `number` (`data` keeps the text as typed).

    Empty is None, or the `missing` message when one is given (the answer is required).
    """

    def __init__(self, label=None, validators=None, low=0, high=10, missing: str | None = None, **kwargs):
        super().__init__(label, validators, missing=missing, **kwargs)
        self.low, self.high = low, high
        self.number: int | None = None

    def process_formdata(self, valuelist):
        self.number = None
        super().process_formdata(valuelist)
        if not self.data:
            if self.missing:
                raise ValueError(self.missing)
            return
        self.number = whole_number(self.data, self.low, self.high)
        if self.number is None:
            raise ValueError(self.message)


class Choice(OneText):
    """One of a few fixed values (a button's `action`, a `confirm`), or empty when the field is left out, unless
    `missing` is given. Anything else is refused with `message`, never taken as one of them."""

    def __init__(self, label=None, validators=None, choices: tuple[str, ...] = (), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices = tuple(choices)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data and self.data not in self.choices:
            raise ValueError(self.message)


class IdList(Field):
    """The ids a page sent under one name, each sent as it was shown: UUIDs (`kind="uuid"`, as messages and
    sessions are named) or row ids (`kind="row"`, whole numbers a table can hold), at most `most` of them, each
    once. Anything else refuses the whole list with `message`: a page never sends it, so nothing is guessed."""

    def __init__(self, label=None, validators=None, kind: str = "uuid", most: int = 100, message: str = "", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.kind, self.most = kind, most
        self.message = message or "Some of what this page sent was not recognised. Reload the page and try again."
        self.data: list = []

    def _value(self) -> str:
        return ",".join(map(str, self.data))

    def process_formdata(self, valuelist):
        self.data = []
        if len(valuelist) > self.most:
            raise ValueError(self.message)
        read = [self._one(raw) for raw in valuelist]
        if None in read:
            raise ValueError(self.message)
        self.data = list(dict.fromkeys(read))

    def _one(self, raw: str):
        text = raw.strip()
        if self.kind == "row":
            return whole_number(text, 1, MAX_ID)
        try:
            return str(UUID(text)) if len(text) == 36 else None
        except ValueError:
            return None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
