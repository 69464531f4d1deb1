"""The key file (`keys.json`): the master key wrapped twice (by the passphrase
and by the recovery code) and one data key per engagement wrapped by the
master key. It holds no personal data: ids are random.

Erasing an engagement removes its data key here and in every backup of this
file, so no backup can ever decrypt that engagement again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aoi_tui.domain.ids import new_id
from aoi_tui.secure import crypto
from aoi_tui.secure.crypto import DecryptionError, KdfParams
from aoi_tui.secure.durable import write_atomic
from aoi_tui.secure.storage import StoreFileError

KEYFILE_FORMAT = "aoi-keys"
KEYFILE_VERSION = 1


class WrongSecret(Exception):
    """The passphrase or recovery code does not open this store."""


@dataclass
class Wrapped:
    salt: bytes
    blob: bytes

    def to_json(self) -> dict[str, str]:
        return {"salt": crypto.b64e(self.salt), "wrapped": crypto.b64e(self.blob)}

    @classmethod
    def from_json(cls, raw: dict[str, str]) -> Wrapped:
        return cls(salt=crypto.b64d(raw["salt"]), blob=crypto.b64d(raw["wrapped"]))


@dataclass
class KeyFile:
    store_id: str
    kdf: KdfParams
    by_passphrase: Wrapped
    by_recovery: Wrapped
    engagement_keys: dict[str, bytes] = field(default_factory=dict)  # id -> wrapped data key
    probe: bytes = b""  # a few bytes sealed with the master key, to check a remembered key

    # -- creation and unlocking -------------------------------------------------

    @classmethod
    def create(cls, passphrase: str, recovery_code: str) -> tuple[KeyFile, bytes]:
        store_id = new_id(16)
        kdf = KdfParams()
        master = crypto.new_key()
        keyfile = cls(
            store_id=store_id,
            kdf=kdf,
            by_passphrase=_wrap(master, passphrase, store_id, kdf),
            by_recovery=_wrap(master, crypto.normalise_recovery_code(recovery_code), store_id, kdf),
        )
        keyfile.probe = crypto.seal(master, b"aoi", keyfile._probe_aad())
        return keyfile, master

    def unlock(self, passphrase: str) -> bytes:
        return _unwrap(self.by_passphrase, passphrase, self.store_id, self.kdf)

    def unlock_with_recovery(self, code: str) -> bytes:
        return _unwrap(
            self.by_recovery, crypto.normalise_recovery_code(code), self.store_id, self.kdf
        )

    def check_master(self, master: bytes) -> bool:
        """Does this key open the store? (a remembered key may be stale)."""
        try:
            crypto.unseal(master, self.probe, self._probe_aad())
        except DecryptionError:
            return False
        return True

    def rewrap(self, master: bytes, new_passphrase: str) -> None:
        """A new passphrase wraps the same master key: nothing is re-encrypted."""
        self.by_passphrase = _wrap(master, new_passphrase, self.store_id, self.kdf)

    # -- engagement data keys ---------------------------------------------------

    def add_engagement(self, master: bytes, engagement_id: str) -> bytes:
        data_key = crypto.new_key()
        self.engagement_keys[engagement_id] = crypto.seal(
            master, data_key, b"aoi-engagement:" + engagement_id.encode()
        )
        return data_key

    def engagement_key(self, master: bytes, engagement_id: str) -> bytes:
        try:
            wrapped = self.engagement_keys[engagement_id]
        except KeyError:
            raise KeyError(f"no key for engagement {engagement_id}") from None
        return crypto.unseal(master, wrapped, b"aoi-engagement:" + engagement_id.encode())

    def forget_engagement(self, engagement_id: str) -> None:
        self.engagement_keys.pop(engagement_id, None)

    # -- on disk ----------------------------------------------------------------

    def _probe_aad(self) -> bytes:
        return b"aoi-probe:" + self.store_id.encode()

    def to_json(self) -> dict[str, Any]:
        return {
            "format": KEYFILE_FORMAT,
            "v": KEYFILE_VERSION,
            "store_id": self.store_id,
            "kdf": {
                "name": "argon2id",
                "memory_kib": self.kdf.memory_kib,
                "iterations": self.kdf.iterations,
                "lanes": self.kdf.lanes,
            },
            "passphrase": self.by_passphrase.to_json(),
            "recovery": self.by_recovery.to_json(),
            "probe": crypto.b64e(self.probe),
            "engagements": {k: crypto.b64e(v) for k, v in sorted(self.engagement_keys.items())},
        }

    def save(self, path: Path) -> None:
        write_atomic(path, self.dumps())

    def dumps(self) -> bytes:
        return (json.dumps(self.to_json(), indent=1) + "\n").encode("ascii")

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            raw = json.loads(path.read_bytes())
        except OSError as exc:
            raise StoreFileError(path, f"cannot be read ({exc.strerror})") from exc
        except ValueError as exc:
            raise StoreFileError(path, "corrupt key file") from exc
        return cls.from_json(path, raw)

    @classmethod
    def from_json(cls, path: Path, raw: Any) -> KeyFile:
        if not isinstance(raw, dict) or raw.get("format") != KEYFILE_FORMAT:
            raise StoreFileError(path, "not an aoi key file")
        version = raw.get("v", 0)
        if not isinstance(version, int):
            raise StoreFileError(path, "corrupt key file")
        if version > KEYFILE_VERSION:
            raise StoreFileError(path, "written by a newer aoi: upgrade aoi to open it")
        # A field of the wrong type (damaged or hand-edited) must read as a corrupt
        # file, not escape as an AttributeError/TypeError later (at unlock time).
        try:
            kdf = raw["kdf"]
            keyfile = cls(
                store_id=_str(raw["store_id"]),
                kdf=KdfParams(_int(kdf["memory_kib"]), _int(kdf["iterations"]), _int(kdf["lanes"])),
                by_passphrase=Wrapped.from_json(raw["passphrase"]),
                by_recovery=Wrapped.from_json(raw["recovery"]),
                engagement_keys={k: crypto.b64d(v) for k, v in raw["engagements"].items()},
                probe=crypto.b64d(raw["probe"]),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise StoreFileError(path, "corrupt key file") from exc
        return keyfile


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not an integer")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _wrap(master: bytes, secret: str, store_id: str, kdf: KdfParams) -> Wrapped:
    salt = crypto.new_salt()
    kek = crypto.derive_key(secret, salt, kdf)
    return Wrapped(salt=salt, blob=crypto.seal(kek, master, b"aoi-master:" + store_id.encode()))


def _unwrap(wrapped: Wrapped, secret: str, store_id: str, kdf: KdfParams) -> bytes:
    kek = crypto.derive_key(secret, wrapped.salt, kdf)
    try:
        return crypto.unseal(kek, wrapped.blob, b"aoi-master:" + store_id.encode())
    except DecryptionError:
        raise WrongSecret from None
