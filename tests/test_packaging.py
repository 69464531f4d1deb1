"""The wheel carries screens/ and data/ inside aoi_tui, every module of the
source tree once, and the CLI starts without Textual. (The layers themselves are
import-linter's contracts in pyproject.toml, run by ./dev test; that the tools
read the screens is tests/test_architecture.py's.)"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support import REPO


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
        "aoi_tui/cli/__init__.py",
        "aoi_tui/cli/parser.py",
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
        "aoi_tui/data/demo/camille.json",
        "aoi_tui/data/demo/julien.json",
    ):
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "aoi = aoi_tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_every_module_of_the_tree_is_in_the_wheel_once(wheel: Path) -> None:
    """aoi_tui/screens is a link to screens/ for the tools: the wheel holds it once."""
    names = zipfile.ZipFile(wheel).namelist()
    modules = [n for n in names if n.endswith(".py")]
    assert len(modules) == len(set(modules))
    tree = {
        str(p.relative_to(REPO))
        for p in (REPO / "aoi_tui").rglob("*.py")
        if "screens" not in p.parts
    } | {f"aoi_tui/screens/{p.name}" for p in (REPO / "screens").glob("*.py")}
    assert tree <= set(modules), sorted(tree - set(modules))


def test_cli_and_exports_start_without_textual() -> None:
    code = (
        "import sys, aoi_tui.cli, aoi_tui.exports.writing, aoi_tui.demo, aoi_tui.store.doctor;"
        "assert 'textual' not in sys.modules, 'textual imported';"
        "assert 'aoi_tui.screens' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
