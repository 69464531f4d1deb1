"""Cleaning of typed or pasted text (`aoi_tui.domain.text`): escape sequences never
reach the store, the screen or an export; no typed word is lost."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from aoi_tui.domain.text import REPLACEMENT, clean, clean_line

# Every C0 control except tab and newline, DEL, and every C1 control.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Text biased towards what a terminal paste can carry.
_nasty = st.sampled_from(
    [
        "\x1b",
        "\x1b[",
        "\x1b]",
        "\x1b\\",
        "\x07",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\x1b]8;;http://example.com\x1b\\",
        "\x9b",
        "\x9d",
        "\x85",
        "\x00",
        "\x7f",
        "[",
        "]",
        ";",
    ]
)
texts = st.lists(st.one_of(st.text(max_size=8), _nasty), max_size=20).map("".join)


@given(texts)
def test_clean_leaves_no_control_character(text: str) -> None:
    assert not FORBIDDEN.search(clean(text))


@given(texts)
def test_clean_is_idempotent(text: str) -> None:
    once = clean(text)
    assert clean(once) == once


@given(st.text())
def test_clean_on_any_text(text: str) -> None:
    cleaned = clean(text)
    assert not FORBIDDEN.search(cleaned)
    assert clean(cleaned) == cleaned


# Bidi embeddings/overrides/isolates (category Cf) are dropped by clean() too.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@given(
    st.text(
        # Cs: a lone surrogate is no text (it cannot even be written as UTF-8)
        alphabet=st.characters(exclude_categories=["Cc", "Cs"], exclude_characters=BIDI_CONTROLS)
        | st.sampled_from("\n\t")
    )
)
def test_text_without_controls_is_unchanged(text: str) -> None:
    assert clean(text) == text


@given(texts)
def test_clean_line_is_one_clean_line(text: str) -> None:
    line = clean_line(text)
    assert "\n" not in line and "\t" not in line
    assert not FORBIDDEN.search(line)
    assert line == line.strip()
    assert clean_line(line) == line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("red \x1b[31malert\x1b[0m done", "red alert done"),  # CSI (SGR)
        ("clear\x1b[2J\x1b[H screen", "clear screen"),  # CSI with parameters
        ("title \x1b]0;pwned\x07 here", "title  here"),  # OSC ended by BEL
        ("link \x1b]8;;http://evil.example\x1b\\text\x1b]8;;\x1b\\ end", "link text end"),
        ("reverse \x1bM index", "reverse  index"),  # two-byte escape (Fe)
        ("keypad \x1b= mode", f"keypad {REPLACEMENT}= mode"),  # other escapes: defused
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("bell\x07", f"bell{REPLACEMENT}"),
        ("nul\x00byte", f"nul{REPLACEMENT}byte"),
        ("del\x7f", f"del{REPLACEMENT}"),
        ("c1 csi \x9b31m", f"c1 csi {REPLACEMENT}31m"),  # 8-bit CSI: the sequence is defused
        ("c1 osc \x9d0;x\x9c", f"c1 osc {REPLACEMENT}0;x{REPLACEMENT}"),
        ("next line \x85 c1", f"next line {REPLACEMENT} c1"),
        ("lone escape \x1b", f"lone escape {REPLACEMENT}"),
        ("café — ünïcode ✓", "café — ünïcode ✓"),
    ],
)
def test_clean_examples(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_unterminated_osc_does_not_swallow_the_rest_of_the_note() -> None:
    # A stray "ESC ]" in a paste once ate everything after it, across lines.
    cleaned = clean("before \x1b]0;half a title\nsecond line, every word kept")
    assert cleaned == "before 0;half a title\nsecond line, every word kept"


def test_clean_line_examples() -> None:
    assert clean_line("  Camille\tLefèvre\r\n(démo) \x1b[1m ") == "Camille Lefèvre (démo)"
    assert clean_line("\n\t ") == ""


def test_a_lone_surrogate_is_replaced_not_stored() -> None:
    """An invalid byte in argv reaches Python as a lone surrogate (surrogateescape):
    replaced, so the text can be encoded and saved."""
    assert clean("r\udce9union") == "r\ufffdunion"
    clean("r\udce9union").encode("utf-8")
