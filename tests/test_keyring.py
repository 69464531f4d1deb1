"""The OS keyring through the CLI, with backends loaded the way a user's would
be (PYTHON_KEYRING_BACKEND): a working one of the tests' own, none at all
(keyring.backends.fail, a bare Linux machine), a plaintext one (refused), and
one that never answers (bounded)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aoi_tui.access import keyring_access
from aoi_tui.domain.models import Engagement
from aoi_tui.secure import crypto
from aoi_tui.store.store import KEYS, Store
from tests.support import REPO

from .cli_support import aoi, cli_error
from .keyring_backends import FILE_ENV, JsonFileKeyring

BACKENDS = "tests.keyring_backends."
# A hanging keyring costs one TIMEOUT_S per call, plus start-up and one key derivation.
SLACK_S = 15.0


def keyring_env(
    cli_env: dict[str, str], backend: str, keyring_file: Path, passphrase: bool = True
) -> dict[str, str]:
    env = dict(cli_env)
    env["PYTHON_KEYRING_BACKEND"] = backend
    env[FILE_ENV] = str(keyring_file)
    env["PYTHONPATH"] = str(REPO)  # so the subprocess can import tests.keyring_backends
    if not passphrase:
        env.pop("AOI_PASSPHRASE", None)
    return env


@pytest.fixture
def keyring_file(tmp_path: Path) -> Path:
    return tmp_path / "keyring.json"


@pytest.fixture
def in_process_keyring(
    keyring_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[JsonFileKeyring]:
    """The JSON-file keyring, seen from this process (to inspect or seed it)."""
    monkeypatch.setenv(FILE_ENV, str(keyring_file))
    yield JsonFileKeyring()


# -- a working keyring ----------------------------------------------------------------


def test_remember_then_open_without_passphrase_then_forget(
    cli_env: dict[str, str],
    store: Store,
    keyring_file: Path,
    in_process_keyring: JsonFileKeyring,
) -> None:
    store.create_engagement(Engagement(coachee="Keyring Coachee", sponsor="Keyring Sponsor"))
    with_pass = keyring_env(cli_env, BACKENDS + "JsonFileKeyring", keyring_file)
    without = keyring_env(cli_env, BACKENDS + "JsonFileKeyring", keyring_file, passphrase=False)

    remembered = aoi(with_pass, "keyring", "remember", "--json")
    assert remembered.returncode == 0, remembered.stderr
    assert json.loads(remembered.stdout) == {"remembered": True}
    entry = in_process_keyring.get_password(keyring_access.SERVICE, store.keyfile.store_id)
    assert entry is not None and base64.b64decode(entry) == store.master

    listed = aoi(without, "engagement", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [e["coachee"] for e in json.loads(listed.stdout)] == ["Keyring Coachee"]

    forgot = aoi(without, "keyring", "forget", "--json")
    assert forgot.returncode == 0, forgot.stderr
    assert json.loads(forgot.stdout) == {"forgotten": True}
    assert JsonFileKeyring.entries() == {}

    message = cli_error(aoi(without, "engagement", "list"))
    assert "AOI_PASSPHRASE" in message and "aoi keyring remember" in message


def test_stale_entry_is_dropped_and_the_error_follows(
    cli_env: dict[str, str],
    store: Store,
    keyring_file: Path,
    in_process_keyring: JsonFileKeyring,
) -> None:
    stale = base64.b64encode(crypto.new_key()).decode()
    in_process_keyring.set_password(keyring_access.SERVICE, store.keyfile.store_id, stale)
    without = keyring_env(cli_env, BACKENDS + "JsonFileKeyring", keyring_file, passphrase=False)
    message = cli_error(aoi(without, "engagement", "list"))
    assert "AOI_PASSPHRASE" in message
    assert JsonFileKeyring.entries() == {}


# -- no keyring -----------------------------------------------------------------------


def test_fail_backend_is_no_keyring(cli_env: dict[str, str], store: Store) -> None:
    assert cli_env["PYTHON_KEYRING_BACKEND"] == "keyring.backends.fail.Keyring"
    before = (store.root / KEYS).read_bytes()
    message = cli_error(aoi(cli_env, "keyring", "remember"))
    assert "no usable keyring" in message and "no keyring backend" in message
    message = cli_error(aoi(cli_env, "keyring", "forget"))
    assert "no usable keyring" in message
    assert (store.root / KEYS).read_bytes() == before


def test_fail_backend_in_process() -> None:
    with pytest.raises(keyring_access.NoKeyring):
        keyring_access.remember("storeid", crypto.new_key())
    with pytest.raises(keyring_access.NoKeyring):
        keyring_access.recall("storeid")
    with pytest.raises(keyring_access.NoKeyring):
        keyring_access.forget("storeid")


# -- a plaintext keyring --------------------------------------------------------------


def test_plaintext_backend_is_refused_in_process(
    monkeypatch: pytest.MonkeyPatch, in_process_keyring: JsonFileKeyring, keyring_file: Path
) -> None:
    import keyring.core

    class PlaintextKeyring(JsonFileKeyring):
        pass

    monkeypatch.setattr(PlaintextKeyring, "__module__", "keyrings.alt.file")
    monkeypatch.setattr(keyring.core, "_keyring_backend", PlaintextKeyring())
    with pytest.raises(keyring_access.NoKeyring, match="plaintext"):
        keyring_access.remember("storeid", crypto.new_key())
    with pytest.raises(keyring_access.NoKeyring, match="plaintext"):
        keyring_access.recall("storeid")
    assert not keyring_file.exists()  # nothing was written


def test_plaintext_backend_in_a_chain_is_refused(
    monkeypatch: pytest.MonkeyPatch, in_process_keyring: JsonFileKeyring, keyring_file: Path
) -> None:
    # keyrings.alt outranks the others once installed: a chain holding it is refused.
    import keyring.core
    from keyring.backends.chainer import ChainerBackend

    from .keyring_backends import FakePlaintextKeyring

    chain = ChainerBackend()
    monkeypatch.setattr(ChainerBackend, "backends", [JsonFileKeyring(), FakePlaintextKeyring()])
    monkeypatch.setattr(keyring.core, "_keyring_backend", chain)
    with pytest.raises(keyring_access.NoKeyring, match="plaintext"):
        keyring_access.remember("storeid", crypto.new_key())
    assert not keyring_file.exists()


def test_plaintext_backend_is_refused_by_the_cli(
    cli_env: dict[str, str], keyring_file: Path
) -> None:
    env = keyring_env(cli_env, BACKENDS + "FakePlaintextKeyring", keyring_file)
    message = cli_error(aoi(env, "keyring", "remember"))
    assert "no usable keyring" in message and "plaintext" in message
    assert not keyring_file.exists()


# -- a keyring that never answers -----------------------------------------------------


def test_hanging_keyring_remember_is_bounded(cli_env: dict[str, str], keyring_file: Path) -> None:
    env = keyring_env(cli_env, BACKENDS + "HangingKeyring", keyring_file)
    start = time.monotonic()
    result = aoi(env, "keyring", "remember", timeout=SLACK_S + 15)
    elapsed = time.monotonic() - start
    message = cli_error(result)
    assert elapsed < SLACK_S
    assert elapsed >= keyring_access.TIMEOUT_S  # it did wait for the keyring, then gave up
    assert "did not answer" in message


def test_hanging_keyring_unlock_is_bounded(cli_env: dict[str, str], keyring_file: Path) -> None:
    without = keyring_env(cli_env, BACKENDS + "HangingKeyring", keyring_file, passphrase=False)
    start = time.monotonic()
    result = aoi(without, "engagement", "list", timeout=SLACK_S + 15)
    elapsed = time.monotonic() - start
    message = cli_error(result)
    assert elapsed < SLACK_S
    assert "did not answer" in message and "AOI_PASSPHRASE" in message

    # With the passphrase given, the keyring is not even asked: no wait at all.
    with_pass = keyring_env(cli_env, BACKENDS + "HangingKeyring", keyring_file)
    start = time.monotonic()
    listed = aoi(with_pass, "engagement", "list", "--json", timeout=SLACK_S + 15)
    assert listed.returncode == 0, listed.stderr
    assert time.monotonic() - start < keyring_access.TIMEOUT_S
