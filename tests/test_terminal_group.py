"""A collective session with five participants, from start to handover, in a
real 80x24 terminal (issue 13 §5): aoi in a tmux pane, fed as a terminal feeds
it (bursts, function keys inside them). The store is read in the test process,
never the screen alone."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from aoi_tui.domain.models import GROUP
from tests.terminal_support import ENTER, F4, TerminalAoi

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

F6 = b"\x1b[17~"
F9 = b"\x1b[20~"
ESCAPE = b"\x1b"
CTRL_O = b"\x0f"


@pytest.fixture
def term(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TerminalAoi]:
    def group(t: TerminalAoi) -> None:
        t.engagement = json.loads(t.cli("demo", "--group", "--json"))["id"]

    aoi = TerminalAoi(tmp_path_factory.mktemp("group"), name="group", prepare=group)
    try:
        yield aoi
    finally:
        aoi.close()


def test_a_collective_session_of_five_from_start_to_handover(term: TerminalAoi) -> None:
    people = {
        p.name.split()[0]: p.id for p in term.store.engagement(term.engagement).participants()
    }
    assert len(people) == 5
    term.wait_for("Team 5")  # the list: the group, its form and size
    term.keys("Down", "Down", "Enter")
    term.wait_for("Participants")
    term.keys("n")
    term.wait_for("What kind of session?")
    term.keys("Enter")  # a team's AOI session, offered first
    term.wait_for("Who is here?")
    term.keys("Down", "Space", "Enter")  # Karim is away
    screen = term.wait_for("GROUP-SAFE VIEW")
    assert "About: the group" in screen
    session = max(s.number for s in term.store.engagement(term.engagement).sessions())

    # a burst: a shareable group note, two about people, one naming someone
    term.burst(
        b"Le briefing tient en trois lignes" + F4 + ENTER
        + "@lé explique bien le réglage".encode() + ENTER
        + b"@th reste en retrait" + ENTER
        + "Inès a lancé le tour de table".encode() + ENTER
    )  # fmt: skip
    notes = term.settled(session, 4)
    assert [(n.text, n.about) for n in notes] == [
        ("Le briefing tient en trois lignes", [GROUP]),
        ("@lé explique bien le réglage", [people["Léa"]]),
        ("@th reste en retrait", [people["Thomas"]]),
        ("Inès a lancé le tour de table", [GROUP]),
    ]
    assert notes[0].visibility.value == "shareable"
    screen = term.screen()
    # the note's start: the toast that flags Inès's name covers the list's right half
    assert "briefing" in screen and "Inès a lancé" in screen
    assert "explique" not in screen and "retrait" not in screen  # nothing about a person

    # a note about Karim being typed: masked on screen, every key kept in the draft
    term.burst("@ka a prévenu la veille".encode())
    term.draft_is(session, "@ka a prévenu la veille")
    assert "prévenu" not in term.screen()
    term.keys("C-u")
    term.draft_is(session, "")

    # the long-note editor in one burst: a group line, then @ka (masked from the
    # @ on, every key kept), the draft about Karim; then ctrl+o saves the note
    term.burst(CTRL_O + b"Le point du jour" + ENTER + b"@ka coupe la parole")
    term.wait_for("Masked: this note may be about one person")
    draft = term.draft_is(session, "Le point du jour\n@ka coupe la parole")
    assert draft is not None
    screen = term.screen()
    assert "coupe" not in screen and "point du jour" not in screen and "Karim" not in screen
    term.burst(CTRL_O)
    note = term.settled(session, 5)[-1]
    assert (note.text, note.about) == ("Le point du jour\n@ka coupe la parole", [people["Karim"]])
    assert "coupe" not in term.wait_for("GROUP-SAFE VIEW")

    # the debrief with the group: F4 validates the group note for the four present
    term.burst(F9)
    term.wait_for("Validating for: the group present (4)")
    assert "explique" not in term.screen() and "retrait" not in term.screen()
    term.burst(F4)
    term.wait_for("Validated for the group present")
    ef = term.store.engagement(term.engagement)
    group_note = next(n for n in ef.notes(session) if n.text.startswith("Le briefing"))
    assert {v.by for v in group_note.validations} == {
        pid for name, pid in people.items() if name != "Karim"
    }
    term.burst(ESCAPE)
    term.wait_for("GROUP-SAFE VIEW")

    # the handover: the N+1 comes in, the sponsor-safe view
    term.burst(F6)
    screen = term.wait_for("SPONSOR-SAFE VIEW")
    assert "Handover" in screen
    assert "what the team" in screen and "coachee agreed" not in screen  # the panel's title
    for text in ("explique", "retrait", "tour de table", "briefing"):
        assert text not in screen  # Karim has not validated the group's note yet
