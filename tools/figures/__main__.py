"""Writes every exercise's figure to static/img/exercises/<slug>.svg (run by `make figures`).

python -m tools.figures                 write the SVGs, report sizes and anatomy problems
python -m tools.figures --check         write nothing; fail if a file differs from what would be written
python -m tools.figures --sheet DIR     also draw contact sheets of every figure into DIR (Chromium)
python -m tools.figures SLUG ...        only these exercises
"""

from __future__ import annotations

import argparse
import sys

from . import build


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.figures", description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*", help="only these exercises")
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--sheet", metavar="DIR", help="also write contact sheets (PNG) into DIR")
    args = parser.parse_args(argv)

    slugs = args.slugs or sorted(build.EXERCISES)
    unknown = [s for s in slugs if s not in build.EXERCISES]
    if unknown:
        parser.error(f"no figure for {', '.join(unknown)} (add one in tools/figures/exercises.py)")
    failed = False
    for slug in slugs:
        text = build.render(slug)
        path = build.OUT / f"{slug}.svg"
        notes = build.problems_of(slug)
        if args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != text:
                print(f"{slug}: {path.relative_to(build.ROOT)} is not what `make figures` writes", file=sys.stderr)
                failed = True
        else:
            path.write_text(text, encoding="utf-8")
        size = len(text.encode())
        flag = "" if size <= build.MAX_BYTES else f"  over {build.MAX_BYTES} bytes"
        print(f"{size:6d} {slug}{flag}")
        for note in notes:
            print(f"       {note}")
        failed = failed or bool(notes) or bool(flag)
    missing = build.missing_figures()
    for slug in missing:
        print(f"{slug}: has an exercise file but no figure in tools/figures/exercises.py", file=sys.stderr)
    if args.sheet:
        from .sheet import contact_sheets

        for path in contact_sheets(slugs, args.sheet):
            print(f"sheet {path}")
    return 1 if failed or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
