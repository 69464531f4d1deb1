"""The App shell: first use and unlock, the engagements list with its cadence
alert, one engagement at a glance, the sponsor-safe view, the command palette."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input, TextArea

from aoi_tui.demo import CLOSED_DEMO_COACHEE, DEMO_COACHEE, GROUP_DEMO
from aoi_tui.domain.clock import NOW_ENV
from aoi_tui.domain.models import Engagement, Visibility
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.engagement import EngagementScreen
from aoi_tui.screens.engagement_list import EngagementList, fit
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.unlock import FirstUseScreen, RecoveryCodeScreen, UnlockScreen
from aoi_tui.store.store import INDEX, Store
from tests.support import FIXED_NOW, PASSPHRASE
from tests.tui_support import (
    demo_id,
    freeze,
    make_app,
    notes_list_text,
    notifications,
    on_screen,
    paste,
    screen_text,
    start_session,
    text_of,
    type_note,
    wait_for,
)


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def table_rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


# -- first use and unlock ------------------------------------------------------------


async def test_first_use_asks_twice_shows_the_recovery_code_then_the_demo(
    tmp_path: Path,
) -> None:
    root = tmp_path / "new"
    app = AoiApp(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstUseScreen)
        assert "It encrypts every note you take" in screen_text(pilot)

        await pilot.press(*"short", "enter")
        assert "8" in text_of(app.screen, "#message")  # too short: says how long
        assert app.screen.focused is app.screen.query_one("#first", Input)

        await paste(pilot, PASSPHRASE)  # from a password manager
        await pilot.press("enter", *"other", "enter")
        assert text_of(app.screen, "#message").startswith("The two passphrases differ")
        assert app.screen.query_one("#second", Input).value == ""

        await paste(pilot, PASSPHRASE)
        await pilot.press("enter")
        await paste(pilot, PASSPHRASE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecoveryCodeScreen), what="code")
        code = text_of(app.screen, "#code")
        assert len(code.replace("-", "")) >= 20
        # drawn once the screen has had its first refresh (late on a busy machine)
        await wait_for(pilot, lambda: "It is shown only once." in screen_text(pilot), what="warn")

        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EngagementsScreen), what="list")
        rows = app.screen.query_one(EngagementList).texts()
        # a newcomer sees a team too, without knowing of `aoi demo --group`
        assert [r[0] for r in rows] == [DEMO_COACHEE, CLOSED_DEMO_COACHEE, GROUP_DEMO]
    assert (root / "keys.json").exists()


async def test_enter_again_while_the_store_is_made_makes_no_second_store(tmp_path: Path) -> None:
    """The key derivation takes a second or two: an Enter typed again meanwhile
    (seen in a real terminal) made a second store whose new key left the first
    one's index unreadable, and aoi stopped with a traceback at first start."""
    from aoi_tui.access.opening import load_keyfile
    from aoi_tui.store.store import Store as StoreClass

    root = tmp_path / "new"
    app = AoiApp(root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await paste(pilot, PASSPHRASE)
        await pilot.press("enter")
        await paste(pilot, PASSPHRASE)
        await pilot.press("enter", "enter")  # the second while the store is being made
        await wait_for(pilot, lambda: not isinstance(app.screen, FirstUseScreen), timeout=20)
        await pilot.pause(1.5)  # a second store, had one been started, is written by now
        if isinstance(app.screen, RecoveryCodeScreen):
            await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EngagementsScreen), what="list")
        assert app.is_running
    keyfile = load_keyfile(root)
    store = StoreClass(root, keyfile, keyfile.unlock(PASSPHRASE))
    assert {s.coachee for s in store.list_engagements()} == {
        DEMO_COACHEE,
        CLOSED_DEMO_COACHEE,
        GROUP_DEMO,
    }


