"""Random record ids: TinyDB's integer ids are cached per process and collide
between two writers, and a file name must never carry a person's name."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def new_id(length: int = 12) -> str:
    """12 characters of base32: 60 random bits."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
