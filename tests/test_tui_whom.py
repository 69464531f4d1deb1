"""Whom each note concerns, in a group's notes lists (issue 13 §4): the live
session's list and the debrief's say it in a few letters ("@Léa", "group") with
the coach alone, and, with the group or an N+1 in the room, never a name the
view hides. An individual engagement's lists are unchanged, and a group's list
of 2,000 notes measures no more rows than before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings, strategies as st

from aoi_tui.config import i18n
from aoi_tui.domain import clock
from aoi_tui.domain.models import GROUP, Engagement, Form, Note, Participant, SessionKind
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.group_room import short_names, whom_in_short
from aoi_tui.screens.notes_list import NotesList
from aoi_tui.store.store import Store
from tests.test_tui_group import group_app, people, start_team_session
from tests.test_tui_session_widgets import Harness
from tests.tui_support import freeze, notes_list_text, on_screen, paste, screen_text, settle


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


NOTES = (
    ("Le briefing tient en trois lignes", "@group"),
    ("@lé explique bien le réglage", "@Léa"),
    ("@lé et @ka se relaient mal", "@Léa, Karim"),
    ("@lé @ka @so trois postes", "@Léa +2"),
)


async def test_each_note_says_whom_it_concerns_as_the_room_may_read_it(store: Store) -> None:
    app, eid = group_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_team_session(pilot, eid)
        for text, _ in NOTES:
            await paste(pilot, text)
            await pilot.press("enter")
        await settle(pilot, screen)
        names = {w for p in people(store, eid).values() for w in p.name.split()}
        # with the group in the room (as the session opens), then with the N+1: the
        # group's note says so, and no line names anyone
        for key, room in (("f2", Room.SPONSOR), ("f2", Room.GROUP)):
            lines = notes_list_text(screen)
            assert lines == [] or all("@group" in line for line in lines), app.room
            assert not names & set(" ".join(lines).replace(",", " ").split()), app.room
            await pilot.press(key)
            await pilot.pause()
            assert app.room is room
        await pilot.press("ctrl+b")  # the coach alone: each note says whom
        await pilot.pause()
        lines = notes_list_text(screen)
        assert len(lines) == len(NOTES)
        for line, (text, whom) in zip(lines, NOTES, strict=True):
            assert f"] {whom} " in line and line.endswith(text), line
        assert "@Léa, Karim" in screen_text(pilot)

        await pilot.press("f9")
        debrief = await on_screen(pilot, DebriefScreen)
        header = debrief.notes.labels
        assert header[3] == "Whose"
        assert [row[3] for row in debrief.notes.texts()] == [w[1:] for _, w in NOTES]
        for key in ("ctrl+b", "f2"):  # the group, then the N+1: no name in any cell
            await pilot.press(key)
            await pilot.pause()
            rows = debrief.notes.texts()
            assert {row[3] for row in rows} <= {"group"}, app.room
            assert not names & set(" ".join(c for row in rows for c in row).split())


async def test_a_group_of_2000_notes_measures_one_row_for_a_note_and_none_for_the_room() -> None:
    """Saying whom costs nothing on the paths that must stay fast: a note typed in
    a group's session of 2,000 notes measures that note alone, and the group coming
    in and going out measures none (the lines kept are the same)."""
    team = [Participant(name=n) for n in ("Léa Garnier", "Karim Benali", "Sophie Marchand")]
    group = Engagement(form=Form.TEAM, group="Ligne 2", sponsor="Sandrine Caron", participants=team)
    abouts = [[GROUP], [team[0].id], [team[0].id, team[1].id]]
    start = clock.now()
    listed = [
        Note(
            session=1,
            phase="review",
            text=f"note {i}",
            about=abouts[i % 3],
            created_at=start + timedelta(seconds=i),
        )
        for i in range(2000)
    ]
    widget = NotesList(SessionKind.TEAM_AOI)
    async with Harness(widget).run_test(size=(80, 24)) as pilot:
        widget.for_room(Room.COACH, group)
        widget.set_notes(listed)
        await pilot.pause()
        assert "@Léa, Karim" in widget.texts()[2]
        widget.measured = widget.drawn = 0
        for room in (Room.GROUP, Room.COACH):
            widget.for_room(room, group.model_copy())  # read again, as the screen does
            await pilot.pause()
        assert len(widget.rows) == 2000 and widget.measured == 0
        new = Note(session=1, phase="review", text="qn", about=[team[2].id])
        new.created_at = start + timedelta(days=1)
        widget.add(new)
        await pilot.pause()
        assert widget.measured == 1 and widget.texts()[-1].endswith("@Sophie review: qn")


def test_an_individual_engagement_s_lines_say_no_one() -> None:
    coachee = Engagement(coachee="Camille Lefèvre", sponsor="Marc Dubois")
    note = Note(session=1, phase="review", text="x", about=[coachee.participants[0].id])
    assert whom_in_short(note, coachee, Room.COACH) == ""


PEOPLE = ["Claire Dupont", "Claire Durand", "Léa", "Léa Garnier", "Karim Benali", "Anne Roy"]


@settings(max_examples=30, deadline=None)
@given(
    names=st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=6, unique=True),
    picks=st.lists(st.integers(0, 5), max_size=4),
    group_item=st.booleans(),
    room=st.sampled_from(list(Room)),
    lang=st.sampled_from(i18n.LANGUAGES),
)
def test_whom_names_only_those_it_concerns_and_no_one_before_the_room(
    names: list[str], picks: list[int], group_item: bool, room: Room, lang: str
) -> None:
    """Whatever the group, the note and the room: with the group or an N+1 in the
    room the words are the group's or nothing, never a name; with the coach alone
    they name those the note concerns and no one else, each told apart from the
    others of the group."""
    i18n.set_language(lang)
    try:
        team = [Participant(name=n) for n in names]
        group = Engagement(form=Form.PEERS, group="Codév", participants=team)
        about = [GROUP] if group_item else sorted({team[i % len(team)].id for i in picks})
        said = whom_in_short(Note(session=1, phase="news", text="x", about=about), group, room)
        short = short_names(group)
        assert len(set(short.values())) == len(team), "each told apart"
        if group_item:
            assert said == i18n.t("ui.about.short_group")
        elif room is not Room.COACH:
            assert said == ""
        elif not about:
            assert said == "—"
        else:
            first, _, more = said.partition(" +")
            shown = first.split(", ")
            concerned = [short[p.id] for p in team if p.id in about]
            assert shown == concerned[: len(shown)]
            assert int(more or 0) == len(concerned) - len(shown)
    finally:
        i18n.set_language("en")
