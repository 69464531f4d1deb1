"""Every keystroke lands, in a real terminal (issue 10): `aoi` runs in a tmux pane
and gets its keys the way a slow SSH link, a paste or a fast typist sends them,
several keys per write. Before the fix, three notes sent in one burst were saved
as three copies of all three texts run together, and five longer ones as one
note with the rest lost.

The property test draws notes (accents, emoji, CJK, punctuation), where F3 and F4
fall inside each note, and where the byte stream is cut into writes; the store
must hold exactly those notes, in order, with their kind and visibility, and the
draft on disk must be what follows the last Enter.

`./dev test` installs tmux; under CI=true a missing tmux fails these tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.domain import clock
from aoi_tui.domain.models import Note
from aoi_tui.domain.vocabulary import NoteKind, SessionKind, Visibility
from aoi_tui.live import session_clock
from tests.terminal_support import CTRL_U, ENTER, F3, F4, Chunk, TerminalAoi

QUICK_KINDS = [NoteKind.OBSERVATION, NoteKind.SUCCESS, NoteKind.DIFFICULTY]
EXAMPLES = int(os.environ.get("AOI_BURST_EXAMPLES", "8"))
"""Modest in the suite (each example types into a live aoi); raise it to hunt."""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TerminalAoi, int]]:
    """One aoi in a live session for the whole module: examples follow each other in it."""
    term = TerminalAoi(tmp_path_factory.mktemp("bursts"))
    try:
        yield term, term.new_session()
    finally:
        term.close()


def saved_texts(term: TerminalAoi, session: int, count: int) -> list[str]:
    return [n.text for n in term.settled(session, count)]


def test_the_burst_of_the_report_lands_note_by_note(live: tuple[TerminalAoi, int]) -> None:
    term, session = live
    before = len(term.notes(session))
    three = ["Salve A SALVEA", "Salve B SALVEB", "Salve C SALVEC"]
    term.burst(b"".join(t.encode() + ENTER for t in three))
    assert saved_texts(term, session, before + 3)[before:] == three

    five = [
        f"Note {i}: la réunion d'équipe du lundi a montré des tensions sur la sécurité, zone {i}"
        for i in range(1, 6)
    ]
    # the second note is made shareable with F4, in the middle of the burst
    stream = b"".join(
        t.encode()[:10] + (F4 if i == 1 else b"") + t.encode()[10:] + ENTER
        for i, t in enumerate(five)
    )
    term.burst(stream + b"et la suite")
    notes = term.settled(session, before + 8)[before + 3 :]
    assert [n.text for n in notes] == five
    assert [n.visibility for n in notes] == [
        Visibility.SHAREABLE if i == 1 else Visibility.PRIVATE for i in range(5)
    ]
    draft = term.draft_is(session, "et la suite")
    assert draft is not None and draft.visibility == Visibility.PRIVATE.value
    term.burst(CTRL_U)
    term.draft_is(session, "")


# -- the property --------------------------------------------------------------------------

LETTERS = st.characters(
    codec="utf-8",
    categories=["L", "N", "P", "S"],  # printable: no controls, format marks or lone spaces
    exclude_characters="\x7f",
)
TEXT = (
    st.text(st.one_of(LETTERS, st.sampled_from("éèàçœÉ’« »😀🙂 ")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


@dataclass
class Typed:
    text: str
    kind_presses: int  # F3, inside the note
    share_presses: int  # F4, inside the note
    at: int  # where in the text they fall

    def presses(self) -> list[bytes]:
        chars = [c.encode() for c in self.text]
        return [
            *chars[: self.at],
            *[F3] * self.kind_presses,
            *[F4] * self.share_presses,
            *chars[self.at :],
            ENTER,
        ]

    @property
    def kind(self) -> NoteKind:
        return QUICK_KINDS[self.kind_presses]

    @property
    def visibility(self) -> Visibility:
        return Visibility.SHAREABLE if self.share_presses % 2 else Visibility.PRIVATE


@st.composite
def typed_notes(draw: st.DrawFn) -> Typed:
    text = draw(TEXT)
    return Typed(
        text,
        draw(st.integers(0, 2)),
        draw(st.integers(0, 3)),
        draw(st.integers(0, len(text))),
    )


@st.composite
def bursts(draw: st.DrawFn) -> tuple[list[Typed], str, list[Chunk]]:
    """Notes, the text typed after the last Enter, and the writes they arrive in:
    cut anywhere between two keys (an Enter or a function key inside a write or at
    its edge), most writes back to back, some after a pause."""
    notes = draw(st.lists(typed_notes(), min_size=1, max_size=5))
    tail = draw(st.one_of(st.just(""), TEXT))
    keys = [k for n in notes for k in n.presses()] + [c.encode() for c in tail]
    # 0..7: same write; 8: a new write at once; 9: a new write after a pause
    cuts = draw(st.lists(st.integers(0, 9), min_size=len(keys) - 1, max_size=len(keys) - 1))
    chunks = [Chunk(keys[0])]
    for key, cut in zip(keys[1:], cuts, strict=True):
        if cut >= 8:
            chunks[-1].pause = 0.03 if cut == 9 else 0.0
            chunks.append(Chunk(key))
        else:
            chunks[-1].data += key
    return notes, tail, chunks


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(burst=bursts())
def test_any_burst_of_notes_lands_whole_once_in_order(
    live: tuple[TerminalAoi, int], burst: tuple[list[Typed], str, list[Chunk]]
) -> None:
    term, session = live
    notes, tail, chunks = burst
    before = len(term.notes(session))
    term.write(*chunks)
    saved = term.settled(session, before + len(notes))[before:]
    try:
        assert [n.text for n in saved] == [n.text for n in notes]
        assert [n.visibility for n in saved] == [n.visibility for n in notes]
        assert [n.kind for n in saved] == [n.kind for n in notes]
        draft = term.draft_is(session, tail)
        assert draft is None or draft.visibility == Visibility.PRIVATE.value
    finally:
        term.burst(CTRL_U)  # the next example starts from an empty input
        term.draft_is(session, "")


# -- pastes, resizes, odd bytes ------------------------------------------------------------


def test_pastes_one_line_and_several_lines(live: tuple[TerminalAoi, int]) -> None:
    term, session = live
    before = len(term.notes(session))
    # one line, bracketed, then Enter in the same write: one note
    term.paste("Collé d'un courriel : « objectif atteint »")
    term.burst(ENTER)
    assert (
        saved_texts(term, session, before + 1)[-1] == "Collé d'un courriel : « objectif atteint »"
    )

    # escape sequences inside a paste never reach the note, the words do
    term.paste("avant \x1b[2J\x1b]0;titre\x07après")
    term.burst(ENTER)
    assert saved_texts(term, session, before + 2)[-1] == "avant après"

    # several lines (and a lone \r): the long-note editor opens with all of them
    term.paste("première ligne\nseconde ligne\rtroisième")
    term.wait_for("troisième")
    term.keys("C-o")  # the editor saves
    assert saved_texts(term, session, before + 3)[-1] == "première ligne\nseconde ligne\ntroisième"


def test_a_resize_in_the_middle_of_a_burst_loses_nothing(live: tuple[TerminalAoi, int]) -> None:
    term, session = live
    before = len(term.notes(session))
    texts = [f"Pendant le redimensionnement {i}" for i in range(4)]
    term.burst(b"".join(t.encode() + ENTER for t in texts[:2]) + texts[2][:12].encode())
    term.resize(40, 15)
    term.burst(texts[2][12:].encode() + ENTER)
    term.resize(120, 40)
    term.burst(texts[3].encode() + ENTER)
    term.resize(80, 24)
    assert saved_texts(term, session, before + 4)[before:] == texts


def test_an_invalid_utf8_byte_is_not_a_crash(live: tuple[TerminalAoi, int]) -> None:
    """What a Latin-1 terminal sends for é: the app goes on, the note is saved."""
    term, session = live
    before = len(term.notes(session))
    term.burst(b"caf\xe9 au lait" + ENTER)
    saved = saved_texts(term, session, before + 1)[-1]
    assert term.alive() and "Traceback" not in term.screen()
    assert saved.startswith("caf") and saved.endswith("au lait")


def test_function_keys_in_a_burst_apply_to_the_note_being_typed(
    live: tuple[TerminalAoi, int],
) -> None:
    term, session = live
    before = len(term.notes(session))
    f7 = b"\x1b[18~"  # the next role (the card panel follows), tags the note being typed
    term.burst(b"un" + f7 + b" deux" + ENTER + b"trois" + ENTER)
    notes = term.settled(session, before + 2)[before:]
    assert [n.text for n in notes] == ["un deux", "trois"]
    assert notes[0].role is not None and notes[1].role == notes[0].role


def test_keys_typed_while_a_long_session_is_busy_all_land(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ATTACKS: keys typed at 20 ms while the screen redraws 2,000 notes (seen: lost)."""
    number: list[int] = []

    def two_thousand_notes(term: TerminalAoi) -> None:
        ef = term.store.engagement(term.engagement)
        session = ef.new_session(SessionKind.AOI)
        session_clock.start(session, clock.now())
        ef.update(session)
        with ef.batch():
            for i in range(2000):
                ef.insert(Note(session=session.number, phase="review", text=f"ancienne {i}"))
        number.append(session.number)

    term = TerminalAoi(tmp_path_factory.mktemp("busy"), prepare=two_thousand_notes)
    try:
        term.wait_for("Camille")
        term.keys("r")  # resume the running session
        term.wait_for("Next note:")
        texts = [f"vite {i}, pendant que l'écran se redessine" for i in range(5)]
        for text in texts:
            term.write(*[Chunk(c.encode(), 0.02) for c in text], Chunk(ENTER, 0.02))
        notes = term.settled(number[0], 2005, timeout=60)
        assert [n.text for n in notes[2000:]] == texts
    finally:
        term.close()
