"""French puts a space before a colon ("rôle : Miroir"): the screens take the
separator between a label and its value from the catalog, never a literal ": "."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

from aoi_tui.config import i18n
from aoi_tui.domain.models import NoteKind, Role, Visibility
from aoi_tui.secure.storage import StoreFileError
from screens.note_input import next_note_line

SCREENS = Path(__file__).resolve().parent.parent / "screens"
# Messages for whoever edits the settings file by hand, not labels on a screen.
NOT_LABELS = {"app.py", "commands.py"}


def test_the_next_note_line_reads_with_french_typography() -> None:
    i18n.set_language("fr")
    try:
        line = next_note_line(NoteKind.OBSERVATION, Visibility.PRIVATE, Role.MIRROR).plain
    finally:
        i18n.set_language("en")
    assert "rôle : Miroir" in line
    english = next_note_line(NoteKind.OBSERVATION, Visibility.PRIVATE, Role.MIRROR).plain
    assert "role: Mirror" in english


def test_no_screen_writes_a_label_then_a_literal_colon() -> None:
    found = []
    for path in sorted(SCREENS.glob("*.py")):
        if path.name in NOT_LABELS:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            parts = node.values
            for before, after in itertools.pairwise(parts):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(after, ast.Constant)
                    and str(after.value).startswith(": ")
                ):
                    found.append(f"{path.name}:{after.lineno}")
    assert not found, f"use t('ui.sep.colon') between a label and its value: {found}"


def test_a_store_files_reason_reads_in_french(tmp_path: Path) -> None:
    """What the engagements list and the supervision log say when their file is
    damaged: the reason in the coach's language ('(…: missing)' in French before)."""
    error = StoreFileError(tmp_path / "index.db", "missing")
    i18n.set_language("fr")
    try:
        said, whole = error.said, str(error)
    finally:
        i18n.set_language("en")
    assert said == "manquant" and whole.endswith("index.db : manquant")
    assert error.reason == "missing" and str(error).endswith("index.db: missing")
