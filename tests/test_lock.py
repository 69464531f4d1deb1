"""The screen lock's core: its two settings (checked strictly, 0 or absent for the
default, "off", bounds) and the one check that opens it (the passphrase typed,
against the key file on disk, never the keyring nor AOI_PASSPHRASE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aoi_tui.access import keyring_access
from aoi_tui.access.opening import PASSPHRASE_ENV, passphrase_opens
from aoi_tui.access.passphrase import change_passphrase
from aoi_tui.config.settings import (
    LOCK_MINUTES,
    MAX_LOCK_MINUTES,
    Settings,
    SettingsError,
    load_settings,
)
from aoi_tui.secure.crypto import new_recovery_code
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.store.store import KEYS, Store
from tests.support import PASSPHRASE, REPO


def write(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.toml").write_text(text, "utf-8")


# -- the settings ------------------------------------------------------------------------


def test_by_default_aoi_locks_after_15_minutes_and_never_in_a_live_session() -> None:
    assert LOCK_MINUTES == 15
    assert Settings().lock_after(live=False) == 15
    assert Settings().lock_after(live=True) is None


@pytest.mark.parametrize(
    ("text", "outside", "live"),
    [
        ("", 15, None),
        ("lock_minutes = 0\nlive_lock_minutes = 0\n", 15, None),  # 0: the default
        ("lock_minutes = 5\nlive_lock_minutes = 120\n", 5, 120),
        ('lock_minutes = "off"\nlive_lock_minutes = "off"\n', None, None),
        (f"lock_minutes = 1\nlive_lock_minutes = {MAX_LOCK_MINUTES}\n", 1, MAX_LOCK_MINUTES),
    ],
)
def test_the_lock_settings_are_read(
    tmp_path: Path, text: str, outside: int | None, live: int | None
) -> None:
    write(tmp_path, text)
    settings = load_settings(tmp_path)
    assert settings.lock_after(live=False) == outside
    assert settings.lock_after(live=True) == live


@pytest.mark.parametrize(
    "value",
    ["-1", str(MAX_LOCK_MINUTES + 1), "true", "false", "1.5", '"15"', '"never"', '"OFF"', "[5]"],
)
@pytest.mark.parametrize("key", ["lock_minutes", "live_lock_minutes"])
def test_a_wrong_lock_setting_is_one_clear_message(tmp_path: Path, key: str, value: str) -> None:
    write(tmp_path, f"{key} = {value}\n")
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path)
    message = str(error.value)
    assert str(tmp_path / "settings.toml") in message
    assert f"{key}: " in message and '"off"' in message and f"1 to {MAX_LOCK_MINUTES}" in message
    assert "\n" not in message


def test_settings_made_in_code_are_checked_the_same_way() -> None:
    assert Settings(lock_minutes=-5).problems()[0].startswith("lock_minutes: ")
    assert Settings(live_lock_minutes="no").problems()[0].startswith("live_lock_minutes: ")
    assert Settings(lock_minutes=True).problems()  # a bool is not a number of minutes
    assert Settings(lock_minutes=30, live_lock_minutes="off").problems() == []


# -- what opens the lock -------------------------------------------------------------------


def test_only_the_passphrase_opens_the_lock(store: Store) -> None:
    assert passphrase_opens(store, PASSPHRASE)
    for wrong in ("", " ", PASSPHRASE + " ", PASSPHRASE.upper(), "x" * 10_000, "\x00"):
        assert not passphrase_opens(store, wrong)


def test_the_environment_and_the_keyring_do_not_open_the_lock(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr(keyring_access, "recall", lambda _store_id: store.master)
    assert not passphrase_opens(store, "")
    assert not passphrase_opens(store, "not it at all")


def test_a_passphrase_changed_meanwhile_is_the_one_that_opens(store: Store) -> None:
    """Changed by `aoi passphrase` in another terminal while this aoi was locked: the
    new one opens it, the old one no longer does (the key file on disk decides)."""
    elsewhere = Store(store.root, KeyFile.load(store.root / KEYS), store.master)
    change_passphrase(elsewhere, "a brand new passphrase")
    assert passphrase_opens(store, "a brand new passphrase")
    assert not passphrase_opens(store, PASSPHRASE)


def test_a_key_file_of_another_store_does_not_open_it(store: Store, tmp_path: Path) -> None:
    """Another store's key file put in its place: its passphrase unlocks a master key
    that is not this store's, so the lock stays."""
    other, _ = KeyFile.create("another store's passphrase", new_recovery_code())
    other.save(store.root / KEYS)
    assert not passphrase_opens(store, "another store's passphrase")


def test_an_unreadable_key_file_falls_back_to_the_one_in_memory(store: Store) -> None:
    (store.root / KEYS).write_bytes(b"not json")
    assert passphrase_opens(store, PASSPHRASE)
    assert not passphrase_opens(store, "wrong passphrase")


def test_the_readme_documents_the_lock_settings_as_a_file_takes_them(tmp_path: Path) -> None:
    """The settings example in README.md is a valid settings file, with the lock's keys."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("### Settings") :]
    example = section[section.index("```toml") + len("```toml") : section.index("```\n", 8)]
    assert "lock_minutes" in example and "live_lock_minutes" in example
    write(tmp_path, example)
    settings = load_settings(tmp_path)
    assert (settings.lock_after(live=False), settings.lock_after(live=True)) == (15, None)
    assert settings.keys["lock"] == "ctrl+g"
