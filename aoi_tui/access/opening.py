"""Finding the key to a store: `AOI_PASSPHRASE`, then a master key remembered
in the OS keyring, then the coach typing the passphrase (three tries)."""

from __future__ import annotations

import contextlib
import hmac
import os
import sys
from collections.abc import Callable
from pathlib import Path

from aoi_tui.access import keyring_access
from aoi_tui.secure import crypto
from aoi_tui.secure.keyfile import KeyFile, WrongSecret
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.store import KEYS, Store, StoreError, store_exists

PASSPHRASE_ENV = "AOI_PASSPHRASE"
NEW_PASSPHRASE_ENV = "AOI_NEW_PASSPHRASE"
RECOVERY_ENV = "AOI_RECOVERY_CODE"
TRIES = 3
MIN_PASSPHRASE = 8

Prompt = Callable[[str], str]


class UnlockError(StoreError):
    pass


class NoStore(StoreError):
    pass


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UnlockError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")


def create_store(root: Path, passphrase: str) -> tuple[Store, str]:
    """A new store and its recovery code (shown to the coach once)."""
    check_new_passphrase(passphrase)
    code = crypto.new_recovery_code()
    return Store.create(root, passphrase, code), code


def load_keyfile(root: Path) -> KeyFile:
    if not store_exists(root):
        raise NoStore(f"no aoi store in {root} yet")
    return KeyFile.load(root / KEYS)


def remembered_master(keyfile: KeyFile) -> bytes | None:
    """The keyring's master key if it still opens this store; a stale entry is dropped."""
    return _remembered(keyfile)[0]


def _remembered(keyfile: KeyFile) -> tuple[bytes | None, str]:
    """As `remembered_master`, plus why there is no usable keyring (none, plaintext,
    failed, hung), or "" when the keyring answered, so the coach is told."""
    try:
        master = keyring_access.recall(keyfile.store_id)
    except keyring_access.NoKeyring as exc:
        return None, str(exc)
    if master is None:
        return None, ""
    if keyfile.check_master(master):
        return master, ""
    with contextlib.suppress(keyring_access.NoKeyring):
        keyring_access.forget(keyfile.store_id)
    return None, ""


def open_store(root: Path, prompt: Prompt | None, *, use_keyring: bool = True) -> Store:
    keyfile = load_keyfile(root)
    env = os.environ.get(PASSPHRASE_ENV)
    if env is not None:
        try:
            return Store(root, keyfile, keyfile.unlock(env))
        except WrongSecret:
            raise UnlockError(f"{PASSPHRASE_ENV} does not open the store in {root}") from None
    no_keyring = ""
    if use_keyring:
        master, no_keyring = _remembered(keyfile)
        if master is not None:
            return Store(root, keyfile, master)
    if prompt is None:
        if no_keyring:  # `aoi keyring remember` would not help: say why instead
            raise UnlockError(
                f"the store in {root} is locked ({no_keyring}): set {PASSPHRASE_ENV} "
                "or run aoi in a terminal"
            )
        raise UnlockError(
            f"the store in {root} is locked: set {PASSPHRASE_ENV}, run aoi in a terminal, "
            "or remember the key with `aoi keyring remember`"
        )
    for attempt in range(1, TRIES + 1):
        try:
            return Store(root, keyfile, keyfile.unlock(prompt("Passphrase: ")))
        except WrongSecret:
            if attempt < TRIES:
                left = TRIES - attempt
                prompt_error(f"Wrong passphrase ({left} {'try' if left == 1 else 'tries'} left).")
    raise UnlockError(f"wrong passphrase {TRIES} times; the store in {root} stays locked")


def passphrase_opens(store: Store, passphrase: str) -> bool:
    """Whether `passphrase` is the passphrase of the open `store` (the screen lock).

    Only what was typed is checked: never `AOI_PASSPHRASE`, never the keyring, whose
    point is to open aoi without typing. The key file on disk decides (the passphrase
    may have been changed meanwhile by `aoi passphrase`); if it cannot be read, the one
    read at start. Its master key must be this store's: another store's key file put
    in its place, with a passphrase of its own, opens nothing."""
    try:
        keyfile = KeyFile.load(store.root / KEYS)
    except StoreFileError:
        keyfile = store.keyfile
    try:
        master = keyfile.unlock(passphrase)
    except WrongSecret:
        return False
    return hmac.compare_digest(master, store.master)


def prompt_error(message: str) -> None:
    print(message, file=sys.stderr)
