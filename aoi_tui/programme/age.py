"""age encryption (X25519 recipients, through `pyrage`) of what leaves a coach's
store for the programme lead. No hand-made cryptography here: key pairs,
encryption and decryption are age's; the armoured form keeps a feed a text file
that a mail or a shared folder carries unchanged.

A sealed file is a few lines of plain header (what it is, which programme, which
schema version: read before decryption, so a feed of another programme or of a
newer schema is refused by name), then age's armour."""

from __future__ import annotations

from dataclasses import dataclass

import pyrage
from pyrage import x25519

from aoi_tui.programme.definition import ProgrammeError

ARMOUR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----"
MAX_SEALED = 200 * 1024 * 1024


@dataclass(frozen=True)
class KeyPair:
    secret: str
    """AGE-SECRET-KEY-1…: kept in the lead's store only."""
    public: str
    """age1…: written in the programme file."""


def new_key_pair() -> KeyPair:
    identity = x25519.Identity.generate()
    return KeyPair(secret=str(identity), public=str(identity.to_public()))


def public_of(secret: str) -> str:
    return str(x25519.Identity.from_str(secret).to_public())


def seal(header: dict[str, str], plaintext: bytes, recipient: str) -> bytes:
    """`header` (one `key: value` line each, ASCII, no newline in them), then the
    plaintext encrypted with age to `recipient`, armoured."""
    try:
        to = x25519.Recipient.from_str(recipient)
    except Exception as exc:  # pyrage.RecipientError
        raise ProgrammeError(f"not an age public key: {exc}") from None
    armoured = pyrage.encrypt(plaintext, [to], armored=True)
    lines = []
    for key, value in header.items():
        line = f"{key}: {value}"
        if not line.isascii() or not line.isprintable():
            raise ValueError(f"header line not printable ASCII: {key}")
        lines.append(line)
    return ("\n".join(lines) + "\n").encode("ascii") + bytes(armoured)


def read_header(blob: bytes, where: str) -> dict[str, str]:
    """The plain header of a sealed file (unauthenticated: what decryption finds
    inside is checked against it)."""
    head, sep, _ = blob.partition(ARMOUR_BEGIN.encode())
    if not sep:
        raise ProgrammeError(f"{where}: not an aoi programme feed (no age armour)")
    header: dict[str, str] = {}
    try:
        text = head.decode("ascii")
    except UnicodeDecodeError:
        raise ProgrammeError(f"{where}: not an aoi programme feed (header)") from None
    for line in text.splitlines():
        key, colon, value = line.partition(":")
        if colon:
            header[key.strip()] = value.strip()
    return header


def open_sealed(blob: bytes, secret: str, where: str) -> bytes:
    """The plaintext of a sealed file, or ProgrammeError naming it."""
    _, sep, armour = blob.partition(ARMOUR_BEGIN.encode())
    if not sep:
        raise ProgrammeError(f"{where}: not an aoi programme feed (no age armour)")
    try:
        identity = x25519.Identity.from_str(secret)
        plain = pyrage.decrypt(ARMOUR_BEGIN.encode() + armour, [identity])
    except Exception as exc:  # pyrage.DecryptError and its kin
        said = " ".join(str(exc).split())[:120]  # age's own words, on one line
        raise ProgrammeError(
            f"{where}: cannot be decrypted with this programme's lead key: altered on "
            f"the way, or not sealed to this lead ({said})"
        ) from None
    return bytes(plain)
