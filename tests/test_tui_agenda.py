"""The agenda in the TUI (issue 15 §1, §2), at 80x24 in English and French: the
first screen says what is planned this week and what is overdue; `a` on the
engagement screen plans a session proposed at the agreed cadence, F5-F8 cancel
one (by whom) or mark a no-show; the end of a session leads to that screen; `h`
on the first screen (and the palette) opens the hours log, which writes its
file, never into the data folder, and hides its names while the N+1 is in the room."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from aoi_tui.config import i18n
from aoi_tui.domain.planning import CancelledBy, PlannedSession, PlanStatus, plan
from aoi_tui.domain.vocabulary import Room
from aoi_tui.store.agenda import add_planned, mark_planned
from aoi_tui.store.store import Store


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_first_screen_shows_this_week_and_what_is_overdue(
    store: Store, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from tests.tui_support import demo_id, freeze, make_app, screen_text

    freeze(monkeypatch)  # 2026-11-23, a Monday
    i18n.set_language(lang)
    try:
        app = make_app(store)
        eid = demo_id(store)
        add_planned(store, eid, plan("2026-11-26 14:00", "Europe/Paris"))
        add_planned(store, eid, plan("2026-11-20 09:00", "Europe/Paris"))  # gone by, not held
        add_planned(store, eid, plan("2026-12-10 09:00", "Europe/Paris"))  # not this week
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            text = screen_text(pilot)
            week = "This week" if lang == "en" else "Cette semaine"
            day = "Thu 26 14:00" if lang == "en" else "jeu. 26 14:00"
            late = "OVERDUE" if lang == "en" else "EN RETARD"
            assert week in text and day in text, text
            assert late in text and "11-20 09:00" in text
            assert "12-10" not in text
            agenda = app.screen.query_one("#agenda")
            assert agenda.region.bottom <= 23 and agenda.region.right <= 80
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_plan_from_the_engagement_screen_at_the_cadence_then_cancel(
    store: Store, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from textual.widgets import Input, OptionList, Static

    from aoi_tui.screens.engagement import EngagementScreen
    from aoi_tui.screens.planning import PlanningScreen
    from tests.tui_support import demo_id, freeze, make_app, on_screen

    freeze(monkeypatch)
    i18n.set_language(lang)
    try:
        app = make_app(store)
        eid = demo_id(store)
        ef = store.engagement(eid)
        before = {p.id for p in ef.all(PlannedSession)}
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.push_screen(EngagementScreen(eid))
            await on_screen(pilot, EngagementScreen)
            await pilot.press("a")
            screen = await on_screen(pilot, PlanningScreen)
            last = max(s.held_on for s in ef.sessions())
            proposed = date.fromordinal(last.toordinal() + ef.engagement().cadence_days)
            when = screen.query_one("#planning-when", Input)
            assert when.value.startswith(proposed.isoformat())
            # a day that does not exist: said, nothing planned
            when.value = "2026-02-30 10:00"
            await pilot.press("ctrl+o")
            await pilot.pause()
            said = str(screen.query_one("#planning-state", Static).render())
            assert "2026-02-30" in said
            assert {p.id for p in ef.all(PlannedSession)} == before
            when.value = "2026-12-17 10:30"
            screen.query_one("#planning-minutes", Input).value = "75"
            await pilot.press("ctrl+o")
            await pilot.pause()
            [new] = [p for p in store.engagement(eid).all(PlannedSession) if p.id not in before]
            assert (new.on, new.at, new.minutes) == (date(2026, 12, 17), time(10, 30), 75)
            listed = screen.query_one("#planning-list", OptionList)
            index = next(
                i for i in range(listed.option_count) if listed.get_option_at_index(i).id == new.id
            )
            listed.focus()
            listed.highlighted = index
            await pilot.press("f6")  # cancelled by the N+1
            await pilot.pause()
            new = store.engagement(eid).get(PlannedSession, new.id)
            assert (new.status, new.cancelled_by) == (PlanStatus.CANCELLED, CancelledBy.SPONSOR)
            await pilot.press("f8")  # already cancelled: said, unchanged
            await pilot.pause()
            assert store.engagement(eid).get(PlannedSession, new.id).status is PlanStatus.CANCELLED
            for widget in screen.query("Input, Select, OptionList"):
                assert widget.region.right <= 80 and widget.region.bottom <= 23, widget
            await pilot.press("escape")
            await on_screen(pilot, EngagementScreen)
    finally:
        i18n.set_language("en")


async def test_the_hours_log_from_the_first_screen(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from textual.widgets import Input, Static

    from aoi_tui.config.i18n import t
    from aoi_tui.screens.commands import AoiCommands
    from aoi_tui.screens.hours import HoursScreen
    from tests.test_hours_log import held, individual
    from tests.tui_support import freeze, make_app, on_screen

    freeze(monkeypatch)
    app = make_app(store)
    ef = individual(store, "Camille Martin", listed=True, email="c@example.org")
    held(ef, 2)
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = [name for name, _, _ in AoiCommands(app.screen)._commands()]
        assert t("ui.agenda.palette_hours") in names
        await pilot.press("h")
        screen = await on_screen(pilot, HoursScreen)
        rows = screen.query_one("#hours-rows")
        assert "Camille Martin" in str(rows.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert "1.25" in str(screen.query_one("#hours-totals", Static).render())
        screen.query_one("#hours-from", Input).value = "2026-02-30"
        await pilot.pause()
        assert "2026-02-30" in str(screen.query_one("#hours-state", Static).render())
        screen.query_one("#hours-from", Input).value = ""
        await pilot.pause()
        screen.query_one("#hours-file", Input).value = str(store.root / "h.csv")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "data folder" in str(screen.query_one("#hours-state", Static).render())
        assert not (store.root / "h.csv").exists()
        screen.query_one("#hours-file", Input).value = str(tmp_path / "h.csv")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert (tmp_path / "h.csv").read_text("utf-8").startswith("Client,")
        app.room = Room.SPONSOR
        await pilot.pause()
        assert screen.query_one(".cover", Static).display
        app.room = Room.COACH


async def test_the_calendar_file_from_the_first_screen(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`c` lists the events as a phone shows them (kind and initials, never the
    name) and writes the iCalendar file `aoi calendar` writes, never into the
    data folder; a cancelled session is in it, cancelled."""
    from icalendar import Calendar
    from textual.widgets import Input, Static

    from aoi_tui.config.i18n import t
    from aoi_tui.screens.calendar import CalendarScreen
    from aoi_tui.screens.commands import AoiCommands
    from aoi_tui.store.agenda import mark_planned
    from tests.test_hours_log import individual
    from tests.tui_support import freeze, make_app, on_screen

    freeze(monkeypatch)
    app = make_app(store)  # the demo's planned sessions are no one's: not in it
    eid = individual(store, "Camille Martin", listed=True, email="c@example.org").id
    name = "Camille Martin"
    add_planned(store, eid, plan("2026-11-26 14:00", "Europe/Paris"))
    gone = add_planned(store, eid, plan("2026-12-03 14:00", "Europe/Paris"))
    mark_planned(store, eid, gone.id, by=CancelledBy.COACHEE, on=date(2026, 11, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = [n for n, _, _ in AoiCommands(app.screen)._commands()]
        assert t("ui.agenda.palette_calendar") in names
        await pilot.press("c")
        screen = await on_screen(pilot, CalendarScreen)
        listed = screen.query_one("#calendar-events")
        rows = [
            str(listed.get_option_at_index(i).prompt)  # type: ignore[attr-defined]
            for i in range(listed.option_count)  # type: ignore[attr-defined]
        ]
        assert rows == sorted(rows), rows  # in the order of the days
        assert any(r.startswith("2026-11-26 14:00") for r in rows), rows
        assert next(r for r in rows if "cancelled" in r).startswith("2026-12-03 14:00"), rows
        assert not any(part in " ".join(rows) for part in name.split()), rows
        state = str(screen.query_one("#calendar-state", Static).render())
        assert f"{len(rows)} events (1 cancelled" in state, state
        await pilot.press(*"~/x.ics")  # typed, not pasted: every key lands
        assert screen.query_one("#calendar-file", Input).value == "~/x.ics"
        screen.query_one("#calendar-file", Input).value = str(store.root / "a.ics")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "data folder" in str(screen.query_one("#calendar-state", Static).render())
        assert not (store.root / "a.ics").exists()
        screen.query_one("#calendar-file", Input).value = str(tmp_path / "a.ics")
        await pilot.press("ctrl+o")
        await pilot.pause()
        said = str(screen.query_one("#calendar-state", Static).render())
        assert f"({len(rows)} events)" in said, said
        events = Calendar.from_ical((tmp_path / "a.ics").read_bytes()).walk("VEVENT")
        assert len(events) == len(rows)
        assert [str(e.get("STATUS")) for e in events].count("CANCELLED") == 1
        assert not any(part in (tmp_path / "a.ics").read_text("utf-8") for part in name.split())


async def test_the_end_of_a_session_proposes_the_next(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aoi_tui.screens.planning import PlanningScreen
    from aoi_tui.screens.role_balance import RoleBalanceScreen
    from tests.tui_support import freeze, make_app, on_screen, screen_text, start_session

    freeze(monkeypatch)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_session(pilot)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("y")
        await on_screen(pilot, RoleBalanceScreen)
        assert "Plan the next session" in screen_text(pilot)
        await pilot.press("a")
        await on_screen(pilot, PlanningScreen)


async def test_the_planned_sessions_are_covered_while_the_n1_is_in_the_room(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F2 on the planned sessions: the N+1 reads no day, no 'cancelled by the coachee'
    and no no-show (the engagement screen hides them where the agreement reports no
    attendance; this screen showed them all, a toast over a corner for a few seconds)."""
    from aoi_tui.screens.planning import PlanningScreen
    from tests.tui_support import demo_id, freeze, make_app, on_screen, screen_text

    freeze(monkeypatch)
    app = make_app(store)
    eid = demo_id(store)
    gone = add_planned(store, eid, plan("2026-11-20 09:00", "Europe/Paris"))
    missed = add_planned(store, eid, plan("2026-11-21 09:00", "Europe/Paris"))
    mark_planned(store, eid, gone.id, by=CancelledBy.COACHEE)
    mark_planned(store, eid, missed.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(PlanningScreen(eid))
        await on_screen(pilot, PlanningScreen)
        seen = screen_text(pilot)
        assert "no-show" in seen and "cancelled by the coachee" in seen, seen
        app.room = Room.SPONSOR
        await pilot.pause()
        seen = screen_text(pilot)
        for told in ("no-show", "cancelled", "coachee on", "2026-11-20", "2026-11-21"):
            assert told not in seen, (told, seen)
        app.room = Room.COACH
        await pilot.pause()
        assert "no-show" in screen_text(pilot)


async def test_the_first_screen_says_no_planned_day_before_the_n1(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F2 on the first screen: the line of what is planned this week and overdue
    (each client's name and day, the coach's whole agenda) leaves the screen."""
    from tests.tui_support import demo_id, freeze, make_app, screen_text

    freeze(monkeypatch)  # 2026-11-23, a Monday
    app = make_app(store)
    add_planned(store, demo_id(store), plan("2026-11-26 14:00", "Europe/Paris"))
    add_planned(store, demo_id(store), plan("2026-11-20 09:00", "Europe/Paris"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Thu 26 14:00" in screen_text(pilot) and "OVERDUE" in screen_text(pilot)
        await pilot.press("f2")
        await pilot.pause()
        seen = screen_text(pilot)
        assert "14:00" not in seen and "This week" not in seen and "11-20" not in seen, seen
        await pilot.press("f2")
        await pilot.pause()
        assert "Thu 26 14:00" in screen_text(pilot)
