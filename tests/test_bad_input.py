"""Bad values, each refused with one clean line (issue 11 §5): invalid UTF-8 and a
50 MB note on standard input, zero or negative counts, absurd dates, a card file
of the wrong shape or carrying escape sequences."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from aoi_tui.domain.cards import CardFileError, load_deck, user_cards
from aoi_tui.domain.models import (
    MAX_NOTE_CHARS,
    Agreement,
    Engagement,
    Note,
    SessionKind,
)
from aoi_tui.store.store import Store
from tests.cli_support import run_aoi
from tests.support import FIXED_NOW
from tests.test_cli import aoi, fails, ok, ok_json

# -- the model: every entry point obeys it -------------------------------------------------------


def test_a_note_longer_than_the_limit_is_refused_by_the_model() -> None:
    Note(session=1, phase="review", text="x" * MAX_NOTE_CHARS)
    with pytest.raises(ValidationError, match="at most 100,000 characters"):
        Note(session=1, phase="review", text="x" * (MAX_NOTE_CHARS + 1))
    note = Note(session=1, phase="review", text="court")
    with pytest.raises(ValidationError, match="at most"):
        note.edit("y" * (MAX_NOTE_CHARS + 1))
    assert note.text == "court"


def test_a_long_note_saved_before_the_limit_still_opens(store: Store) -> None:
    ef = store.create_engagement(Engagement(coachee="C", sponsor="S"))
    ef.new_session(SessionKind.AOI)
    big = Note(session=1, phase="review", text="x").model_copy(
        update={"text": "z" * (MAX_NOTE_CHARS + 5)}
    )
    ef.insert(big)  # as an older aoi saved it
    ef.storage.cache.drop(ef.path)
    assert [len(n.text) for n in ef.notes()] == [MAX_NOTE_CHARS + 5]


@pytest.mark.parametrize(
    "day",
    [date(9999, 12, 31), date(2027, 1, 1), date(1899, 1, 1), date(1, 1, 1)],
)
def test_an_absurd_consent_date_is_refused_by_the_model(
    day: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AOI_NOW", FIXED_NOW)  # 2026-11-23
    with pytest.raises(ValidationError, match="consent date"):
        Agreement(consent_date=day)
    Agreement(consent_date=date(2026, 11, 24))  # a day's margin: the coach's day may start first
    Agreement(consent_date=date(2019, 5, 6))


# -- the CLI ------------------------------------------------------------------------------------


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {**cli_env, "AOI_NOW": FIXED_NOW}


def raw_aoi(env: dict[str, str], data: Path, *args: str, stdin: bytes) -> tuple[int, str, str]:
    done = run_aoi(["--data-dir", str(data), *args], env, stdin=stdin, cwd=data.parent)
    return done.returncode, done.stdout, done.stderr


def one_line(code: int, err: str, *words: str) -> str:
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]
    assert len(lines[0]) <= 300
    return lines[0]


def test_cli_note_on_stdin_invalid_utf8_and_huge(store: Store, env: dict[str, str]) -> None:
    data = store.root
    eid = ok(aoi(env, data, "engagement", "new", "--coachee", "C", "--sponsor", "S")).strip()
    ok(aoi(env, data, "session", "new", eid))
    add = ("note", "add", eid, "--session", "1", "-")
    code, _, err = raw_aoi(env, data, *add, stdin="Réunion d'équipe".encode("latin-1"))
    line = one_line(code, err, "not UTF-8", "0xe9")
    assert "codec" not in line
    size_before = (data / "engagements" / f"{eid}.db").stat().st_size
    code, _, err = raw_aoi(env, data, *add, stdin=b"a" * (50 * 1024 * 1024))
    one_line(code, err, "100,000 characters")
    code, _, err = raw_aoi(env, data, *add, stdin="é".encode() * (MAX_NOTE_CHARS + 1))
    one_line(code, err, "100,000 characters", "100,001")
    assert (data / "engagements" / f"{eid}.db").stat().st_size == size_before
    # at the limit, it is a note
    code, _, err = raw_aoi(env, data, *add, stdin="é".encode() * MAX_NOTE_CHARS + b"\n")
    assert code == 0, err
    notes = ok_json(aoi(env, data, "note", "list", eid, "--json"))
    assert [len(n["text"]) for n in notes] == [MAX_NOTE_CHARS]


def test_cli_note_argument_with_an_invalid_byte(store: Store, env: dict[str, str]) -> None:
    data = store.root
    eid = ok(aoi(env, data, "engagement", "new", "--coachee", "C", "--sponsor", "S")).strip()
    ok(aoi(env, data, "session", "new", eid))
    done = subprocess.run(
        [sys.executable, "-m", "aoi_tui", "--data-dir", str(data), "note", "add", eid,
         "--session", "1", os.fsdecode(b"r\xe9union")],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    fails(done, "not UTF-8")


def test_cli_counts_are_never_replaced_by_a_default(store: Store, env: dict[str, str]) -> None:
    data = store.root
    new = ("engagement", "new", "--coachee", "C", "--sponsor", "S")
    for bad in ("0", "-3", "61", "huit"):
        fails(aoi(env, data, *new, "--sessions", bad), "--sessions", "1 to 60")
    for bad in ("0", "-1", "400"):
        fails(aoi(env, data, *new, "--cadence", bad), "--cadence", "1 to 365")
    eid = ok(aoi(env, data, *new, "--sessions", "1")).strip()
    rows = ok_json(aoi(env, data, "engagement", "list", "--json"))
    assert [r["planned_sessions"] for r in rows if r["id"] == eid] == [1]


def test_cli_refuses_absurd_consent_dates(store: Store, env: dict[str, str]) -> None:
    data = store.root
    new = ("engagement", "new", "--coachee", "C", "--sponsor", "S")
    fails(aoi(env, data, *new, "--consent-date", "9999-12-31"), "in the future")
    fails(aoi(env, data, *new, "--consent-date", "2027-01-01"), "in the future")
    fails(aoi(env, data, *new, "--consent-date", "1900-01-01"), "before 1990")
    fails(aoi(env, data, *new, "--consent-date", "2026-02-30"), "not a date")
    assert ok_json(aoi(env, data, "engagement", "list", "--json")) == []
    eid = ok(aoi(env, data, *new)).strip()
    fails(aoi(env, data, "engagement", "consent", eid, "--date", "9999-12-31"), "in the future")
    ok(aoi(env, data, "engagement", "consent", eid, "--date", "2026-11-23"))


# -- cards.toml -----------------------------------------------------------------------------------

GOOD = """
[[card]]
id = "mine-01"
role = "spur"
phases = ["debrief"]
title = "Le pas suivant"
text = "Et ensuite ?"
"""

WRONG_SHAPES = {
    "card = 5": "[[card]]",
    "[card]\nid = 'x'": "[[card]]",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = 5\ntitle = 't'\ntext = 'x'": "phases",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = 'debrief'\ntitle = 't'\ntext = 'x'": "phases",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = [1, 2]\ntitle = 't'\ntext = 'x'": "phases",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = ['debrief']\ntitle = 't'": "'text'",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = ['debrief']\ntitle = 5\ntext = 'x'": "title",
    "[[card]]\nid = 'x'\nrole = 5\nphases = ['debrief']\ntitle = 't'\ntext = 'x'": "role",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = ['nowhere']\ntitle = 't'\ntext = 'x'": "nowhere",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = ['debrief']\ntitle = 't'\ntext = 'x'\n"
    "plane = ['team']": "plane",
    "[[card]]\nid = 'x'\nrole = 'spur'\nphases = ['debrief']\ntitle = 't'\ntext = 'x'\n"
    "colour = 'red'": "colour",
    "cards = []": "cards",
    "card = [1, 2]": "card 1",
    "[[card]\n": "not valid TOML",
}


@pytest.mark.parametrize("content", list(WRONG_SHAPES))
def test_a_card_file_of_the_wrong_shape_is_one_clean_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "cards.toml").write_text(content, "utf-8")
    with pytest.raises(CardFileError) as caught:
        load_deck("fr", tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "cards.toml") in message
    assert WRONG_SHAPES[content] in message
    assert "\n" not in message.strip()


def test_card_text_is_cleaned_like_typed_text(tmp_path: Path) -> None:
    hostile = GOOD.replace(
        'title = "Le pas suivant"', 'title = "Le pas\\u001b]0;pwned\\u0007 suivant\\u001b[2J"'
    ).replace('text = "Et ensuite ?"', 'text = "Et\\u001b[2J\\u001b[31m ensuite\\u009b ?"')
    (tmp_path / "cards.toml").write_text(hostile, "utf-8")
    [card] = user_cards("fr", tmp_path)
    assert card.title == "Le pas suivant"
    assert "\x1b" not in card.text and "\x9b" not in card.text
    assert card.text.startswith("Et ensuite")


def test_a_card_for_another_language_is_checked_too(tmp_path: Path) -> None:
    (tmp_path / "cards.toml").write_text(GOOD + "lang = 'en'\n", "utf-8")
    assert user_cards("fr", tmp_path) == []
    assert [c.id for c in user_cards("en", tmp_path)] == ["mine-01"]
    (tmp_path / "cards.toml").write_text(GOOD.replace('"spur"', '"boss"') + "lang = 'en'\n")
    with pytest.raises(CardFileError, match="role"):
        user_cards("fr", tmp_path)


def test_shipped_decks_still_load() -> None:
    for lang in ("fr", "en"):
        assert len(load_deck(lang, Path("/nonexistent")).cards) > 40


# -- the TUI: the same limits, said, the text kept -----------------------------------------------


async def test_tui_a_note_over_the_limit_is_said_and_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input, TextArea

    from aoi_tui.screens.note_editor import NoteEditorScreen
    from tests.tui_support import freeze, make_app, notifications, start_session

    freeze(monkeypatch)
    app = make_app(store)
    huge = "x" * (MAX_NOTE_CHARS + 1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        before = len(screen.ef.notes(screen.number))
        field = screen.query_one("#note-input", Input)
        field.value = huge
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "at most 100,000 characters" in notifications(pilot)[-1]
        assert field.value == huge and app.is_running
        field.value = ""
        await pilot.press("ctrl+o")  # the long-note editor
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        app.screen.query_one(TextArea).load_text(huge)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen), "the editor stays, its text kept"
        assert app.screen.query_one(TextArea).text == huge
        assert "at most 100,000 characters" in notifications(pilot)[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and app.is_running
        assert len(screen.ef.notes(screen.number)) == before


async def test_tui_an_action_over_the_limit_is_said_and_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Input

    from aoi_tui.screens.debrief import DebriefScreen
    from tests.tui_support import freeze, make_app, notifications, start_session, wait_for

    freeze(monkeypatch)
    app = make_app(store)
    huge = "z" * (MAX_NOTE_CHARS + 1)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await start_session(pilot)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), what="debrief")
        screen = app.screen
        screen.query_one("#tabs").active = "tab-actions"
        await pilot.pause()
        field = screen.query_one("#action-text", Input)
        field.value = huge
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "at most 100,000 characters" in notifications(pilot)[-1]
        assert field.value == huge and app.is_running
        assert session.ef.actions(session.number) == []


async def test_tui_a_card_file_of_the_wrong_shape_is_said_not_a_traceback(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.tui_support import freeze, make_app, notifications, start_session

    freeze(monkeypatch)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "cards.toml").write_text("card = 5\n", "utf-8")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        said = [n for n in notifications(pilot) if "cards.toml" in n]
        assert said and "[[card]]" in said[0]
        assert app.is_running and screen.cards.deck.cards == []


async def test_tui_cards_reach_the_screen_cleaned(
    store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from aoi_tui.domain.models import Role
    from aoi_tui.screens.card_panel import CardPanel
    from tests.tui_support import freeze, make_app, start_session, text_of

    freeze(monkeypatch)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    hostile = GOOD.replace(
        'title = "Le pas suivant"', 'title = "Titre\\u001b]0;pwned\\u0007 propre\\u001b[2J"'
    ).replace('phases = ["debrief"]', 'phases = ["review"]')
    (config / "cards.toml").write_text(hostile, "utf-8")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_session(pilot)
        card = screen.cards.deck.by_id("mine-01")
        assert card is not None and card.title == "Titre propre"
        screen.query_one(CardPanel).show(Role.SPUR, card)
        await pilot.pause()
        assert "\x1b" not in text_of(screen, "#card-title")
        assert text_of(screen, "#card-title").startswith("Titre propre")
