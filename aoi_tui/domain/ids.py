"""Random record ids: TinyDB's integer ids are cached per process and collide
between two writers, and a file name must never carry a person's name."""

from __future__ import annotations

import os

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def random_text(alphabet: str, length: int) -> str:
    """`length` characters drawn from a 32-character alphabet by the OS's CSPRNG.
    32 divides 256, so each byte's low five bits pick a character without bias
    (and without `secrets`, whose hmac/OpenSSL import costs 3 ms at start-up)."""
    if len(alphabet) != 32:
        raise ValueError("the alphabet must have exactly 32 characters")
    return "".join(alphabet[b & 31] for b in os.urandom(length))


def new_id(length: int = 12) -> str:
    """12 characters of base32: 60 random bits."""
    return random_text(_ALPHABET, length)
