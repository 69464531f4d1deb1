"""Shared fixtures. Every test gets its own data and config folders; the
Argon2id key derivation runs once per test session (a store template is
created once and copied), never with a lowered cost."""

from __future__ import annotations

import functools
import gc
import inspect
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aoi_tui.access.opening import create_store
from aoi_tui.config import i18n
from aoi_tui.secure import crypto
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.support import PASSPHRASE

# English before any screen module is imported: key labels are read at import.
i18n.set_language("en")

# Argon2id at full cost, once per passphrase, salt and cost in each test worker:
# the same key every time (a pure function), without ~65 ms of CPU for each of
# the hundreds of unlocks the CLI and screen tests make of the same template store.
_derive_key = crypto.derive_key


@functools.cache
def _derive_key_once(secret: str, salt: bytes, params: crypto.KdfParams) -> bytes:
    return _derive_key(secret, salt, params)


crypto.derive_key = _derive_key_once


def pytest_collection_finish(session: pytest.Session) -> None:
    """The collector as aoi sets it for a live session (screens/app.py,
    `collect_garbage_for_a_live_session`): what is loaded now lives as long as the
    worker, and collections come every 10,000 new objects. With Python's own
    thresholds, full collections walked every app that earlier tests had left:
    in test_tui_forms and test_tui_session 11.6 s of ~43 s of CPU were the
    collector's (6,452 collections), 4.8 s with this (401)."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "AOI_PASSPHRASE",
        "AOI_NEW_PASSPHRASE",
        "AOI_RECOVERY_CODE",
        "AOI_NOW",
        "AOI_DEBUG",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AOI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AOI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AOI_LANG", "en")
    # A bare Linux machine: no keyring. Tests that want one set their own.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    import keyring.core

    keyring.core._keyring_backend = None  # re-read the backend from the environment


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, str]:
    """A store made once (one key derivation): its folder, master key, recovery code."""
    root = tmp_path_factory.mktemp("template") / "data"
    store, code = create_store(root, PASSPHRASE)
    return root, store.master, code


@pytest.fixture
def store(store_template: tuple[Path, bytes, str], tmp_path: Path) -> Store:
    """A fresh, empty, unlocked store in this test's data folder."""
    template, master, _ = store_template
    root = tmp_path / "data"
    shutil.copytree(template, root)
    return Store(root, KeyFile.load(root / KEYS), master)


@pytest.fixture
def cli_env(store: Store) -> Iterator[dict[str, str]]:
    """Environment for running `aoi` as a subprocess against `store`."""
    env = dict(os.environ)
    env["AOI_PASSPHRASE"] = PASSPHRASE
    env["AOI_DATA_DIR"] = str(store.root)
    yield env


# -- markers: `./dev test -m "not tui and not e2e"` runs the fast part alone -------------

E2E_FILES = {
    "test_e2e_ssh.py",  # sshd, ssh, tmux
    "test_terminal_bursts.py",  # tmux
    "test_tui_terminal.py",  # a real pseudo-terminal
    "test_export_browser.py",  # Chromium
    "test_serve.py",  # aoi serve and Chromium
}
SLOW_FILES = E2E_FILES | {
    "test_store_crash.py",  # SIGKILLs a writer over and over
    "test_store_concurrency.py",  # several writers for seconds
    "test_packaging.py",  # builds the wheel
    "test_architecture.py",  # runs mypy and import-linter on a copy
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = item.path.name
        function = getattr(item, "function", None)
        if name == "test_snapshots.py" or inspect.iscoroutinefunction(function):
            item.add_marker(pytest.mark.tui)  # the App under Textual's Pilot
        if name in E2E_FILES:
            item.add_marker(pytest.mark.e2e)
        if name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
