"""Cleaning of text typed or pasted by the coach.

Rich and Textual strip only a few control characters, and a pasted note may
carry ESC/OSC/C1 sequences that would reach the terminal, the store and the
exports. Every free text is cleaned on the way in and again on display."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, the C1 range, and lone surrogates (an
# invalid byte decoded with surrogateescape, as Python does for argv): not text,
# and they could not even be written as UTF-8.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_ANSI_SEQUENCE = re.compile(
    # OSC ... BEL/ST. The terminator is required and the body stays on one line:
    # a stray "ESC ]" must not swallow the rest of the note (never lose a word).
    r"\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)"
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)
REPLACEMENT = "\ufffd"
# Bidirectional embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI,
# RLI, FSI, PDI). Invisible, they reorder what a reader sees ("Trojan source"):
# a validated note could read differently in the sponsor's report than on the
# coach's screen. They carry no word, so they are dropped rather than replaced
# (a name pasted from a mail client often holds a stray LRE/PDF pair).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Drop whole escape sequences and bidi controls, turn CRLF/CR into
    newlines, and replace any remaining control character with U+FFFD so
    nothing is silently lost."""
    text = _BIDI_CONTROLS.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI_SEQUENCE.sub("", text)
    return _CONTROLS.sub(REPLACEMENT, text)


def clean_line(text: str) -> str:
    """A one-line field (a name, a title): newlines and tabs become spaces."""
    return " ".join(clean(text).split())


def _fold_table() -> dict[int, str]:
    import unicodedata

    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = "".join(
            c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)
        )
        if base and base != chr(code):
            table[code] = base
    table.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae", ord("’"): "'"})
    return table


FOLD_TABLE = _fold_table()
"""Latin letters with accents (and œ, æ, the typographic apostrophe) to their plain form."""


def fold(text: str) -> str:
    """Lower case without accents ("Élodie" and "elodie" are one), fast enough for
    300,000 notes (str.translate): search, naming a participant by a prefix."""
    return text.translate(FOLD_TABLE).casefold()
