"""Compile the language catalogs: data/i18n/{fr,en}.toml and .ui.toml (what
translators edit) into data/i18n/{fr,en}.json (what the app reads).

    .venv/bin/python scripts/compile_catalogs.py [--check]

`./dev run` does it when a source is newer than its compiled file; a test
fails when the committed JSON is out of step with the sources. With --check,
nothing is written and the exit status says whether they are in step."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aoi_tui.config import i18n  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; fail if out of step")
    args = ap.parse_args()
    folder = REPO / "data" / "i18n"
    stale = []
    for lang in i18n.LANGUAGES:
        target = folder / i18n.COMPILED.format(lang=lang)
        text = i18n.compile_catalog(folder, lang)
        if target.exists() and target.read_text("utf-8") == text:
            if not args.check:
                target.touch()  # in step: newer than its sources, so `./dev run` skips it
            continue
        stale.append(target.name)
        if not args.check:
            target.write_text(text, "utf-8")
    if args.check and stale:
        print(f"out of step with their sources: {', '.join(stale)}", file=sys.stderr)
        return 1
    if stale:
        print(f"compiled {', '.join(stale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
