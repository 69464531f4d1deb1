"""Cleaning of text typed or pasted by the coach.

Rich and Textual strip only a few control characters, and a pasted note may
carry ESC/OSC/C1 sequences that would reach the terminal, the store and the
exports. Every free text is cleaned on the way in and again on display."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 range.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI_SEQUENCE = re.compile(
    # OSC ... BEL/ST. The terminator is required and the body stays on one line:
    # a stray "ESC ]" must not swallow the rest of the note (never lose a word).
    r"\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)"
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)
REPLACEMENT = "\ufffd"


def clean(text: str) -> str:
    """Drop whole escape sequences, turn CRLF/CR into newlines, and replace
    any remaining control character with U+FFFD so nothing is silently lost."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI_SEQUENCE.sub("", text)
    return _CONTROLS.sub(REPLACEMENT, text)


def clean_line(text: str) -> str:
    """A one-line field (a name, a title): newlines and tabs become spaces."""
    return " ".join(clean(text).split())
