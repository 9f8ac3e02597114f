"""Pictures for custom exercises: recognised by their bytes, never by their name or declared type."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .svg import SvgRefused, clean_svg

MAX_IMAGE_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
TOO_BIG_MESSAGE = "This picture is larger than 2 MB. Save it smaller (or as a JPEG) and choose it again."
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}


class ImageRefused(ValueError):
    """The upload is not a picture we can use; the message says what to do."""


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    mimetype: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mimetype]


def check_image(data: bytes) -> CheckedImage:
    """A PNG or JPEG as sent, or an SVG rewritten from the allow-list; ImageRefused otherwise."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(TOO_BIG_MESSAGE)
    if not data:
        raise ImageRefused("The picture is empty. Choose the file again.")
    # A PNG's first chunk is always its header: a signature followed by anything else is not a PNG.
    if data.startswith(PNG_SIGNATURE):
        if data[12:16] != b"IHDR":
            raise ImageRefused("This PNG is damaged (it has no image header). Save it again and retry.")
        return CheckedImage(data, "image/png")
    if data.startswith(JPEG_SIGNATURE):
        return CheckedImage(data, "image/jpeg")
    try:
        return CheckedImage(clean_svg(data), "image/svg+xml")
    except SvgRefused as refused:
        raise ImageRefused(str(refused)) from refused
