"""Who is in the room, kept where the N+1 or the group still is (issue 13 §3),
driven through the keys a coach presses: a session resumed at its handover
(Escape then `r`, or "Resume" as aoi starts again after a crash) opens in the N+1's view,
as F6 left it; ending a session (F10, y) leaves the N+1 or the group in the
room, so the balance of roles (it counts private notes) and the engagement
screen after it show only what they may read; the export screen names, before
the N+1 or the group, only those the engagement screen names there."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import OptionList, Select

from aoi_tui.demo import create_demo, create_group_demo
from aoi_tui.domain.models import SessionKind
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.engagement import EngagementScreen, NewSessionScreen
from aoi_tui.screens.export import ExportScreen
from aoi_tui.screens.role_balance import RoleBalanceScreen
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.tui_support import (
    freeze,
    notes_list_text,
    on_screen,
    screen_text,
    session_screen,
    text_of,
    type_note,
)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


GROUP_NOTE = "le planning du matin coince"
"""Shareable, not validated: the group may read it, the N+1 may not."""
PRIVATE_NOTE = "hésite à parler devant Karim"


async def open_engagement(pilot: Any, eid: str) -> EngagementScreen:
    await pilot.pause()
    pilot.app.push_screen(EngagementScreen(eid))
    return await on_screen(pilot, EngagementScreen)


async def start(pilot: Any, eid: str, *, group: bool) -> SessionScreen:
    """n, the kind offered (a team's AOI session, or an AOI session), Enter; a
    team's attendance: everyone."""
    await open_engagement(pilot, eid)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("enter")
    if group:
        await pilot.pause()
        await pilot.press("enter")
    return await on_screen(pilot, SessionScreen)


async def note(pilot: Any, text: str, *, shareable: bool = False) -> None:
    if shareable:
        await pilot.press("f4")
    await type_note(pilot, text)  # pasted: a key at a time is slow, and not the point


def seen_in_the_session(pilot: Any) -> str:
    """The terminal, and every line of the notes list (below the fold too)."""
    return screen_text(pilot) + "\n".join(notes_list_text(session_screen(pilot)))


async def test_a_session_resumed_at_its_handover_opens_in_the_n1_s_view(store: Store) -> None:
    """A team's session left at its handover (Escape) and resumed with `r`, and an
    individual one resumed after the coach was alone again (as aoi opens after a
    crash or a dropped link: the coach's view, then "Resume"): the N+1 is in the
    room, so the sponsor-safe view, unvalidated and private notes hidden. It
    opened in the group-safe view (the team's: both notes listed, the private one
    in full) or the coach's (every note)."""
    team, _ = create_group_demo(store)
    coachee, _ = create_demo(store)
    app = AoiApp(store.root, store)
    async with app.run_test(size=(80, 24)) as pilot:
        for eid, group in ((team, True), (coachee, False)):
            await start(pilot, eid, group=group)
            await note(pilot, GROUP_NOTE, shareable=True)
            await note(pilot, PRIVATE_NOTE)
            await pilot.press("f6", "f6", "f6")  # review, field, debrief, handover
            await pilot.pause()
            assert app.room is Room.SPONSOR
            await pilot.press("escape")  # the session left open at its handover
            await on_screen(pilot, EngagementScreen)
            if app.room is Room.SPONSOR:
                await pilot.press("f2")  # an individual's: the coach alone again
                await pilot.pause()
            assert app.room is Room.COACH
            await pilot.press("r")
            await on_screen(pilot, SessionScreen)
            await pilot.pause()
            assert app.room is Room.SPONSOR, eid
            seen = seen_in_the_session(pilot)
            assert "SPONSOR-SAFE VIEW" in seen, eid
            assert GROUP_NOTE not in seen and PRIVATE_NOTE not in seen, eid
            await pilot.press("escape")
            await on_screen(pilot, EngagementScreen)
            await pilot.press("escape")


async def test_ending_a_session_leaves_the_n1_or_the_group_in_the_room(store: Store) -> None:
    """F10, y at a team's handover: the balance of roles counted every note in
    front of the N+1, the private one too, where the N+1 had been shown none; the
    engagement screen after it gave each one's agreement. Now both stay as the N+1
    may read them until F2; a closing review (held with the N+1 from the start)
    likewise (its private note: '1 note' once the N+1 left); ctrl+b covers it for
    the group."""
    team, _ = create_group_demo(store)
    app = AoiApp(store.root, store)
    notes_word = "notes"  # 'Mirror 2 notes': the balance's counts
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, team, group=True)
        await note(pilot, GROUP_NOTE, shareable=True)
        await note(pilot, PRIVATE_NOTE)
        await pilot.press("f6", "f6", "f6")
        await pilot.pause()
        assert app.room is Room.SPONSOR
        await pilot.press("f10", "y")
        balance = await on_screen(pilot, RoleBalanceScreen)
        assert app.room is Room.SPONSOR
        assert notes_word not in text_of(balance, "#balance")
        await pilot.press("enter")
        engagement = await on_screen(pilot, EngagementScreen)
        people = text_of(engagement, "#people")
        assert "Léa Garnier" in people and "consent" not in people.casefold()
        await pilot.press("f2")  # the N+1 leaves: the coach alone
        await pilot.pause()
        assert "consent" in text_of(engagement, "#people").casefold()

        # the closing review, the N+1 in the room from the start; a private note
        await pilot.press("n")
        kinds = await on_screen(pilot, NewSessionScreen)
        steps = (
            kinds.kinds.index(SessionKind.GROUP_CLOSING) - kinds.query_one(OptionList).highlighted
        )
        await pilot.press(*["down"] * steps, "enter")
        await pilot.pause()
        await pilot.press("enter")  # everyone present
        screen = await on_screen(pilot, SessionScreen)
        assert screen.session.kind is SessionKind.GROUP_CLOSING
        assert app.room is Room.SPONSOR
        await note(pilot, PRIVATE_NOTE)
        await pilot.press("f10", "y")
        balance = await on_screen(pilot, RoleBalanceScreen)
        assert app.room is Room.SPONSOR
        assert notes_word not in text_of(balance, "#balance")
        await pilot.press("f2")  # the N+1 leaves: the coach's own reflection
        await pilot.pause()
        assert "1 note" in text_of(balance, "#balance")
        await pilot.press("ctrl+b")  # the group in the room (or still there): covered
        await pilot.pause()
        assert app.room is Room.GROUP
        assert notes_word not in text_of(balance, "#balance")
        await pilot.press("ctrl+b")  # and gone
        await pilot.pause()
        assert app.room is Room.COACH


