"""The one allow-list on screen (issue 11 §2, issue 10 §4): the sponsor-safe
view (F2) of the debrief and of the engagement screen, and the handover panel,
show what reaches the N+1 and nothing that names or counts what is private;
validating the N+1's actions is one key in the debrief."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import DataTable, TextArea

from aoi_tui.domain import clock
from aoi_tui.domain.models import (
    Action,
    ActionStatus,
    Audience,
    ExportRecord,
    Owner,
    Status,
    Visibility,
)
from aoi_tui.screens.debrief import DebriefScreen
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import Store
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    notifications,
    on_screen,
    paste,
    screen_text,
    start_session,
    text_of,
    wait_for,
)

NEW_SESSION = 5
DUE = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def fresh(store: Store) -> EngagementFile:
    ef = store.engagement(demo_id(store))
    ef.storage.cache.drop(ef.path)
    return ef


def rows(screen: Any, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def add_actions(ef: EngagementFile, session: int) -> dict[str, Action]:
    """An action per owner and state, in `session`."""
    made: dict[str, Action] = {}
    for name, owner, shareable, validated in (
        ("N1-PRIVATE call HR about my burnout", Owner.SPONSOR, False, False),
        ("N1-PENDING shareable not validated", Owner.SPONSOR, True, False),
        ("N1-AGREED free an hour on line 3", Owner.SPONSOR, True, True),
        ("CEE-PRIVATE my own to-do", Owner.COACHEE, False, False),
        ("CEE-PENDING shareable not validated", Owner.COACHEE, True, False),
        ("CCH-PRIVATE reread my notes", Owner.COACH, False, False),
    ):
        a = Action(
            session=session,
            text=name,
            owner=owner,
            due=DUE,
            status=ActionStatus.OPEN,
            visibility=Visibility.SHAREABLE if shareable else Visibility.PRIVATE,
        )
        if validated:
            a.validate_by_coachee()
        ef.insert(a)
        made[name.split(" ")[0]] = a
    return made


async def open_debrief(pilot: Any, store: Store) -> DebriefScreen:
    await start_session(pilot)
    add_actions(fresh(store), NEW_SESSION)
    await pilot.press("f9")
    return await on_screen(pilot, DebriefScreen)


async def to_tab(pilot: Any, screen: DebriefScreen, tab: str) -> None:
    while screen.query_one("#tabs").active != tab:
        await pilot.press("f8")
    await pilot.pause()


# -- the debrief ---------------------------------------------------------------------------


async def test_sponsor_safe_debrief_names_nothing_private(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, store)
        await to_tab(pilot, screen, "tab-message")
        await paste(pilot, "BROUILLON pas encore validé")
        await to_tab(pilot, screen, "tab-actions")
        assert any("private" in r for r in rows(screen, "actions"))  # the coach sees all

        await pilot.press("f2")
        await pilot.pause()
        shown = rows(screen, "actions")
        assert [r[-1] for r in shown] == ["N1-AGREED free an hour on line 3"]
        assert not any("private" in cell for r in shown for cell in r)
        assert "N1-PRIVATE" not in screen_text(pilot)

        await to_tab(pilot, screen, "tab-message")
        state = text_of(screen, "#message-state")
        assert "awaiting" not in state and "F4" not in state, state
        assert "BROUILLON" not in screen_text(pilot)
        assert not screen.query_one("#message", TextArea).display

        await pilot.press("f2")  # the N+1 left: everything back, nothing lost
        await pilot.pause()
        assert "awaiting" in text_of(screen, "#message-state")
        assert screen.query_one("#message", TextArea).text == "BROUILLON pas encore validé"


async def test_validating_the_n1s_actions_is_one_key(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, store)
        await to_tab(pilot, screen, "tab-actions")
        screen.query_one("#actions", DataTable).focus()
        await pilot.press("f5")
        await pilot.pause()
        assert any("N+1" in n or "line manager" in n for n in notifications(pilot))
        stored = {a.text.split(" ")[0]: a for a in fresh(store).actions(NEW_SESSION)}
        for name in ("N1-PRIVATE", "N1-PENDING", "N1-AGREED", "CEE-PENDING"):
            assert stored[name].shared, name
        # the coachee's and the coach's private actions stay private
        assert stored["CEE-PRIVATE"].visibility is Visibility.PRIVATE
        assert stored["CCH-PRIVATE"].visibility is Visibility.PRIVATE
        assert not stored["CEE-PRIVATE"].validation and not stored["CCH-PRIVATE"].validation


async def test_after_withdrawal_the_debrief_validates_nothing(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_debrief(pilot, store)
        ef = fresh(store)
        e = ef.engagement()
        e.status, e.withdrawn_on = Status.WITHDRAWN, clock.today()
        ef.save_engagement(e)
        await to_tab(pilot, screen, "tab-actions")
        table = screen.query_one("#actions", DataTable)
        table.focus()
        pending = next(i for i, r in enumerate(rows(screen, "actions")) if "N1-PENDING" in r[-1])
        table.move_cursor(row=pending)
        await pilot.press("f4", "f5")
        await pilot.pause()
        assert any("withdrew" in n for n in notifications(pilot))
        stored = {a.text.split(" ")[0]: a for a in fresh(store).actions(NEW_SESSION)}
        assert stored["N1-PENDING"].validation is None
        assert stored["N1-PRIVATE"].validation is None


# -- the engagement screen ----------------------------------------------------------------------


async def test_sponsor_safe_engagement_screen_names_no_confidential_export(store: Store) -> None:
    app = make_app(store)  # makes the demo engagement
    ef = fresh(store)
    add_actions(ef, 4)
    for audience, name in (
        (Audience.CONFIDENTIAL, "/home/claire/dossier-CONFIDENTIEL-camille.md"),
        (Audience.RECAP, "/home/claire/recap-RECAP-camille.md"),
        (Audience.SHARED, "/home/claire/rapport-SHARED-marc.md"),
    ):
        ef.insert(ExportRecord(audience=audience, format="md", filename=name))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = await on_screen(pilot, EngagementScreen)
        assert "CONFIDENTIEL" in text_of(screen, "#exports")  # the coach's own view
        await pilot.press("f2")
        await pilot.pause()
        exports = text_of(screen, "#exports")
        for word in ("CONFIDENTIEL", "RECAP", "confidential", "recap"):
            assert word not in exports, exports
        assert exports.count("\n") == 0 and "sponsor report (md)" in exports  # the N+1's own
        assert "/home/claire" not in exports  # a path may name a client's folder
        actions = text_of(screen, "#actions")
        assert "N1-AGREED" in actions
        for name in ("N1-PRIVATE", "N1-PENDING", "CEE-PRIVATE", "CCH-PRIVATE"):
            assert name not in actions
        assert "CONFIDENTIEL" not in screen_text(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert "CONFIDENTIEL" in text_of(screen, "#exports")


# -- the handover panel ----------------------------------------------------------------------------


async def test_the_handover_panel_shows_shared_actions_with_status_and_due(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        add_actions(screen.ef, NEW_SESSION)
        await pilot.press("f6", "f6", "f6")
        await wait_for(pilot, lambda: screen.live.phase == "handover", what="handover")
        await pilot.pause()
        handover = text_of(screen, "#handover-text")
        line = next(x for x in handover.splitlines() if "N1-AGREED" in x)
        assert "2026-12-04" in line and "open" in line, line
        for name in ("N1-PRIVATE", "N1-PENDING", "CEE-PRIVATE", "CEE-PENDING", "CCH-PRIVATE"):
            assert name not in handover, name
        # the demo's N+1 action of session 4 was never validated: it stays out too
        assert "Libérer 30 minutes" not in handover


# -- the search screen ---------------------------------------------------------------------------


async def test_sponsor_safe_search_shows_no_unvalidated_message(store: Store) -> None:
    from aoi_tui.screens.search import SearchScreen

    app = make_app(store)
    ef = fresh(store)
    pending, agreed = ef.session(3), ef.session(4)
    pending.set_sponsor_message("Briefing PENDINGWORD en attente")
    agreed.set_sponsor_message("Briefing AGREEDWORD convenu")
    agreed.validate_sponsor_message()
    ef.update(pending)
    ef.update(agreed)
    ef.add_note(4, "PRIVATENOTE briefing raté, à garder pour moi")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f2", "slash")
        screen = await on_screen(pilot, SearchScreen)
        await paste(pilot, "briefing")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "AGREEDWORD" in screen_text(pilot), what="results")
        assert "PENDINGWORD" not in screen_text(pilot)
        assert all(h.kind != "log" for h in screen.hits)
        assert any(h.kind == "note" and "briefing du lundi" in h.text for h in screen.hits)
        assert "PRIVATENOTE" not in screen_text(pilot)
        await pilot.press("f2")  # the N+1 left: every result
        await pilot.pause()
        assert "PENDINGWORD" in screen_text(pilot) and "PRIVATENOTE" in screen_text(pilot)
        await pilot.press("f2")  # and back: the results are filtered again
        await pilot.pause()
        assert "PENDINGWORD" not in screen_text(pilot)


async def test_the_session_list_in_the_sponsor_safe_view_follows_the_allow_list(
    store: Store,
) -> None:
    """A note validated on or after the withdrawal is not shown to the N+1 in the session
    either (the session's list counted every shareable validated note)."""
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        ef = screen.ef
        late = ef.add_note(screen.number, "Validée au retrait", visibility=Visibility.SHAREABLE)
        late.validate_by_coachee()
        ef.update(late)
        engagement = ef.engagement()
        engagement.withdrawn_on = clock.today()
        ef.update(engagement)
        screen.notes_list.set_notes(ef.notes(screen.number))
        await pilot.press("f2")
        await pilot.pause()
        assert app.sponsor_safe
        assert "Validée au retrait" not in screen_text(pilot)
