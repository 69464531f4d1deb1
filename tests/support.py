"""What many tests share and is not a fixture: the test passphrase, the fixed
clock, the repository's root, how to run aoi as a module. Fixtures live in
conftest.py; support modules (tui_support, cli_support, e2e_support,
terminal_support) import from here, never from conftest."""

from __future__ import annotations

import sys
from pathlib import Path

PASSPHRASE = "correct horse battery staple"
FIXED_NOW = "2026-11-23T10:00:00+01:00"
REPO = Path(__file__).resolve().parent.parent


def aoi_command() -> list[str]:
    return [sys.executable, "-m", "aoi_tui"]
