"""Durable writes: temporary file, sync, atomic rename, sync of the folder.

Killed at any instant, the target holds the old bytes or the new, never a mix.

How far a sync reaches depends on the platform, so each write says how far it
must go (`Sync`), and this module does what that takes where it runs:

- Linux: `fsync` reaches the disk (the kernel flushes the drive's cache), for
  the file and for its folder (the rename).
- macOS: `fsync` stops in the drive's own cache; only `fcntl(F_FULLFSYNC)`
  reaches the disk, at some milliseconds a call. `Sync.FULL` (engagement files,
  key file, index, backups, exports: the default) uses it for the file and the
  folder; `Sync.PLAIN` (drafts, rewritten on every key, and the lease) stays
  with `fsync`. A volume that refuses F_FULLFSYNC (some network shares) gets
  `fsync`, the most it offers.
- Windows: `os.fsync` is FlushFileBuffers, which reaches the disk; a folder
  cannot be opened (there is no `O_DIRECTORY`), so the rename is left to NTFS's
  journal; files are opened in binary mode (`O_BINARY`: the C library would
  otherwise turn every 0x0A byte of the ciphertext into 0x0D 0x0A); a rename
  refused because another program holds the file open for a moment (a reader,
  an antivirus) is tried again for about a second and a half.

Only the Linux path runs for real in the tests; the others are simulated
(`tests/test_durable.py`)."""

from __future__ import annotations

import contextlib
import enum
import errno
import os
import sys
import time
from pathlib import Path

from aoi_tui.config.i18n import t
from aoi_tui.domain.ids import new_id

if sys.platform != "win32":
    import fcntl

FILE_MODE = 0o600
DIR_MODE = 0o700


class StoreWriteError(OSError):
    """A write that did not reach the disk. The previous state is intact."""

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(cause.errno, describe_os_error(path, cause))
        self.path = path
        self.cause = cause

    def __str__(self) -> str:
        return self.strerror or super().__str__()


def describe_os_error(path: Path, exc: OSError) -> str:
    """In the coach's language (a refused export path, a note not saved)."""
    if exc.errno == errno.ENOSPC:
        return t("write.disk_full", path=path)
    if exc.errno == errno.EDQUOT:
        return t("write.quota", path=path)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return t("write.read_only", path=path)
    return t("write.failed", path=path, reason=exc.strerror or exc)


def ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o777 != DIR_MODE:
            path.chmod(DIR_MODE)


class Sync(enum.Enum):
    """How far a write is pushed before it counts as done."""

    FULL = "full"
    """To the disk itself, on every platform: whatever must survive a power cut."""
    PLAIN = "plain"
    """`fsync` only (on macOS it stops in the drive's cache): the draft, saved on
    every key, and the lease; F_FULLFSYNC would cost milliseconds a key."""


def _platform() -> str:
    # Read at each call, so the tests can play macOS and Windows; a function, so
    # that mypy checks every branch instead of the one of the platform it runs on.
    return sys.platform


def sync_file(fd: int, sync: Sync = Sync.FULL) -> None:
    """Push an open file's bytes and metadata as far as `sync` says."""
    if sync is Sync.FULL and _platform() == "darwin":
        full_fsync = getattr(fcntl, "F_FULLFSYNC", None)
        if full_fsync is not None:
            try:
                fcntl.fcntl(fd, full_fsync)
                return
            except OSError:
                pass  # refused by this volume: fsync, the most it offers
    os.fsync(fd)


def fsync_dir(path: Path, sync: Sync = Sync.FULL) -> None:
    """Make a rename inside `path` durable. Windows opens no folder: NTFS journals
    the rename itself."""
    if _platform() == "win32":
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        sync_file(fd, sync)
    finally:
        os.close(fd)


RENAME_RETRIES_S = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8)
"""Windows: waits between tries of a rename another program holds up (~1.6 s)."""


def _replace(tmp: Path, path: Path) -> None:
    if _platform() == "win32":
        for wait in RENAME_RETRIES_S:
            try:
                os.replace(tmp, path)
                return
            except PermissionError:  # the target or the new file open elsewhere
                time.sleep(wait)
    os.replace(tmp, path)


def write_atomic(path: Path, data: bytes, *, sync: Sync = Sync.FULL) -> None:
    """Replace `path` with `data`, durably (as far as `sync` says). Raises
    StoreWriteError."""
    tmp = path.with_name(f".{path.name}.{new_id(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            sync_file(fd, sync)
        finally:
            os.close(fd)
        _replace(tmp, path)
        fsync_dir(path.parent, sync)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreWriteError(path, exc) from exc
