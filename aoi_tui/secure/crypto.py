"""Encryption primitives, all from `cryptography`: AES-256-GCM for data,
Argon2id to turn a passphrase (or the recovery code) into a key."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from aoi_tui.domain.ids import random_text

KEY_BYTES = 32
NONCE_BYTES = 12


class DecryptionError(Exception):
    """Wrong key, or data that was altered."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. ~46 MiB, one pass: OWASP's floor, so a start stays fast."""

    memory_kib: int = 46 * 1024
    iterations: int = 1
    lanes: int = 1


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def new_salt() -> bytes:
    return os.urandom(16)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce || ciphertext+tag. `aad` binds the blob to its place (file, record)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, blob: bytes, aad: bytes) -> bytes:
    # A key of another length (e.g. a keyring entry that is not ours) would make
    # AESGCM raise ValueError: it is a wrong key like any other.
    if len(key) != KEY_BYTES:
        raise DecryptionError("not a key of this store")
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptionError("too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise DecryptionError("wrong key or altered data") from exc


def derive_key(secret: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(secret.encode("utf-8"))


_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


def new_recovery_code() -> str:
    """Six groups of five characters: 150 random bits, easy to write down."""
    chars = random_text(_RECOVERY_ALPHABET, 30)
    return "-".join(chars[i : i + 5] for i in range(0, 30, 5))


def normalise_recovery_code(code: str) -> str:
    table = str.maketrans({"I": "1", "L": "1", "O": "0"})
    chars = "".join(c for c in code.upper() if c.isalnum()).translate(table)
    return "-".join(chars[i : i + 5] for i in range(0, len(chars), 5))


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
