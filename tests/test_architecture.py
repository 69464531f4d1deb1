"""The house: ARCHITECTURE.md's table names every module of the tree (and no
other), the core has no import cycle, and the tools that guard the layers and
the types really read the screens (a deliberate violation in a copy of the
repository makes each of them fail)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.support import REPO

VENV_BIN = Path(sys.executable).parent


def table() -> dict[str, set[str]]:
    """Each folder of ARCHITECTURE.md's table, with the modules its row names."""
    rows: dict[str, set[str]] = {}
    for line in (REPO / "ARCHITECTURE.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        folder = cells[0].strip("`")
        rows[folder] = set(re.findall(r"`([\w]+\.py)`", cells[2]))
    return rows


def test_architecture_names_every_module_of_the_tree_and_no_other() -> None:
    rows = table()
    folders = {"aoi_tui/"} | {
        f"aoi_tui/{p.name}/"
        for p in (REPO / "aoi_tui").iterdir()
        if p.is_dir() and not p.is_symlink()
    }
    folders = {f for f in folders if "__pycache__" not in f} | {"screens/"}
    assert set(rows) == folders, "ARCHITECTURE.md's table and the folders differ"
    for folder, named in rows.items():
        present = {p.name for p in (REPO / folder).glob("*.py") if p.name != "__init__.py"}
        assert named == present, (
            f"{folder}: in the tree, not in ARCHITECTURE.md: {sorted(present - named)}; "
            f"in ARCHITECTURE.md, not in the tree: {sorted(named - present)}"
        )


def test_the_core_has_no_import_cycle() -> None:
    """No module of the core imports, through any chain, one that imports it back
    (the store and the engagement file did)."""
    graph = grimp.build_graph("aoi_tui", cache_dir=None)
    core = {m for m in graph.modules if not m.startswith("aoi_tui.screens")}
    for module in sorted(core):
        for imported in graph.find_modules_directly_imported_by(module) & core:
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            assert chain is None, f"import cycle: {module} -> {' -> '.join(chain)}"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The code and its configuration, with the link aoi_tui/screens -> ../screens."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("aoi_tui", "screens"):
        shutil.copytree(
            REPO / name,
            root / name,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    shutil.copy(REPO / "pyproject.toml", root)
    if (REPO / ".mypy_cache").is_dir():  # warm: only the changed module is checked again
        shutil.copytree(REPO / ".mypy_cache", root / ".mypy_cache")
    assert (root / "aoi_tui" / "screens").is_symlink()
    return root


def run(tool: str, root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy, not the installed tree
    return subprocess.run(
        [str(VENV_BIN / tool)], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )


def test_mypy_reads_the_screens(copy: Path) -> None:
    toggles = copy / "screens" / "toggles.py"
    toggles.write_text(toggles.read_text() + '\n\nWRONG: int = "a screen\'s type error"\n')
    done = run("mypy", copy)
    assert done.returncode != 0 and "screens/toggles.py" in done.stdout, done.stdout


def test_import_linter_reads_the_screens(copy: Path) -> None:
    clean = run("lint-imports", copy)
    assert clean.returncode == 0, clean.stdout
    text = copy / "aoi_tui" / "domain" / "text.py"
    text.write_text(text.read_text() + "\n\nfrom aoi_tui.screens import toggles  # noqa\n")
    done = run("lint-imports", copy)
    assert done.returncode != 0, done.stdout
    assert "aoi_tui.domain.text -> aoi_tui.screens.toggles" in done.stdout, done.stdout


def test_the_session_screen_stays_a_router() -> None:
    """The live session's screen routes keys and messages to widgets that keep
    their own state (issue 12): under 250 lines, so that what grows goes into a
    widget, `group_room`'s pure functions or `live_run`, not back into it."""
    import ast

    tree = ast.parse((REPO / "screens" / "session.py").read_text("utf-8"))
    (screen,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SessionScreen"]
    assert screen.end_lineno is not None
    lines = screen.end_lineno - screen.lineno + 1
    assert lines < 250, f"SessionScreen is {lines} lines"
