"""Finding the key to a store, in order: AOI_PASSPHRASE, the keyring, a prompt
(three tries), else a one-line error. And `aoi passphrase` (with or without
the recovery code) through the CLI."""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from aoi_tui.access import keyring_access
from aoi_tui.access.opening import (
    PASSPHRASE_ENV,
    TRIES,
    NoStore,
    UnlockError,
    open_store,
    remembered_master,
)
from aoi_tui.secure import crypto
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.support import PASSPHRASE, REPO

from .cli_support import aoi, cli_error
from .keyring_backends import FILE_ENV, JsonFileKeyring

NEW_PASSPHRASE = "another passphrase entirely"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the store and its bytes (locks aside)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.parent.name != "locks"
    }


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working keyring of the tests' own, in this process."""
    path = tmp_path / "keyring.json"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyring_backends.JsonFileKeyring")
    monkeypatch.setenv(FILE_ENV, str(path))
    import keyring.core

    keyring.core._keyring_backend = None
    yield path
    keyring.core._keyring_backend = None


class FakePrompt:
    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.labels: list[str] = []

    def __call__(self, label: str) -> str:
        self.labels.append(label)
        return self.answers.pop(0)


def one_line(message: str) -> None:
    assert message and "\n" not in message.strip(), message


# -- the order ------------------------------------------------------------------------


def test_no_store_is_said_so(tmp_path: Path) -> None:
    with pytest.raises(NoStore):
        open_store(tmp_path / "nothing", None)


