"""Text folded for matching names and dates whatever their case, accents or
typography ("ÉLODIE", "elodie", "Élodie" typed decomposed, "d’Élodie", a soft
hyphen inside a word), with the way back from a place in the folded text to
the original: what is found in the folded text is replaced in the original.

Each character folds on its own (to none, one or several characters): lower
case, without accents, ligatures opened (œ, æ, ß), every apostrophe one `'`,
every dash one `-`, invisible format characters (soft hyphen, zero-width
space and joiner) and lone combining marks dropped."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

_APOSTROPHES = frozenset("'’‘ʼ`´′ʹ＇")
_DASHES = frozenset("‐‑‒–—―−﹣－")
# Letters NFKD leaves whole, and what a name typed without them would hold.
_OPENED = {"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_OPENED |= {"ħ": "h", "ŧ": "t", "ŀ": "l"}


@cache
def fold_char(ch: str) -> str:
    """One character folded: none, one or several characters."""
    if ch in _APOSTROPHES:
        return "'"
    if ch in _DASHES:
        return "-"
    if unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return ""
    out = []
    for c in ch.casefold():
        c = _OPENED.get(c, c)
        out.append(
            "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
        )
    return "".join(out).casefold()


def fold(text: str) -> str:
    return "".join(fold_char(ch) for ch in text)


@dataclass(frozen=True)
class Folded:
    """A text folded, and for each folded character the index of the original
    character it comes from."""

    original: str
    text: str
    origin: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> Folded:
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(original):
            folded = fold_char(ch)
            chars.append(folded)
            origin.extend([i] * len(folded))
        return cls(original, "".join(chars), tuple(origin))

    def start(self, at: int) -> int:
        """The original index where the folded text's index `at` starts."""
        return self.origin[at] if at < len(self.origin) else len(self.original)

    def end(self, at: int) -> int:
        """The original index just after the folded span ending at `at`,
        extended over what folded to nothing right after it (a combining
        accent, a soft hyphen): no mark of a name is left behind."""
        if at <= 0:
            return 0
        end = self.origin[at - 1] + 1
        while end < len(self.original) and not fold_char(self.original[end]):
            end += 1
        return end

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.start(start), self.end(end)


# What may stand between a sentence's end (or a line's start) and its first
# word: spaces, Markdown emphasis and list or quote marks, opening quotes.
_BEFORE_A_WORD = frozenset(" \t\u00a0\u202f*_\"'«“‘„(>[#-+~`")
_SENTENCE_ENDS = frozenset(".!?…")


def starts_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` starts a sentence, a line or the text."""
    i = at - 1
    while i >= 0 and (text[i] in _BEFORE_A_WORD or text[i] == "\n"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS
