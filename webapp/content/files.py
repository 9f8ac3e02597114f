"""Reads the content files from disk, validates each one and every link between them."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import schema

DATA_DIR = Path(__file__).parent / "data"


class ContentError(Exception):
    """A content file is missing a field, has a wrong value or links to something absent."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass
class Bundle:
    version: str
    muscles: dict[str, schema.Muscle] = field(default_factory=dict)
    exercises: dict[str, schema.Exercise] = field(default_factory=dict)
    lessons: dict[str, schema.Lesson] = field(default_factory=dict)
    programs: dict[str, schema.Program] = field(default_factory=dict)
    # A hash per program file, so an unchanged program is not versioned again.
    program_hashes: dict[str, str] = field(default_factory=dict)


def content_files(root: Path = DATA_DIR) -> list[Path]:
    return sorted(p for p in root.rglob("*.toml") if p.is_file())


def fingerprint(root: Path = DATA_DIR) -> tuple:
    """A cheap stamp (names, sizes, times) that changes whenever a file is touched."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in content_files(root))


def content_version(root: Path = DATA_DIR) -> str:
    digest = hashlib.sha256()
    for path in content_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _parse(path: Path, root: Path, model: type[BaseModel]) -> BaseModel:
    name = str(path.relative_to(root))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(name, [f"not valid TOML: {exc}"]) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _location(err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                message = "this field is required"
            elif err["type"] == "extra_forbidden":
                message = "unknown field"
            problems.append(f"{where}: {message}")
        raise ContentError(name, problems) from exc


def _check(name: str, problems: list[str]) -> None:
    if problems:
        raise ContentError(name, problems)


def read_bundle(root: Path = DATA_DIR) -> Bundle:
    """Parse and cross-check every file under root; raise ContentError on the first bad file."""
    bundle = _read_files(root)
    for slug, exercise in bundle.exercises.items():
        _check(f"exercises/{slug}.toml", _exercise_problems(bundle, slug, exercise))
    for slug, lesson in bundle.lessons.items():
        problems = [
            f"related_exercises[{i}]: no exercise '{e}'"
            for i, e in enumerate(lesson.related_exercises)
            if e not in bundle.exercises
        ]
        _check(f"lessons/{slug}.toml", problems)
    for slug, program in bundle.programs.items():
        _check(f"programs/{slug}.toml", _program_problems(bundle, program))
    return bundle


def _read_files(root: Path) -> Bundle:
    """Every file parsed against its schema, one by one; nothing checked across files yet."""
    bundle = Bundle(version=content_version(root))
    muscles_file = root / "muscles.toml"
    if not muscles_file.exists():
        raise ContentError("muscles.toml", ["file is missing"])
    index = _parse(muscles_file, root, schema.MuscleIndex)
    for muscle in index.muscle:
        _check("muscles.toml", [f"muscle.{muscle.slug}: slug used twice"] if muscle.slug in bundle.muscles else [])
        bundle.muscles[muscle.slug] = muscle

    for kind, model, target in (
        ("exercises", schema.Exercise, bundle.exercises),
        ("lessons", schema.Lesson, bundle.lessons),
        ("programs", schema.Program, bundle.programs),
    ):
        for path in sorted((root / kind).glob("*.toml")):
            slug = path.stem
            name = str(path.relative_to(root))
            _check(name, [] if _is_slug(slug) else [f"file name '{slug}' is not a valid slug"])
            target[slug] = _parse(path, root, model)
            if kind == "programs":
                bundle.program_hashes[slug] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return bundle


def _exercise_problems(bundle: Bundle, slug: str, exercise: schema.Exercise) -> list[str]:
    problems = [
        f"muscles[{i}]: unknown muscle '{m}'" for i, m in enumerate(exercise.muscles) if m not in bundle.muscles
    ]
    for link, step in (("easier", -1), ("harder", 1)):
        target_slug = getattr(exercise, link)
        target = bundle.exercises.get(target_slug)
        if target_slug and target is None:
            problems.append(f"{link}: no exercise '{target_slug}'")
        elif target_slug == slug:
            problems.append(f"{link}: an exercise cannot link to itself")
        elif target is not None and target.level != exercise.level + step:
            # Small steps: the next version is one level away, never two (CONTENT.md, "Progress load").
            wanted = exercise.level + step
            problems.append(f"{link}: '{target_slug}' is level {target.level}; a {link} version must be level {wanted}")
    return problems


def _program_problems(bundle: Bundle, program: schema.Program) -> list[str]:
    problems = []
    for w, week in enumerate(program.weeks):
        for r, routine in enumerate(week.routines):
            for e, item in enumerate(routine.exercises):
                where = f"weeks[{w}].routines[{r}].exercises[{e}].exercise"
                exercise = bundle.exercises.get(item.exercise)
                if exercise is None:
                    problems.append(f"{where}: no exercise '{item.exercise}'")
                elif exercise.kind == "hold" and item.hold_seconds < 1:
                    problems.append(f"{where}: '{item.exercise}' is a hold and needs hold_seconds")
    return problems


def _is_slug(text: str) -> bool:
    return re.fullmatch(schema.SLUG_PATTERN, text) is not None


def main() -> None:
    """`python -m webapp.content.files`: validate the shipped content and print a summary."""
    bundle = read_bundle()
    print(
        f"content {bundle.version}: {len(bundle.muscles)} muscles, {len(bundle.exercises)} exercises, "
        f"{len(bundle.lessons)} lessons, {len(bundle.programs)} programs"
    )


if __name__ == "__main__":
    main()
