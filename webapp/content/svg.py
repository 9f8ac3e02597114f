"""Uploaded SVG drawings: refused when they carry script, otherwise rewritten from an allow-list.

An SVG is a document that can run code, so a trainer's upload is never served as sent. It is parsed
with expat (no entity declarations, no external entities), anything that looks like script is a
refusal with a message the trainer can act on, and what remains is written out again keeping only
drawing elements and attributes known to be inert. Unknown elements (editor metadata, animations,
foreignObject) are dropped quietly: they are common in exports and harmless once gone.
"""

from __future__ import annotations

import re
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64

SCRIPT_MESSAGE = (
    "This SVG contains script ({what}). Pictures with scripts are not accepted: "
    "export the drawing again as a plain SVG, or upload a PNG or JPEG instead."
)
NOT_SVG_MESSAGE = "This file is not a PNG, JPEG or SVG picture (its content was checked, not its name)."


class SvgRefused(ValueError):
    """The upload cannot be used; the message says why, in words for the trainer."""


# Elements that draw, group or define paint. Everything else is dropped with its content.
ELEMENTS = frozenset(
    """svg g defs title desc symbol use path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop clipPath mask pattern marker image style filter feBlend feColorMatrix
    feComponentTransfer feComposite feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur
    feMerge feMergeNode feMorphology feOffset""".split()  # noqa: SIM905 (a word list reads better than 40 strings)
)
# Wrappers whose children are drawings: keep the children, drop the wrapper (a link cannot work in an image).
UNWRAP = frozenset({"a", "switch"})
# Elements that are script or that run it; their mere presence is a refusal.
SCRIPT_ELEMENTS = frozenset({"script", "handler", "listener"})

ATTRIBUTES = frozenset(
    """id class style transform viewBox width height x y x1 y1 x2 y2 cx cy r rx ry fx fy d points pathLength
    fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-dasharray
    stroke-dashoffset stroke-miterlimit stroke-opacity opacity color display visibility overflow
    preserveAspectRatio version gradientUnits gradientTransform spreadMethod offset stop-color stop-opacity
    clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits patternUnits patternContentUnits
    patternTransform marker-start marker-mid marker-end markerWidth markerHeight markerUnits refX refY orient
    font-family font-size font-weight font-style font-variant text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration dx dy rotate textLength lengthAdjust startOffset
    method spacing side filter filterUnits primitiveUnits stdDeviation in in2 result mode values type operator
    k1 k2 k3 k4 flood-color flood-opacity radius tableValues slope intercept amplitude exponent
    vector-effect paint-order shape-rendering text-rendering image-rendering color-interpolation
    color-interpolation-filters mix-blend-mode isolation role aria-label aria-hidden focusable href""".split()  # noqa: SIM905
)

_SCRIPT_URL = re.compile(r"(javascript|vbscript|livescript):|data:(text/html|application/xhtml|text/javascript)")
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_LOCAL_REF = re.compile(r"#[\w.:-]+")
_RASTER_DATA = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+")
# CSS that can fetch, import or run something; a style that has any of these is dropped.
_UNSAFE_CSS = re.compile(r"@import|expression\s*\(|behavior\s*:|-moz-binding|\\|</|<!", re.I)


def _squashed(value: str) -> str:
    """Lower case without whitespace or control characters, the way browsers read "java\tscript:"."""
    return "".join(ch for ch in value if ord(ch) > 32).lower()


def _has_external_url(value: str) -> bool:
    return any(not _LOCAL_REF.fullmatch(target.strip()) for _quote, target in _URL.findall(value))


def css_is_safe(css: str) -> bool:
    return not _UNSAFE_CSS.search(css) and not _has_external_url(css)


def _split(name: str) -> tuple[str, str]:
    namespace, _, local = name.rpartition(" ")
    return namespace, local


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