def test_env_passphrase_opens(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    prompt = FakePrompt()
    assert open_store(store.root, prompt).master == store.master
    assert prompt.labels == []


def test_env_passphrase_comes_first_and_a_wrong_one_changes_nothing(
    store: Store, file_keyring: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyring_access.remember(store.keyfile.store_id, store.master)
    remembered = file_keyring.read_bytes()
    before = snapshot(store.root)
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase")
    prompt = FakePrompt(PASSPHRASE)
    with pytest.raises(UnlockError) as err:
        open_store(store.root, prompt)
    message = str(err.value)
    one_line(message)
    assert PASSPHRASE_ENV in message and "does not open" in message
    assert prompt.labels == []  # neither the keyring nor a prompt second-guesses it
    assert snapshot(store.root) == before
    assert file_keyring.read_bytes() == remembered


def test_keyring_opens_without_a_passphrase(store: Store, file_keyring: Path) -> None:
    keyring_access.remember(store.keyfile.store_id, store.master)
    prompt = FakePrompt()
    assert open_store(store.root, prompt).master == store.master
    assert prompt.labels == []
    # Not when told to leave the keyring alone.
    with pytest.raises(UnlockError):
        open_store(store.root, None, use_keyring=False)


def test_keyring_entry_is_base64_of_the_master_key_only(store: Store, file_keyring: Path) -> None:
    keyring_access.remember(store.keyfile.store_id, store.master)
    entries = JsonFileKeyring.entries()
    assert entries == {
        f"{keyring_access.SERVICE}/{store.keyfile.store_id}": base64.b64encode(
            store.master
        ).decode()
    }
    assert keyring_access.forget(store.keyfile.store_id) is True
    assert keyring_access.forget(store.keyfile.store_id) is False
    assert JsonFileKeyring.entries() == {}


@pytest.mark.parametrize(
    "stale",
    [
        base64.b64encode(crypto.new_key()).decode(),  # a key of another store
        base64.b64encode(b"short").decode(),  # not even a key
        "not base64 at all!",
    ],
    ids=["random-key", "short-key", "garbage"],
)
def test_stale_keyring_entry_is_dropped_and_the_prompt_follows(
    store: Store, file_keyring: Path, stale: str
) -> None:
    JsonFileKeyring().set_password(keyring_access.SERVICE, store.keyfile.store_id, stale)
    assert remembered_master(store.keyfile) is None
    assert JsonFileKeyring.entries() == {}  # dropped

    JsonFileKeyring().set_password(keyring_access.SERVICE, store.keyfile.store_id, stale)
    prompt = FakePrompt(PASSPHRASE)
    assert open_store(store.root, prompt).master == store.master
    assert prompt.labels == ["Passphrase: "]
    assert JsonFileKeyring.entries() == {}


def test_stale_keyring_entry_without_a_terminal_gives_the_error(
    store: Store, file_keyring: Path
) -> None:
    other = base64.b64encode(crypto.new_key()).decode()
    JsonFileKeyring().set_password(keyring_access.SERVICE, store.keyfile.store_id, other)
    with pytest.raises(UnlockError, match=PASSPHRASE_ENV):
        open_store(store.root, None)
    assert JsonFileKeyring.entries() == {}


def test_nothing_to_unlock_with_is_one_clear_line(store: Store) -> None:
    # The conftest's keyring is keyring.backends.fail: a bare Linux machine.
    with pytest.raises(UnlockError) as err:
        open_store(store.root, None)
    message = str(err.value)
    one_line(message)
    assert PASSPHRASE_ENV in message and str(store.root) in message
    assert "no keyring backend" in message
    assert "keyring remember" not in message  # it would not work here


def test_prompt_gets_three_tries(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    prompt = FakePrompt("wrong one", "wrong two", PASSPHRASE)
    assert open_store(store.root, prompt).master == store.master
    assert len(prompt.labels) == TRIES == 3
    err = capsys.readouterr().err
    assert "2 tries left" in err and "1 try left" in err


def test_prompt_three_wrong_tries_lock(store: Store) -> None:
    before = snapshot(store.root)
    prompt = FakePrompt("wrong one", "wrong two", "wrong three", PASSPHRASE)
    with pytest.raises(UnlockError) as err:
        open_store(store.root, prompt)
    one_line(str(err.value))
    assert "wrong passphrase 3 times" in str(err.value)
    assert len(prompt.labels) == 3
    assert snapshot(store.root) == before


def test_hanging_keyring_is_no_keyring(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import time

    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.keyring_backends.HangingKeyring")
    keyring.core._keyring_backend = None
    monkeypatch.setattr(keyring_access, "TIMEOUT_S", 0.3)  # the CLI tests use the real one
    start = time.monotonic()
    with pytest.raises(keyring_access.NoKeyring, match="did not answer"):
        keyring_access.remember(store.keyfile.store_id, store.master)
    with pytest.raises(UnlockError) as err:
        open_store(store.root, None)
    assert time.monotonic() - start < 2
    one_line(str(err.value))
    assert "did not answer" in str(err.value) and PASSPHRASE_ENV in str(err.value)
    prompt = FakePrompt(PASSPHRASE)
    assert open_store(store.root, prompt).master == store.master
    keyring.core._keyring_backend = None


# -- `aoi passphrase` through the CLI ----------------------------------------------------


def env_with(base: dict[str, str], **changes: str | None) -> dict[str, str]:
    env = dict(base)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def test_cli_passphrase_change(cli_env: dict[str, str]) -> None:
    root = Path(cli_env["AOI_DATA_DIR"])
    changed = aoi(env_with(cli_env, AOI_NEW_PASSPHRASE=NEW_PASSPHRASE), "passphrase", "--json")
    assert changed.returncode == 0, changed.stderr
    assert '"changed": true' in changed.stdout
    assert NEW_PASSPHRASE not in changed.stdout + changed.stderr

    assert (
        aoi(env_with(cli_env, AOI_PASSPHRASE=NEW_PASSPHRASE), "engagement", "list").returncode == 0
    )
    message = cli_error(aoi(cli_env, "engagement", "list"))  # the old one
    assert PASSPHRASE_ENV in message and "does not open" in message
    for path in [root / KEYS, *(root / "backups" / KEYS).glob("*.bak")]:
        assert KeyFile.load(path).unlock(NEW_PASSPHRASE)


def test_cli_passphrase_needs_a_new_one(cli_env: dict[str, str]) -> None:
    root = Path(cli_env["AOI_DATA_DIR"])
    before = snapshot(root)
    message = cli_error(aoi(cli_env, "passphrase"))
    assert "AOI_NEW_PASSPHRASE" in message
    message = cli_error(aoi(env_with(cli_env, AOI_NEW_PASSPHRASE="short"), "passphrase"))
    assert "at least" in message
    assert snapshot(root) == before


def test_cli_recover_with_the_recovery_code(tmp_path: Path) -> None:
    env = env_with(
        dict(os.environ),
        AOI_DATA_DIR=str(tmp_path / "fresh"),
        AOI_PASSPHRASE=PASSPHRASE,
        PYTHONPATH=str(REPO),
    )
    created = aoi(env, "engagement", "new", "--coachee", "Ophélie Recover", "--sponsor", "N+1")
    assert created.returncode == 0, created.stderr
    assert "Recovery code" in created.stderr
    match = re.search(r"\b([0-9A-Z]{5}(?:-[0-9A-Z]{5}){5})\b", created.stderr)
    assert match, created.stderr
    code = match.group(1)
    assert code not in created.stdout  # stderr only: stdout is for scripts
    root = tmp_path / "fresh"
    before = snapshot(root)

    # The passphrase is forgotten: only the code, typed loosely.
    forgot = env_with(env, AOI_PASSPHRASE=None, AOI_NEW_PASSPHRASE=NEW_PASSPHRASE)
    wrong = ("0" if code[0] != "0" else "1") + code[1:]
    message = cli_error(aoi(env_with(forgot, AOI_RECOVERY_CODE=wrong), "passphrase", "--recover"))
    assert "recovery code does not open" in message
    assert snapshot(root) == before
    message = cli_error(aoi(forgot, "passphrase", "--recover"))
    assert "AOI_RECOVERY_CODE" in message

    typed = " ".join(code.lower().split("-"))
    recovered = aoi(env_with(forgot, AOI_RECOVERY_CODE=typed), "passphrase", "--recover")
    assert recovered.returncode == 0, recovered.stderr

    listed = aoi(env_with(env, AOI_PASSPHRASE=NEW_PASSPHRASE), "engagement", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert "Ophélie Recover" in listed.stdout
    assert "does not open" in cli_error(aoi(env, "engagement", "list"))
    # The recovery code keeps working after the change.
    assert KeyFile.load(root / KEYS).unlock_with_recovery(code)


def test_cli_damaged_key_file_is_one_line_and_left_alone(cli_env: dict[str, str]) -> None:
    keys = Path(cli_env["AOI_DATA_DIR"]) / KEYS
    raw = json.loads(keys.read_bytes())
    raw["passphrase"]["salt"] = 5
    damaged = json.dumps(raw).encode()
    keys.write_bytes(damaged)
    message = cli_error(aoi(cli_env, "engagement", "list"))
    assert str(keys) in message and "corrupt key file" in message
    assert keys.read_bytes() == damaged
