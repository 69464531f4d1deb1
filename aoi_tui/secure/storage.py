"""The TinyDB Storage every aoi file goes through: encrypted, durable, and
re-read only when another process changed the file.

File layout: MAGIC || nonce || AES-GCM(JSON), with MAGIC and the file's id as
associated data, so a file cannot be swapped for another store's."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from aoi_tui.config.i18n import t
from aoi_tui.secure.crypto import NONCE_BYTES, DecryptionError, seal, unseal
from aoi_tui.secure.durable import write_atomic

MAGIC = b"AOIDB\x01\n"


# The fixed reasons, said in the coach's language; any other (the system's words,
# a record that does not validate) is shown as it is. `reason` keeps the English
# words: `aoi doctor` reports them.
REASON_KEYS = {
    "missing": "store_file.missing",
    "not an aoi file": "store_file.not_aoi",
    "not an aoi key file": "store_file.not_aoi_key",
    "corrupt key file": "store_file.corrupt_key",
    "holds no engagement": "store_file.no_engagement",
    "written by a newer aoi: upgrade aoi to read it": "store_file.newer_read",
    "written by a newer aoi: upgrade aoi to open it": "store_file.newer_open",
}


class StoreFileError(Exception):
    """A file that is unreadable, corrupt or not ours. Never overwritten."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    @property
    def said(self) -> str:
        """The reason in the coach's language (`reason` keeps the English words)."""
        key = REASON_KEYS.get(self.reason)
        return t(key) if key else self.reason

    def __str__(self) -> str:
        return t("store_file.problem", path=self.path, reason=self.said)


Signature = tuple[int, int, int, bytes]


@dataclass
class FileCache:
    """The last contents read or written, keyed by the file's identity.

    (inode, mtime, size) alone is not enough: inode numbers are reused at once
    and mtimes are coarse, so two writes of the same size a few ms apart can
    look identical, and a stale copy would then drop another process's change
    at the next save. Every write starts with a fresh random nonce: it is part
    of the signature, so an unchanged signature means nothing to re-read."""

    entries: dict[Path, tuple[Signature, dict[str, Any]]] = field(default_factory=dict)

    def get(self, path: Path, sig: Signature) -> dict[str, Any] | None:
        hit = self.entries.get(path)
        return hit[1] if hit and hit[0] == sig else None

    def put(self, path: Path, sig: Signature, data: dict[str, Any]) -> None:
        self.entries[path] = (sig, data)

    def drop(self, path: Path) -> None:
        self.entries.pop(path, None)


HEAD_BYTES = len(MAGIC) + NONCE_BYTES


def _signature(st: os.stat_result, head: bytes) -> Signature:
    return (st.st_ino, st.st_mtime_ns, st.st_size, head[:HEAD_BYTES])


def decrypt_file(path: Path, key: bytes, file_id: str) -> dict[str, Any]:
    """Read and decrypt one aoi file, or raise StoreFileError naming it."""
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise StoreFileError(path, f"cannot be read ({exc.strerror})") from exc
    return decode(path, blob, key, file_id)


def decrypt(path: Path, blob: bytes, key: bytes, file_id: str) -> bytes:
    """The plaintext JSON of one aoi file, or StoreFileError naming it."""
    if not blob.startswith(MAGIC):
        raise StoreFileError(path, "not an aoi file")
    try:
        return unseal(key, blob[len(MAGIC) :], MAGIC + file_id.encode())
    except DecryptionError as exc:
        raise StoreFileError(path, "corrupt, or encrypted with another key") from exc


def parse(path: Path, plain: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(plain)
    except ValueError as exc:
        raise StoreFileError(path, "corrupt contents") from exc
    if not isinstance(data, dict):
        raise StoreFileError(path, "unexpected contents")
    return data


def decode(path: Path, blob: bytes, key: bytes, file_id: str) -> dict[str, Any]:
    return parse(path, decrypt(path, blob, key, file_id))


def encode(data: dict[str, Any], key: bytes, file_id: str) -> bytes:
    plain = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return MAGIC + seal(key, plain, MAGIC + file_id.encode())


class EncryptedStorage(Storage):
    """TinyDB Storage: callers hold the file's lock around each read-modify-write."""

    def __init__(
        self, path: Path, key: bytes, file_id: str, cache: FileCache, *, missing_ok: bool = True
    ) -> None:
        self.path = path
        self.key = key
        self.file_id = file_id
        self.cache = cache
        # False: a missing file is an error (StoreFileError "missing"), never empty
        self.missing_ok = missing_ok
        self.held: dict[str, Any] | None = None  # writes deferred inside a batch

    def read(self) -> dict[str, Any] | None:
        if self.held is not None:
            return self.held
        try:
            with open(self.path, "rb") as f:  # signature and contents of one version
                head = f.read(HEAD_BYTES)
                sig = _signature(os.fstat(f.fileno()), head)
                cached = self.cache.get(self.path, sig)
                if cached is not None:
                    return cached
                blob = head + f.read()
        except FileNotFoundError:
            if self.missing_ok:
                return None
            raise StoreFileError(self.path, "missing") from None
        except OSError as exc:
            raise StoreFileError(self.path, f"cannot be read ({exc.strerror})") from exc
        data = decode(self.path, blob, self.key, self.file_id)
        self.cache.put(self.path, sig, data)
        return data

    def signature(self) -> Signature | None:
        """What changes at every write of the file, by any process (its identity and
        the nonce each write draws); None when there is no file."""
        try:
            with open(self.path, "rb") as f:
                return _signature(os.fstat(f.fileno()), f.read(HEAD_BYTES))
        except FileNotFoundError:
            return None

    def write(self, data: dict[str, Any]) -> None:
        if self.held is not None:
            self.held = data
            return
        self.flush(data)

    def flush(self, data: dict[str, Any]) -> bytes:
        """Write `data` durably; returns the bytes written."""
        # TinyDB mutates the dict it read: if the write fails the cached copy
        # is ahead of the disk, so forget it before trying.
        self.cache.drop(self.path)
        blob = encode(data, self.key, self.file_id)
        write_atomic(self.path, blob)
        self.cache.put(self.path, _signature(os.stat(self.path), blob), data)
        return blob

    def close(self) -> None:
        pass
