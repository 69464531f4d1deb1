"""Changing the passphrase: the same master key, wrapped anew, in the key
file and in every backup of it (an old passphrase must not open an old copy)."""

from __future__ import annotations

import json
from pathlib import Path

from aoi_tui.keyfile import KeyFile
from aoi_tui.storage import StoreFileError
from aoi_tui.store import KEYS, Store
from aoi_tui.unlock import check_new_passphrase


def change_passphrase(store: Store, new_passphrase: str) -> None:
    check_new_passphrase(new_passphrase)
    master = store.master

    def rewrap(raw: bytes) -> bytes | None:
        try:
            keyfile = KeyFile.from_json(Path(KEYS), json.loads(raw))
        except (StoreFileError, ValueError):
            return None  # a damaged copy that cannot be rewrapped is removed
        keyfile.rewrap(master, new_passphrase)
        return keyfile.dumps()

    # One locked section, backups first: no copy is left that the old passphrase opens.
    with store.lock("keys"):
        store.backups.rewrite_all(store.root / KEYS, rewrap)
        store.update_keyfile(lambda kf: kf.rewrap(master, new_passphrase))
