"""Rotating backups of the store's files, still encrypted.

    backups/<file name>/<UTC time>.bak

An engagement file or the index is copied before its first write in a
process and then at most once an hour; the key file before every change."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aoi_tui.durable import ensure_private_dir, write_atomic

KEEP = 5
KEEP_KEYS = 10
INTERVAL_S = 3600.0


class Backups:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last: dict[Path, float] = {}  # monotonic time of this process's last copy

    def folder_for(self, path: Path) -> Path:
        return self.folder / path.name

    def newest_first(self, path: Path) -> list[Path]:
        """Backups of `path`, newest first."""
        folder = self.folder_for(path)
        if not folder.is_dir():
            return []
        return sorted(folder.glob("*.bak"), reverse=True)

    def keep(self, path: Path, every_write: bool = False) -> None:
        """Copy `path` aside if it is due. Call under the file's lock, before writing."""
        last = self._last.get(path)
        if not every_write and last is not None and time.monotonic() - last < INTERVAL_S:
            return
        if not path.exists():
            return
        folder = self.folder_for(path)
        ensure_private_dir(self.folder)
        ensure_private_dir(folder)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        write_atomic(folder / f"{stamp}.bak", path.read_bytes())
        self._last[path] = time.monotonic()
        for old in self.newest_first(path)[KEEP_KEYS if every_write else KEEP :]:
            old.unlink()

    def remove_all(self, path: Path) -> list[Path]:
        removed = self.newest_first(path)
        folder = self.folder_for(path)
        if folder.is_dir():
            # Partial copies left by a backup cut short too, or rmdir fails
            # and an erasure stops half-way.
            removed += sorted(folder.glob(".*.tmp"))
        for backup in removed:
            backup.unlink()
        if folder.is_dir():
            folder.rmdir()
        self._last.pop(path, None)
        return removed

    def rewrite_all(self, path: Path, change: Callable[[bytes], bytes | None]) -> int:
        """Apply `change` to every backup of `path` (erasure, passphrase change).
        A backup for which `change` returns None is removed (a damaged copy
        that cannot be rewritten must not keep what is being erased)."""
        backups = self.newest_first(path)
        for backup in backups:
            new = change(backup.read_bytes())
            if new is None:
                backup.unlink()
            else:
                write_atomic(backup, new)
        return len(backups)