async def test_unlock_says_how_many_tries_are_left_then_opens(store: Store) -> None:
    make_app(store)  # the demo engagement, so there is something to open
    app = AoiApp(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press(*"wrong", "enter")
        await wait_for(pilot, lambda: "Tries left" in text_of(app.screen, "#message"), what="wrong")
        assert text_of(app.screen, "#message") == "Wrong passphrase. Tries left: 2."
        field = app.screen.query_one("#passphrase", Input)
        assert field.value == "" and not field.disabled

        await paste(pilot, PASSPHRASE)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EngagementsScreen), what="list")
        assert app.store is not None and app.store.master == store.master


async def test_unlock_closes_after_three_wrong_tries(store: Store) -> None:
    app = AoiApp(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for expected in (
            "Wrong passphrase. Tries left: 2.",
            "Wrong passphrase. Tries left: 1.",
            "Wrong passphrase 3 times: aoi stays locked and closes.",
        ):
            await pilot.press(*"wrong", "enter")
            await wait_for(
                pilot, lambda e=expected: text_of(screen, "#message") == e, what=expected
            )
        await wait_for(pilot, lambda: app.return_code is not None, timeout=5, what="the exit")
    assert app.store is None


# -- engagements -----------------------------------------------------------------------


async def test_engagements_list_shows_progress_and_cadence(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EngagementsScreen)
        rows = app.screen.query_one(EngagementList).texts()
        assert rows == [
            [DEMO_COACHEE, "Marc Dubois", "AOI", "3/8", "2026-11-15", "on time"],
            # a closed engagement has no cadence to keep: its status says so
            [CLOSED_DEMO_COACHEE, "Sophie Bernard", "Short", "3/3", "2026-11-03", "closed"],
        ]


async def test_a_damaged_index_is_said_on_the_first_screen_not_a_traceback(store: Store) -> None:
    """The index garbled: the first screen said nothing but a traceback; it says
    the engagements are untouched and what rebuilds their list."""
    app = make_app(store)
    (store.root / INDEX).write_bytes(b"garbage, not an aoi file")
    store.cache.drop(store.root / INDEX)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EngagementsScreen)
        shown = " ".join(screen_text(pilot).split())
        assert "aoi doctor --repair" in shown and "untouched" in shown
        assert "No engagement yet" not in shown


