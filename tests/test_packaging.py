"""The wheel carries screens/ and data/ inside aoi_tui, and the core never
imports Textual (checked against the built wheel, where the mapping is real)."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("aoi_tui-*.whl")
    return path


def test_wheel_maps_screens_and_data_inside_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert "screens" not in tops and "data" not in tops
    for expected in (
        "aoi_tui/cli.py",
        "aoi_tui/screens/app.py",
        "aoi_tui/screens/app.tcss",
        "aoi_tui/data/__init__.py",
        "aoi_tui/data/phases.toml",
        "aoi_tui/data/i18n/fr.toml",
        "aoi_tui/data/i18n/en.toml",
        "aoi_tui/data/cards/fr.toml",
        "aoi_tui/data/cards/en.toml",
        "aoi_tui/data/export/report.css",
        "aoi_tui/data/serve/index.html",
        "aoi_tui/data/referentials/fr.toml",
    ):
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "aoi = aoi_tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in a module."""
    found: list[tuple[str, bool]] = []
    top_level = {id(node) for node in getattr(tree, "body", [])}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, id(node) in top_level))
    return found


def test_core_in_the_wheel_never_imports_textual(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    lazy_tui_imports = []
    for name in archive.namelist():
        if not name.endswith(".py") or name.startswith("aoi_tui/screens/"):
            continue
        for module, top in _imports(ast.parse(archive.read(name))):
            assert not (module == "textual" or module.startswith("textual.")), name
            if module.startswith("aoi_tui.screens"):
                assert not top, f"{name} imports the UI at module level"
                lazy_tui_imports.append(name)
    assert lazy_tui_imports == ["aoi_tui/cli.py"]


def test_cli_and_exports_start_without_textual() -> None:
    code = (
        "import sys, aoi_tui.cli, aoi_tui.export, aoi_tui.demo, aoi_tui.doctor;"
        "assert 'textual' not in sys.modules, 'textual imported';"
        "assert 'aoi_tui.screens' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
