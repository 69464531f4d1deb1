"""Durable writes: temporary file, fsync, atomic rename, fsync of the folder.

Killed at any instant, the target holds the old bytes or the new, never a mix."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from aoi_tui.domain.ids import new_id

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
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: could not write {path}"
    if exc.errno == errno.EDQUOT:
        return f"disk quota exceeded: could not write {path}"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the folder is read-only or not ours: could not write {path}"
    return f"could not write {path}: {exc.strerror or exc}"


def ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o777 != DIR_MODE:
            path.chmod(DIR_MODE)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, durably. Raises StoreWriteError."""
    tmp = path.with_name(f".{path.name}.{new_id(8)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreWriteError(path, exc) from exc
