"""Changing the passphrase: the same master key, wrapped anew, in the key
file and in every copy of it (backups, copies set aside in quarantine/ by a
repair): an old passphrase must not open an old copy."""

from __future__ import annotations

import json
from pathlib import Path

from aoi_tui.access.opening import check_new_passphrase
from aoi_tui.secure.keyfile import KeyFile
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.store import KEYS, Store


def change_passphrase(store: Store, new_passphrase: str) -> None:
    check_new_passphrase(new_passphrase)
    master = store.master

    def rewrap(raw: bytes) -> bytes | None:
        try:
            keyfile = KeyFile.from_json(Path(KEYS), json.loads(raw))
        except (StoreFileError, ValueError):
            # A damaged copy cannot be rewrapped, and may still hold the old
            # wrapping (read past the damage): removed.
            return None
        if not keyfile.check_master(master):
            return raw  # another store's key file: not ours to change
        keyfile.rewrap(master, new_passphrase)
        return keyfile.dumps()

    # One locked section, copies first: no copy is left that the old passphrase opens.
    with store.lock("keys"):
        store.rewrite_key_file_copies(rewrap)
        store.update_keyfile(lambda kf: kf.rewrap(master, new_passphrase))
