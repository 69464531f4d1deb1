"""Who is in the room: one reactive on the App (`room`), which every screen follows
through Textual's `watch`: the screens under the one in view, a screen opened
while the N+1 is there, and never a screen already closed."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from aoi_tui.config.i18n import plural, t
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.follow_up import FollowUpScreen
from aoi_tui.store.store import Store
from tests.tui_support import demo_id, freeze, make_app, on_screen, text_of


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def shared_counts(screen: EngagementScreen) -> list[str]:
    table = screen.query_one("#sessions", DataTable)
    return [str(table.get_row_at(i)[3]) for i in range(table.row_count)]


async def test_every_screen_of_the_stack_follows_who_is_in_the_room(store: Store) -> None:
    app = make_app(store)
    feeling = t("ui.follow.feeling")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        engagement = await on_screen(pilot, EngagementScreen)
        all_notes = shared_counts(engagement)
        await pilot.press("p")
        follow = await on_screen(pilot, FollowUpScreen)
        assert app.room is Room.COACH and not follow.has_class("-sponsor-safe")
        assert feeling in text_of(follow, "#progress")

        await pilot.press("f2")  # the N+1 walks in
        assert app.room is Room.SPONSOR and app.sponsor_safe
        assert follow.has_class("-sponsor-safe") and feeling not in text_of(follow, "#progress")
        # the screen under it was told too: only the notes that reach the N+1 counted
        assert engagement.has_class("-sponsor-safe")
        assert shared_counts(engagement) == ["1", "1", "2", "0"] != all_notes

        await pilot.press("escape")
        await on_screen(pilot, EngagementScreen)
        await pilot.press("p")  # opened with the N+1 in the room: in their view at once
        again = await on_screen(pilot, FollowUpScreen)
        assert again is not follow
        assert again.has_class("-sponsor-safe") and feeling not in text_of(again, "#progress")

        await pilot.press("f2")  # the N+1 leaves
        assert app.room is Room.COACH
        assert feeling in text_of(again, "#progress")
        assert shared_counts(engagement) == all_notes
        # the first follow-up screen, closed, is no longer told (its watcher went with it)
        assert follow.has_class("-sponsor-safe")


async def test_the_engagement_screen_shows_the_n1_no_session_date_the_agreement_does_not_report(
    store: Store,
) -> None:
    """The agreement's `report_attendance` off: the N+1's report holds no session
    date nor number, so neither does the engagement screen with the N+1 in the room
    (F2): no session row, no count of sessions, no planned day, no days overdue."""
    app = make_app(store)
    ef = store.engagement(demo_id(store))
    eng = ef.engagement()
    eng.agreement = eng.agreement.model_copy(update={"report_attendance": False})
    ef.save_engagement(eng)
    store.refresh_summary(eng.id)
    held = [s.held_on.isoformat() for s in ef.sessions()]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        engagement = await on_screen(pilot, EngagementScreen)
        table = engagement.query_one("#sessions", DataTable)
        assert table.row_count == len(held) > 0  # the coach sees them
        await pilot.press("f2")  # the N+1 walks in
        await pilot.pause()
        summary = text_of(engagement, "#summary")
        assert table.row_count == 0
        assert f"/{eng.planned_sessions}" not in summary
        assert not any(day in summary for day in held)
        await pilot.press("f2")  # the N+1 leaves: everything back
        await pilot.pause()
        assert table.row_count == len(held)


async def test_a_toast_the_coach_saw_leaves_when_the_n1_or_the_group_comes_in(
    store: Store,
) -> None:
    """'Validated for Léa Martin' stayed on screen, for seconds, after F2 let the N+1
    in (seen in a team's debrief): a toast said to the coach alone leaves with the
    room; the one that says the room changed stays."""
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for room in (Room.SPONSOR, Room.GROUP):
            app.room = Room.COACH
            app.notify("Validated for Léa Martin")
            await pilot.pause()
            app.room = room
            app.notify("the room changed")
            await pilot.pause()
            said = [n.message for n in app._notifications]
            assert said == ["the room changed"], room


async def test_the_balance_of_roles_is_covered_while_the_n1_is_in_the_room(store: Store) -> None:
    """The balance of roles that ends a session counted every note, private ones
    too ('Mirror 4 notes' where the N+1 had seen two): the coach's own reflection,
    covered while the N+1 or the group is in the room, back with the coach alone."""
    from aoi_tui.screens.role_balance import RoleBalanceScreen

    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ef = store.engagement(demo_id(store))
        session = ef.sessions()[0]
        app.room = Room.SPONSOR
        await app.push_screen(RoleBalanceScreen(session, ef.notes(session.number)))
        await pilot.pause()
        notes_word = plural("ui.balance.notes", 2).split()[-1]
        assert notes_word not in text_of(app.screen, "#balance")
        app.room = Room.COACH
        await pilot.pause()
        assert notes_word in text_of(app.screen, "#balance")
        app.room = Room.GROUP
        await pilot.pause()
        assert notes_word not in text_of(app.screen, "#balance")
