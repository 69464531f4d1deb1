"""A group's session as the coach moves through it, keys only (issue 13 §2, §3):
the note being typed says whom it concerns after F5/F6 as Enter will save it,
and is masked at once in front of the group when a phase change makes it a
person's; leaving a screen that brought the N+1 or the group in leaves them in
the room until the coach says they left (F2, ctrl+b)."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Static

from aoi_tui.domain.models import Agreement, Engagement, Form, Participant, SessionKind
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.session import SessionScreen
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, on_screen, settle


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def peer_group(store: Store) -> tuple[str, Participant, Participant]:
    """A peer group of two who consented; session 1, Damien's case."""
    agreed = Agreement(consent_date=date(2026, 9, 1), report_attendance=False)
    damien = Participant(name="Damien Roux", sponsor="Anne Blanc", agreement=agreed)
    claire = Participant(name="Claire Moreau", sponsor="Paul Vidal", agreement=agreed)
    ef = store.create_engagement(
        Engagement(form=Form.PEERS, group="Codev", participants=[damien, claire])
    )
    ef.new_session(SessionKind.PEER, attendance=[damien.id, claire.id], case_bringer=damien.id)
    return ef.id, damien, claire


def about_shown(screen: SessionScreen) -> str:
    widget = screen.query_one("#next-about", Static)
    return str(widget.render()) if widget.display else ""


async def test_whom_the_note_being_typed_concerns_follows_the_phase_before_enter(
    store: Store,
) -> None:
    """Damien brings the case: what is said in its phases is his. A note typed in
    the news ('About: the group'), then F6: the line says Damien at once and,
    with the group in the room, the words are masked before any other key; Enter
    saves it as his. Typed in the request, then F5: 'About: the group', saved so.
    The line used to keep the phase before until the next key, the mask too."""
    eid, damien, _ = peer_group(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(SessionScreen(eid, 1, resume=False))
        screen: SessionScreen = await on_screen(pilot, SessionScreen)
        field = screen.query_one("#note-input", Input)
        assert app.room is Room.GROUP and screen.live.phase == "news"
        await pilot.press(*"le planning")
        assert not field.password and about_shown(screen) == "About: the group"
        await pilot.press("f6")  # the request: Damien's case
        await pilot.pause()
        assert screen.live.phase == "request"
        assert field.password, "a note that became Damien's is shown to the group"
        await pilot.press("enter")
        await pilot.press("ctrl+b")  # the coach alone
        await pilot.pause()
        assert about_shown(screen) == "About: Damien Roux"
        await pilot.press(*"son contrat")
        await pilot.press("f5")  # back to the news: the group's
        await pilot.pause()
        assert about_shown(screen) == "About: the group"
        await pilot.press("enter")
        await settle(pilot, screen)
        notes = store.engagement(eid).notes(1)
        assert [(n.text, n.about) for n in notes] == [
            ("le planning", [damien.id]),
            ("son contrat", ["group"]),
        ]


async def test_leaving_a_screen_leaves_whoever_is_in_the_room_there(store: Store) -> None:
    """The team's session left with the group in the room (Escape), resumed and left
    at its handover (the N+1 in); the closing review and the framing (held with the
    N+1) left with Escape: whoever was in the room is still there on the
    engagement screen, until F2 (the N+1 leaves) or ctrl+b (the group). Each
    gave the room back to the coach alone, the N+1 or the group still there,
    where an individual session's Escape kept the N+1's view. And the planning
    (days, who cancelled) is covered for the group as it is for the N+1."""
    from aoi_tui.demo import create_group_demo
    from aoi_tui.domain.planning import CancelledBy, plan
    from aoi_tui.screens.engagement import EngagementScreen
    from aoi_tui.screens.planning import PlanningScreen
    from aoi_tui.store.agenda import add_planned, mark_planned
    from tests.tui_support import screen_text

    eid, _ = create_group_demo(store)
    planned = add_planned(store, eid, plan("2026-12-14 09:00", "UTC"))
    mark_planned(store, eid, planned.id, by=CancelledBy.COACHEE)
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(EngagementScreen(eid))
        await on_screen(pilot, EngagementScreen)
        await pilot.press("n", "enter")  # a team's AOI session
        await pilot.pause()
        await pilot.press("enter")  # everyone there
        await on_screen(pilot, SessionScreen)
        assert app.room is Room.GROUP
        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen)
        assert app.room is Room.GROUP, "the group left with the session's screen"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.room is Room.COACH
        await pilot.press("r")  # resumed: the group again
        await on_screen(pilot, SessionScreen)
        await pilot.press("f6", "f6", "f6")  # to the handover: the N+1 in
        await pilot.pause()
        assert app.room is Room.SPONSOR
        for key in ("escape", "c", "escape", "f", "escape"):  # the session, closing, framing
            await pilot.press(key)
            await pilot.pause()
            if key == "escape":
                await on_screen(pilot, EngagementScreen)
                assert app.room is Room.SPONSOR, f"the N+1 left with {type(app.screen)}"
                await pilot.press("f2")
                await pilot.pause()
                assert app.room is Room.COACH
        await pilot.press("ctrl+b")  # the group comes in
        await pilot.pause()
        assert app.room is Room.GROUP
        await pilot.press("a")
        await on_screen(pilot, PlanningScreen)
        seen = screen_text(pilot)
        assert "2026-12-14" not in seen and "Hidden while" in seen, seen
        await pilot.press("ctrl+b")  # the group leaves: the coach's planning
        await pilot.pause()
        assert app.room is Room.COACH
        assert "2026-12-14" in screen_text(pilot)