async def test_a_long_list_follows_the_cursor_and_keeps_its_header(store: Store) -> None:
    for i in range(40):
        store.create_engagement(Engagement(coachee=f"Coachee {i:02}", sponsor="Marc Dubois"))
    app = make_app(store, demo=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listed = app.screen.query_one(EngagementList)
        assert len(listed.texts()) == 40 and app.screen.focused is listed

        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(pilot)
        assert listed.cursor_row == 39
        assert "Coachee 39" in shown and "Coachee 00" not in shown
        assert "Coachee" in shown.splitlines()[2], "the header stays on top"

        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert listed.cursor_row > 10, "a page is more than a line"
        assert f"Coachee {listed.cursor_row:02}" in screen_text(pilot)
        await pilot.press("end")
        await pilot.resize_terminal(80, 12)  # a smaller window: the cursor stays in view
        await pilot.pause()
        assert "Coachee 39" in screen_text(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.press("home", "pagedown", "up")
        await pilot.pause()
        await pilot.press("enter")
        opened = await on_screen(pilot, EngagementScreen)
        assert f"Coachee {listed.cursor_row:02}" in text_of(opened, "#summary")


async def test_a_damaged_engagement_file_is_said_not_a_crash(store: Store) -> None:
    app = make_app(store)
    path = store.root / "engagements" / f"{demo_id(store)}.db"
    path.write_bytes(b"not an aoi file at all" * 10)
    store.cache.drop(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for keys in (("enter",), ("n",), ("r",)):  # open, new session, resume
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, EngagementsScreen) and app.is_running
            assert notifications(pilot)[-1].startswith("Cannot open it:")
            assert "aoi doctor" in notifications(pilot)[-1]


async def test_a_click_on_an_engagement_opens_it(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(EngagementList, offset=(3, 2))  # line 0 is the header
        opened = await on_screen(pilot, EngagementScreen)
        assert CLOSED_DEMO_COACHEE in text_of(opened, "#summary")


def test_a_cell_fits_its_column_whatever_the_text() -> None:
    assert fit("Léa", 6) == "Léa   "
    assert fit("Camille Lefèvre (démo)", 10) == "Camille L…"
    assert fit("李小龍李小龍", 7) == "李小龍…"  # wide characters count twice
    assert all(cell_len(fit(text, 9)) == 9 for text in ("", "x" * 30, "é" * 9, "李" * 9))


async def test_overdue_cadence_is_said_in_words(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(store)  # the demo's last session was 8 days before FIXED_NOW
    later = datetime.fromisoformat(FIXED_NOW) + timedelta(days=30)
    monkeypatch.setenv(NOW_ENV, later.isoformat())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row, closed = app.screen.query_one(EngagementList).texts()
        assert row[-1] == "OVERDUE +17 d"  # 38 days since, 21 agreed
        assert closed[-1] == "closed"  # no alert for an engagement that has ended
        await pilot.press("enter")
        await pilot.pause()
        assert "OVERDUE +17 d" in text_of(app.screen, "#summary")


async def test_the_list_of_every_client_is_covered_while_anyone_else_is_in_the_room(
    store: Store,
) -> None:
    """The first screen names all the coach's clients: the N+1 (F2) or a group
    in the room sees none of them, nor their planned days."""
    from aoi_tui.domain.vocabulary import Room

    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Camille" in screen_text(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert app.room is Room.SPONSOR
        text = screen_text(pilot)
        assert "Camille" not in text and "Julien" not in text and "Marc" not in text, text
        assert "Hidden while the N+1" in text
        await pilot.press("f2")
        await pilot.pause()
        assert "Camille" in screen_text(pilot)
        app.room = Room.GROUP
        await pilot.pause()
        assert "Camille" not in screen_text(pilot)
        app.room = Room.COACH
        await pilot.pause()
        assert "Camille" in screen_text(pilot)


async def test_engagement_screen_at_a_glance(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EngagementScreen)
        summary = text_of(screen, "#summary")
        assert summary.startswith(DEMO_COACHEE)
        assert "N+1: Marc Dubois" in summary and "3/8" in summary and "active" in summary
        sessions = table_rows(screen.query_one("#sessions", DataTable))
        assert [r[:2] for r in sessions] == [
            ["1", "Three-way kickoff"],
            ["2", "AOI session"],
            ["3", "AOI session"],
            ["4", "AOI session"],
        ]
        assert [r[3] for r in sessions] == ["2", "5", "4", "3"]  # notes per session
        assert all(r[4] == "ended" for r in sessions)
        actions = text_of(screen, "#actions")
        assert "Déléguer le point sécurité du jeudi" in actions
        assert "Préparer l'entretien avec Julien" not in actions  # done: not open
        objectives = text_of(screen, "#objectives")
        assert "Faire un point sécurité à chaque prise de poste [Safety] — in progress" in (
            objectives
        )

        await pilot.press("n", "enter")  # a new session from here
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert table_rows(screen.query_one("#sessions", DataTable))[-1][4] == "running"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, EngagementsScreen)


# -- sponsor-safe view --------------------------------------------------------------------


async def test_sponsor_safe_view_hides_private_notes_and_the_input(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await type_note(pilot, "Doute privé")
        await pilot.press(*"brouillon")
        # a shared note: shareable and validated by the coachee
        ef = screen.ef
        note = ef.add_note(screen.number, "Briefing tenu", visibility=Visibility.SHAREABLE)
        note.validate_by_coachee()
        ef.update(note)
        screen.notes_list.set_notes(ef.notes(screen.number))

        await pilot.press("f2")
        assert app.sponsor_safe
        shown = screen_text(pilot)
        assert "Briefing tenu" in shown
        assert "Doute privé" not in shown
        assert "brouillon" not in shown
        field = screen.query_one("#note-input", Input)
        assert field.password and screen.focused is field  # masked, and still where keys go
        assert not screen.query_one("#next-note").display
        assert not screen.query_one("#review-panel").display  # the coachee's log
        assert "SPONSOR-SAFE VIEW" in text_of(screen, "#banner")
        assert [line.split(": ", 1)[1] for line in notes_list_text(screen)] == ["Briefing tenu"]
        await pilot.press("ctrl+o")  # the long-note editor would show the draft: not now
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("f2")
        await pilot.pause()
        assert not app.sponsor_safe
        assert screen.focused is screen.query_one("#note-input")  # ready to type again
        shown = screen_text(pilot)
        assert "Doute privé" in shown and "brouillon" in shown
        assert not screen.query_one("#note-input", Input).password


async def test_keys_typed_in_the_sponsor_safe_view_are_kept_not_dropped(store: Store) -> None:
    """The N+1 is in the room and the coach takes a note: it is saved (private, off
    the screen), and what is typed next waits in the input, masked, until F2."""
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_session(pilot)
        await pilot.press("f2")
        assert app.sponsor_safe
        await pilot.press(*"Remarque du N+1", "enter")
        await pilot.press(*"suite")
        await wait_for(
            pilot, lambda: not any(s == "saving" for s in screen.notes_list.states.values())
        )
        assert [n.text for n in screen.ef.notes(screen.number)] == ["Remarque du N+1"]
        shown = screen_text(pilot)
        assert "Remarque" not in shown and "suite" not in shown
        assert screen.query_one("#note-input", Input).value == "suite"
        await pilot.press("f2")
        await pilot.pause()
        shown = screen_text(pilot)
        assert "Remarque du N+1" in shown and "suite" in shown


@pytest.mark.parametrize("opener", ["ctrl+o", "ctrl+l"])
async def test_the_editor_and_the_log_are_covered_not_dropped_in_the_sponsor_safe_view(
    store: Store, opener: str
) -> None:
    """F2 while the long-note editor or the coachee's log is open: the text leaves the
    screen, and what the coach types meanwhile is kept, not lost."""
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_session(pilot)
        await pilot.press(opener)
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        await pilot.press(*"Avant le N+1")
        await pilot.press("f2")
        await pilot.pause()
        shown = screen_text(pilot)
        assert "Avant le N+1" not in shown
        assert "Hidden in the sponsor-safe view" in shown
        await pilot.press(*" pendant")
        assert app.focused is area
        shown = screen_text(pilot)
        assert "pendant" not in shown
        await pilot.press("f2")
        await pilot.pause()
        assert "Avant le N+1 pendant" in screen_text(pilot)
        assert area.text == "Avant le N+1 pendant"


async def test_sponsor_safe_view_on_the_engagement_screen(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        await pilot.press("f2")
        sessions = table_rows(screen.query_one("#sessions", DataTable))
        assert [r[3] for r in sessions] == ["1", "1", "2", "0"]  # shared notes only
        actions = text_of(screen, "#actions")
        assert "Relire mes notes sur la légitimité" not in actions  # the coach's own, private
        # the N+1's own action, never validated by the coachee: not shown either
        assert "Libérer 30 minutes" not in actions
        assert "in progress" not in text_of(screen, "#objectives")
        await pilot.press("f2")
        assert "Relire mes notes sur la légitimité" in text_of(screen, "#actions")


# -- command palette ----------------------------------------------------------------------


async def palette_commands(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="palette")
    commands = pilot.app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: commands.option_count > 0, what="commands")
    await pilot.pause(0.2)
    names = [
        str(commands.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(commands.option_count)
    ]
    await pilot.press("escape")
    await pilot.pause()
    return names


async def test_command_palette_lists_the_main_actions(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        names = await palette_commands(pilot)
        for name in ("Open", "New session", "Resume", "Sponsor-safe", "Quit"):
            assert name in names, names

        await start_session(pilot)
        names = await palette_commands(pilot)
        for name in (
            "Kind",
            "Private/shareable",
            "Prev phase",
            "Next phase",
            "Role",
            "Other card",
            "Debrief",
            "End session",
            "Long note",
            "Coachee's log",
            "Sponsor-safe",
        ):
            assert name in names, names


async def test_a_palette_command_runs_on_the_screen(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = await start_session(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"next")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, what="back on the session")
        await wait_for(pilot, lambda: screen.live.phase == "field", what="the next phase")
        assert demo_id(store) == screen.engagement_id