async def test_the_export_screen_names_before_the_n1_or_the_group_only_whom_the_room_may_hear(
    store: Store,
) -> None:
    """Inès withdrew; Sophie reports nothing about herself, and attendance is not
    reported: the engagement screen names neither before the N+1, nor Inès before
    the group. The export screen listed 'Recap for Inès Dupuis' and 'Recap for
    Sophie Marchand' there all the same."""
    team, _ = create_group_demo(store)
    ef = store.engagement(team)
    e = ef.engagement()
    for p in e.participants:
        p.agreement = p.agreement.model_copy(update={"report_attendance": False})
        if p.name == "Inès Dupuis":
            p.withdrawn_on = date(2026, 11, 20)
    ef.update(e)
    app = AoiApp(store.root, store)
    async with app.run_test(size=(80, 24)) as pilot:
        engagement = await open_engagement(pilot, team)
        await pilot.press("e")
        export = await on_screen(pilot, ExportScreen)
        audience = export.query_one("#audience", Select)

        def recaps() -> set[str]:
            return {
                str(label).removeprefix("Recap for ")
                for label, _ in audience._options
                if str(label).startswith("Recap for ") and "group" not in str(label)
            }

        everyone = {p.name for p in e.participants}
        assert recaps() == everyone
        for room in (Room.SPONSOR, Room.GROUP, Room.COACH):
            app.room = room
            await pilot.pause()
            named = text_of(engagement, "#people")
            assert recaps() == {n for n in everyone if n in named}, room
            assert audience.value in {key for _, key in audience._options}
        app.room = Room.SPONSOR
        await pilot.pause()
        assert recaps() == {"Léa Garnier", "Karim Benali", "Thomas Roux"}
