"""Copies of the store's files, still encrypted.

    backups/<file name>/<UTC time>.bak     rotating backups
    backups/<file name>/latest.copy        an engagement file as its last write left it

An engagement file or the index is copied before its first write in a
process and then at most once an hour; the key file after every change. An
engagement file is also copied after every write (`latest.copy`): the
rotating backups are taken *before* writes, so restoring the newest of them
alone would drop whatever was saved since (seen: three notes became two)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from aoi_tui.secure.durable import ensure_private_dir, write_atomic

KEEP = 5
KEEP_KEYS = 10
INTERVAL_S = 3600.0
LATEST = "latest.copy"
STAMP = "%Y%m%dT%H%M%S%fZ"


class Backups:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last: dict[Path, float] = {}  # monotonic time of this process's last copy

    def folder_for(self, path: Path) -> Path:
        return self.folder / path.name

    def newest_first(self, path: Path) -> list[Path]:
        """Rotating backups of `path`, newest first."""
        folder = self.folder_for(path)
        if not folder.is_dir():
            return []
        return sorted(folder.glob("*.bak"), reverse=True)

    def latest(self, path: Path) -> Path:
        """Where the copy of `path` as its last write left it is kept."""
        return self.folder_for(path) / LATEST

    def copies(self, path: Path) -> list[Path]:
        """Every copy of `path`, the one a repair should try first first: the
        state after its last write, then the backups, newest first."""
        latest = self.latest(path)
        return ([latest] if latest.is_file() else []) + self.newest_first(path)

    def keep(self, path: Path, every_write: bool = False) -> None:
        """Copy `path` aside if it is due. Call under the file's lock."""
        last = self._last.get(path)
        if not every_write and last is not None and time.monotonic() - last < INTERVAL_S:
            return
        if not path.exists():
            return
        folder = self.folder_for(path)
        ensure_private_dir(self.folder)
        ensure_private_dir(folder)
        stamp = datetime.now(UTC).strftime(STAMP)
        write_atomic(folder / f"{stamp}.bak", path.read_bytes())
        self._last[path] = time.monotonic()
        for old in self.newest_first(path)[KEEP_KEYS if every_write else KEEP :]:
            old.unlink()

    def keep_latest(self, path: Path, data: bytes) -> None:
        """Keep `data`, just written to `path`, as the copy a repair restores first.
        Call under the file's lock, after the write. Never raises: the write is
        saved. If the copy cannot be written (a full disk), the older copy is
        removed, so that no repair takes it for the newest state: the repair
        then restores a rotating backup and says what it lacks."""
        latest = self.latest(path)
        try:
            ensure_private_dir(self.folder)
            ensure_private_dir(latest.parent)
            write_atomic(latest, data)
        except OSError:
            with contextlib.suppress(OSError):
                latest.unlink()

    def remove_all(self, path: Path) -> list[Path]:
        """Remove every copy of `path` (erasure), partial ones included."""
        folder = self.folder_for(path)
        if not folder.is_dir():
            return []
        # Partial copies left by a copy cut short too, or rmdir fails and an
        # erasure stops half-way.
        removed = sorted(p for p in folder.iterdir() if not p.is_dir())
        for copy in removed:
            copy.unlink()
        folder.rmdir()
        self._last.pop(path, None)
        return removed

    def rewrite_all(self, path: Path, change: Callable[[bytes], bytes | None]) -> list[Path]:
        """Apply `change` to every copy of `path` (erasure, passphrase change).
        A copy for which `change` returns None is removed (a damaged copy that
        cannot be rewritten must not keep what is being erased), and so is a
        partial copy left by a copy cut short. Call under the file's lock.
        Returns the copies removed."""
        removed: list[Path] = []
        for copy in self.copies(path):
            if rewrite_or_remove(copy, change):
                removed.append(copy)
        folder = self.folder_for(path)
        if folder.is_dir():
            for partial in sorted(folder.glob(".*.tmp")):
                partial.unlink()
                removed.append(partial)
        return removed


def rewrite_or_remove(path: Path, change: Callable[[bytes], bytes | None]) -> bool:
    """Rewrite `path` with `change` (unchanged bytes are not rewritten), or remove
    it when `change` returns None. True when removed."""
    raw = path.read_bytes()
    new = change(raw)
    if new is None:
        path.unlink()
        return True
    if new != raw:
        write_atomic(path, new)
    return False


def taken_at(backup: Path) -> str:
    """When a rotating backup was taken, from its name ("" if not one of ours)."""
    try:
        when = datetime.strptime(backup.name.removesuffix(".bak"), STAMP).replace(tzinfo=UTC)
    except ValueError:
        return ""
    return when.strftime("%Y-%m-%d %H:%M UTC")
