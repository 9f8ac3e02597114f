"""What comes in from outside, checked in one place before it reaches the database: ids, text and JSON.

Both databases refuse some values Python accepts: PostgreSQL's integer stops at 2^31-1 and its text cannot hold
a NUL character; SQLite's integer stops at 2^63-1. A value past those limits is refused here, with a message that
names it, instead of failing deep inside a query.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Annotated, Any, ClassVar, TypeVar

from flask import abort, request
from flask.json.provider import DefaultJSONProvider
from pydantic import AfterValidator, BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

# The largest id any table can hold: the row ids are PostgreSQL `integer` columns (SQLite's are wider).
MAX_ID = 2**31 - 1

# Deeper than this, a JSON value is no data the app reads (a synced session is 5 levels deep); Python's parser
# would run out of stack on a few thousand levels.
MAX_JSON_DEPTH = 32
# What a value nested deeper than MAX_JSON_DEPTH reads as once parsed: the NUL inside means no text field can
# keep it, and `too_deep` finds it to say so plainly.
TOO_DEEP = f"\x00(nested more than {MAX_JSON_DEPTH} levels deep)"

_STRING = r'"(?:[^"\\]|\\.)*"'
_TOKENS = re.compile(_STRING + r"|[\[\]{}]", re.DOTALL)
_STRINGS = re.compile(_STRING, re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("must not contain a NUL character (\\u0000)")
    return text


# Text from outside: anything but NUL, which PostgreSQL cannot store.
Text = Annotated[str, AfterValidator(no_nul)]


def flatten_deep_json(source: str) -> str:
    """The JSON text with every value nested deeper than MAX_JSON_DEPTH replaced by the TOO_DEEP string.

    Only the brackets outside strings count. Other malformed text is returned as it is, for the parser to refuse.
    """
    if source.count("[") + source.count("{") <= MAX_JSON_DEPTH:
        return source  # no value can be nested deeper than there are brackets (a sync of one session has ten)
    if _deepest(source) <= MAX_JSON_DEPTH:
        return source  # a batch of sessions has hundreds of brackets, none deep: found without a loop in Python
    depth = 0
    cut_from = None
    pieces: list[str] = []
    kept_until = 0
    for match in _TOKENS.finditer(source):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth == MAX_JSON_DEPTH + 1 and cut_from is None:
                cut_from = match.start()
        elif bracket in "]}":
            if depth == MAX_JSON_DEPTH + 1 and cut_from is not None:
                pieces += [source[kept_until:cut_from], json.dumps(TOO_DEEP)]
                kept_until = match.end()
                cut_from = None
            depth -= 1
    if cut_from is not None:
        # Never closed: not JSON. Refused here, since the parser would recurse into it before noticing.
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep and never closed")
    return "".join(pieces) + source[kept_until:] if pieces else source


def _deepest(source: str) -> int:
    """How deep the brackets outside strings nest (flatten_deep_json's count, the same brackets in the same order)."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", source))
    return max(accumulate(map(_STEP.__getitem__, brackets), initial=0))


def too_deep(value: Any) -> str | None:
    """The path ("exercises.0.notes", or "body" for the whole) of the first value nested too deeply, or None."""
    trail = _trail_to_too_deep(value)
    return None if trail is None else ".".join(map(str, trail)) or "body"


def _trail_to_too_deep(value: Any) -> list | None:
    """The keys and indexes down to the first TOO_DEEP in a parsed value ([] for the value itself), or None. The
    path is written only once found: every synced item is looked through, and almost none holds one."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return [] if value == TOO_DEEP else None
    for key, inner in items:
        if isinstance(inner, (dict, list)):
            found = _trail_to_too_deep(inner)
            if found is not None:
                return [key, *found]
        elif inner == TOO_DEEP:
            return [key]
    return None


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body nested thousands of levels deep parses (its deepest part as TOO_DEEP) rather than
    exhausting the parser's stack; each route's own validation then refuses that part like any other bad value."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if isinstance(s, bytes):
            s = s.decode(json.detect_encoding(s))
        return super().loads(flatten_deep_json(s), **kwargs)


def whole_number(raw: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """A whole number from a form or a query string within [low, high], or None for anything else.

    Only ASCII digits count ("²" and "٣" are digits to str.isdigit but not to int), and only as many as `high`
    has: a 5,000-digit number is refused before Python would refuse to convert it.
    """
    text = (raw or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if low <= number <= high else None


def digits_up_to(limit: int) -> str:
    """A regular expression for the whole numbers from 0 to `limit` written in ASCII digits."""
    text = str(limit)
    choices = [rf"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for place, digit in enumerate(text):
        rest = len(text) - place - 1
        if digit != "0":
            choices.append(text[:place] + f"[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(?:" + "|".join([*choices, text]) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number no table can hold is no page (404), never a database error (500).

    The number is refused by the URL's pattern, not after it matched: werkzeug answers 405 when a path that matched
    fails its converter and another method's route has the same path (GET /api/v1/trainer/clients/<huge>/messages).
    """

    regex = digits_up_to(MAX_ID)

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def nul_at(value: Any, path: str = "") -> str | None:
    """The path ("keys.auth", "ids.0") of the first text in a parsed JSON value, a key or a value, that holds a NUL."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, inner in items:
        name = str(key).replace("\x00", "\\u0000")  # shown, never echoed raw
        here = f"{path}.{name}" if path else name
        if name != str(key):
            return here
        found = nul_at(inner, here)
        if found:
            return found
    return None


def json_body() -> Any:
    """The request's JSON body (None when it has none or it is not JSON), read as every route that takes one object
    reads it: a NUL in any of its text is refused (400, naming the field) before the route sees it, and a part nested
    deeper than MAX_JSON_DEPTH is already TOO_DEEP (BoundedJSONProvider), which no text field keeps.

    The sync batches read their body themselves: there a NUL is one item's `invalid`, and the other items are stored.
    """
    body = request.get_json(silent=True)
    deep = too_deep(body)
    if deep is not None:
        abort(400, f"{deep}: nested more than {MAX_JSON_DEPTH} levels deep.")
    where = nul_at(body)
    if where is not None:
        abort(400, f"{where}: must not contain a NUL character (\\u0000). Remove it and try again.")
    return body


class JSONBody(BaseModel):
    """A JSON body an API route takes whole: the one model that checks it (`read_body`) and that the OpenAPI document
    describes it by. `shape` says in words what to send; `help` gives a field's rule in words, for its errors."""

    shape: ClassVar[str] = "Send a JSON object."
    help: ClassVar[dict[str, str]] = {}


B = TypeVar("B", bound=JSONBody)

# Pydantic's words for the commonest faults, said as this API says them elsewhere ("field: what is wrong").
FAULTS = {
    "missing": "is required",
    "extra_forbidden": "is not a field this call takes",
}


def first_fault(model: type[JSONBody], error: ValidationError) -> str:
    """The first thing wrong with a body, as "field: what is wrong" (the field's own rule when the model has one)."""
    fault = error.errors()[0]
    where = ".".join(str(part) for part in fault["loc"])
    if not where:
        return model.shape
    if where in model.help and fault["type"] not in FAULTS:
        return f"{where}: {model.help[where]}."
    if fault["type"] == "value_error":
        text = str(fault["ctx"]["error"])
    else:
        text = FAULTS.get(fault["type"]) or fault["msg"][:1].lower() + fault["msg"][1:]
    return f"{where}: {text}."


M = TypeVar("M", bound=BaseModel)


def read_item(model: type[M], raw: Any, whole: str) -> tuple[M | None, list[str]]:
    """One item of a sync batch checked by `model`: (the item, []), or (None, every fault as "field: what is wrong",
    `whole` naming the item itself). A field nested past MAX_JSON_DEPTH is said so by name, before anything else.
    Sessions, red-flag answers and messages are all read this way, so their `invalid` answers read alike."""
    if isinstance(raw, dict):
        deep = [
            f"{key}: nested more than {MAX_JSON_DEPTH} levels deep" for key, value in raw.items() if too_deep(value)
        ]
        if deep:
            return None, deep
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [
            f"{'.'.join(str(part) for part in fault['loc']) or whole}: {fault['msg'].removeprefix('Value error, ')}"
            for fault in exc.errors()
        ]


def read_body(model: type[B], **context: Any) -> B:
    """The request's JSON body checked by `model` (with `context` for its validators), or 400 with the API's error
    shape saying what is wrong: not JSON or not an object, then the first field at fault. NUL characters and depth
    are refused first (`json_body`)."""
    body = json_body()
    if not isinstance(body, dict):
        abort(400, model.shape)
    try:
        return model.model_validate(body, context=context)
    except ValidationError as exc:
        abort(400, first_fault(model, exc))


NUL_REFUSED = "The request holds a NUL character (\\u0000), which no text here may contain. Remove it and try again."


def refuse_nul_characters() -> None:
    """Before every request: a NUL in the path, the query or a form field is refused (400) before any route reads
    it, since PostgreSQL cannot store or even compare text that holds one. JSON bodies are checked by each route's
    models (a synced session with one is that item's `invalid`)."""
    fields = [request.path, *request.args.values()]
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.mimetype in FORM_TYPES:
        try:
            fields += [*request.form.keys(), *request.form.values()]
        except RequestEntityTooLarge:
            return  # too large to read: the route refuses it in its own words (a picture over its limit)
    if any("\x00" in value for value in fields):
        abort(400, NUL_REFUSED)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
