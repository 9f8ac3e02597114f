"""A trainer's clinic as their printouts show it: its name, and a logo checked like an exercise's picture."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ..content.images import EXTENSIONS, CheckedImage
from ..extensions import db
from .models import Clinic

NAME_MAX = 120


@dataclass(frozen=True)
class ClinicChange:
    name: str
    logo: CheckedImage | None = None  # a new logo, already checked (content.images.check_image)
    remove_logo: bool = False


def clinic_of(trainer) -> Clinic | None:
    return db.session.get(Clinic, trainer.id)


def check_name(text: str) -> tuple[str, str]:
    """The name as it will print (spaces tidied), and what is wrong with it, or ""."""
    name = " ".join((text or "").split())
    if len(name) > NAME_MAX:
        return name, f"Keep the clinic's name to {NAME_MAX} characters."
    if any(ord(c) < 32 for c in name):
        return name, "The clinic's name has a character that cannot be printed. Type it again."
    return name, ""


def save(trainer, change: ClinicChange) -> Clinic:
    """Store the clinic's name and logo; a new logo replaces the old one, and removing it clears it."""
    clinic = clinic_of(trainer) or Clinic(trainer_id=trainer.id)
    clinic.name = change.name
    if change.logo is not None:
        clinic.logo, clinic.logo_mimetype, clinic.logo_sha256 = (
            change.logo.data,
            change.logo.mimetype,
            change.logo.sha256,
        )
    elif change.remove_logo:
        clinic.logo, clinic.logo_mimetype, clinic.logo_sha256 = None, "", ""
    db.session.add(clinic)
    db.session.commit()
    return clinic


def logo_url(clinic: Clinic | None) -> str:
    """The logo's address, named after its contents so a browser may keep it; "" without a logo."""
    if clinic is None or clinic.logo is None:
        return ""
    return url_for(
        "builder.clinic_logo",
        trainer_id=clinic.trainer_id,
        sha=clinic.logo_sha256[:16],
        ext=EXTENSIONS[clinic.logo_mimetype],
    )


def logo_for(trainer, trainer_id: int, sha: str, ext: str) -> Clinic | None:
    """The trainer's own logo by its address; anyone else's, or a stale address, is None."""
    if trainer_id != trainer.id:
        return None
    clinic = clinic_of(trainer)
    if clinic is None or clinic.logo is None or len(sha) != 16 or not clinic.logo_sha256.startswith(sha):
        return None
    return clinic if EXTENSIONS.get(clinic.logo_mimetype) == ext else None