class _Cleaner:
    """Streams expat events into clean markup, refusing at the first sign of script."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[str | None] = []  # the name written for each open element, None when dropped
        self.skipping = 0  # depth inside a dropped element
        self.style: list[str] | None = None  # text of an open <style>, checked when it closes
        self.style_open = ""
        self.seen_root = False

    # Script is looked for everywhere, inside dropped elements too: a refusal must not depend on nesting.
    def _refuse_script(self, local: str, attributes: dict[str, str]) -> None:
        if local.lower() in SCRIPT_ELEMENTS:
            raise SvgRefused(SCRIPT_MESSAGE.format(what=f"a <{local}> element"))
        for name, value in attributes.items():
            attribute = _split(name)[1]
            if attribute.lower().startswith("on"):
                raise SvgRefused(SCRIPT_MESSAGE.format(what=f"an {attribute} event handler"))
            if _SCRIPT_URL.search(_squashed(value)):
                raise SvgRefused(SCRIPT_MESSAGE.format(what="a javascript: link"))

    def _keep_attribute(self, local: str, namespace: str, name: str, value: str) -> str | None:
        """The attribute as written out, or None to drop it."""
        if namespace == XML_NS and name == "space":
            return f'xml:space="{_escape(value, True)}"'
        if namespace == XLINK_NS and name == "href":
            name, namespace = "href", ""
        if namespace or name not in ATTRIBUTES:
            return None
        if name == "href":
            target = value.strip()
            # Only references inside the drawing, or a picture embedded in it; nothing is fetched.
            if not (_LOCAL_REF.fullmatch(target) or (local == "image" and _RASTER_DATA.fullmatch(target))):
                return None
            return f'xlink:href="{_escape(target, True)}"'
        if name == "style" and not css_is_safe(value):
            return None
        if _has_external_url(value):
            return None
        return f'{name}="{_escape(value, True)}"'

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, local = _split(name)
        self._refuse_script(local, attributes)
        if len(self.stack) >= MAX_DEPTH:
            raise SvgRefused("This SVG is nested too deeply to be a drawing. Simplify it and try again.")
        if not self.seen_root:
            self.seen_root = True
            if namespace != SVG_NS or local != "svg":
                raise SvgRefused(NOT_SVG_MESSAGE)
        dropped = namespace != SVG_NS or (local not in ELEMENTS and local not in UNWRAP)
        if self.skipping or self.style is not None or dropped:
            self.skipping += 1
            self.stack.append(None)
            return
        if local in UNWRAP:
            self.stack.append("")  # children stay, the wrapper itself is not written
            return
        kept = [self._keep_attribute(local, *_split(key), value) for key, value in attributes.items()]
        kept = [text for text in kept if text]
        if not self.out:
            kept = [f'xmlns="{SVG_NS}"', f'xmlns:xlink="{XLINK_NS}"', *kept]
        if local == "style":
            self.style = []
            self.stack.append("style")
            self.style_open = " ".join(["<style", *kept]) + ">"
            return
        self.out.append(" ".join([f"<{local}", *kept]) + ">")
        self.stack.append(local)

    def end(self, _name: str) -> None:
        written = self.stack.pop()
        if written is None:
            self.skipping -= 1
        elif written == "style":
            css = "".join(self.style or [])
            if _SCRIPT_URL.search(_squashed(css)):
                raise SvgRefused(SCRIPT_MESSAGE.format(what="a javascript: link in its styles"))
            if css_is_safe(css):
                self.out.append(f"{self.style_open}{_escape(css)}</style>")
            self.style = None
        elif written:
            self.out.append(f"</{written}>")

    def text(self, data: str) -> None:
        if self.skipping:
            return
        if self.style is not None:
            self.style.append(data)
        elif self.stack:
            self.out.append(_escape(data))


def _no_declarations(*_args) -> None:
    # Entity declarations are how XML bombs and file-reading tricks work; a drawing never needs one.
    raise SvgRefused(
        "This SVG declares entities or attributes in a DOCTYPE, which drawings do not need. "
        "Export it again as a plain SVG."
    )


def clean_svg(data: bytes) -> bytes:
    """The drawing rewritten from the allow-list, as UTF-8; SvgRefused if it is not an SVG or holds script."""
    cleaner = _Cleaner()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.StartElementHandler = cleaner.start
    parser.EndElementHandler = cleaner.end
    parser.CharacterDataHandler = cleaner.text
    parser.EntityDeclHandler = _no_declarations
    parser.UnparsedEntityDeclHandler = _no_declarations
    parser.ExternalEntityRefHandler = _no_declarations

    def doctype(_name, _system_id, _public_id, has_internal_subset) -> None:
        # The standard SVG 1.1 DOCTYPE line is common and harmless; declarations inside one are not.
        if has_internal_subset:
            _no_declarations()

    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise SvgRefused(NOT_SVG_MESSAGE) from error
    if not cleaner.seen_root or not cleaner.out:
        raise SvgRefused(NOT_SVG_MESSAGE)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(cleaner.out) + "\n").encode()
