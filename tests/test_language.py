"""One language at a time: in the French UI, Textual's own words (the command
palette, its system commands, the ctrl+c hint, a dropdown's key) are French
too; the keyring's message is in one language; the CLI's lists say their words
in the language chosen; counts agree with their noun; and English names the
coachee's line manager one way ("N+1")."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from aoi_tui.config import i18n
from aoi_tui.screens.app import AoiApp
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.store.store import Store
from tests.cli_support import aoi
from tests.support import PASSPHRASE
from tests.test_i18n import REPO, SOURCES, catalog_file
from tests.tui_support import freeze, make_app, notified, on_screen, screen_text, wait_for


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    freeze(monkeypatch)
    i18n.set_language("fr")
    yield
    i18n.set_language("en")


# -- Textual's own words in the French UI -----------------------------------------------


async def open_palette(pilot: Pilot[Any]) -> CommandPalette:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), what="palette")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    await wait_for(pilot, lambda: commands.option_count > 0, what="commands")
    await pilot.pause(0.2)
    return palette


def palette_names(palette: CommandPalette) -> list[str]:
    commands = palette.query_one(CommandList)
    return [
        str(commands.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(commands.option_count)
    ]


async def test_the_command_palette_speaks_french(store: Store, french: None) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        palette = await open_palette(pilot)
        assert palette.query_one(CommandInput).placeholder == "Chercher une commande…"
        names = palette_names(palette)
        for english in ("Keys", "Maximize", "Quit", "Screenshot", "Theme"):
            assert english not in names, names
        assert "Thème" in names and "Quitter" in names
        await pilot.press(*"zzzz")
        await wait_for(pilot, lambda: "Aucune commande" in screen_text(pilot), what="no match")
        assert "No matches found" not in screen_text(pilot)


async def test_the_palette_never_offers_a_screenshot(store: Store) -> None:
    """A screenshot writes the screen, notes included, unencrypted to the disk."""
    freeze(pytest.MonkeyPatch())
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        palette = await open_palette(pilot)
        assert "Screenshot" not in palette_names(palette)


async def test_ctrl_c_says_how_to_quit_in_french(store: Store, french: None) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [f"{title} {message}" for title, message in notified(app)]
        assert any("ctrl+q" in s and "quitter" in s for s in said), said
        assert not any("Press" in s or "quit the app" in s for s in said), said


async def test_a_dropdowns_key_reads_in_french(store: Store, french: None) -> None:
    app = make_app(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause(0.5)
        app.screen.query_one("#f-format").focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        footer = screen_text(pilot).rstrip("\n").splitlines()[-1]
        assert "Dismiss menu" not in footer
        assert "Fermer la liste" in footer


async def test_the_keyring_message_is_all_french(store: Store, french: None) -> None:
    make_app(store)
    app = AoiApp(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#remember")), what="unlock")
        app.screen.query_one("#remember").focus()
        await pilot.press("space")
        app.screen.query_one("#passphrase").focus()
        await pilot.press(*PASSPHRASE, "enter")
        await on_screen(pilot, EngagementsScreen)
        await pilot.pause()
        said = [message for _title, message in notified(app)]
        assert "Pas de trousseau utilisable ici (aucun trousseau sur cette machine) ; " in said[0]
        assert not re.search(r"\b(the|keyring|backend|on this)\b", said[0]), said


# -- the CLI's lists ---------------------------------------------------------------------


def test_the_cli_lists_say_their_words_in_french(cli_env: dict[str, str]) -> None:
    aoi(cli_env, "demo")
    listed = aoi(cli_env, "--lang", "fr", "engagement", "list")
    assert listed.returncode == 0, listed.stderr
    first = listed.stdout.splitlines()[0]
    assert "en cours" in first and "active" not in first
    assert "N+1 :" in first and "dernière séance :" in first
    eid = first.split()[0]
    notes = aoi(cli_env, "--lang", "fr", "note", "list", eid, "--session", "2")
    assert notes.returncode == 0, notes.stderr
    text = notes.stdout
    assert "privée" in text or "partageable" in text
    for english in (" private ", " shareable ", " review ", " field ", " validated"):
        assert english not in text, text
    assert "Retour d'expérience" in text or "Application en situation réelle" in text


def test_the_cli_lists_say_their_words_in_english(cli_env: dict[str, str]) -> None:
    aoi(cli_env, "demo")
    listed = aoi(cli_env, "--lang", "en", "engagement", "list")
    first = listed.stdout.splitlines()[0]
    assert "active" in first and "N+1: " in first
    eid = first.split()[0]
    text = aoi(cli_env, "--lang", "en", "note", "list", eid, "--session", "2").stdout
    assert "private" in text and "Experience review" in text


# -- counts and their noun ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("en", 0, "0 notes"),
        ("en", 1, "1 note"),
        ("en", 2, "2 notes"),
        ("fr", 0, "0 note"),
        ("fr", 1, "1 note"),
        ("fr", 2, "2 notes"),
    ],
)
def test_a_count_agrees_with_its_noun(lang: str, n: int, expected: str) -> None:
    assert i18n.plural("ui.balance.notes", n, lang) == expected


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_count_in_the_catalogs_has_its_two_forms(lang: str) -> None:
    """A text with a count {n} is a plural pair (key.one, key.other), never "1 notes"
    nor "note(s)"."""
    texts = catalog_file(lang)
    for key, text in texts.items():
        if "{n}" in text:
            stem, _, form = key.rpartition(".")
            assert form in ("one", "other"), f"{key}: a count without its two forms"
            assert f"{stem}.one" in texts and f"{stem}.other" in texts, key
        assert not re.search(r"\{\w+\} \w+\(s\)", text), f"{key}: {text}"


def test_every_count_the_code_asks_for_has_its_two_forms() -> None:
    used = set()
    for path in [*SOURCES, *(REPO / "screens").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "plural"
                and node.args
            ):
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    used.add(arg.value)
                elif isinstance(arg, ast.Name):
                    continue  # chosen just above it, from constants (debrief.py)
    assert {"ui.balance.notes", "ui.search.count", "ui.count.backups"} <= used
    for lang in i18n.LANGUAGES:
        texts = catalog_file(lang)
        for key in used:
            assert {f"{key}.one", f"{key}.other"} <= texts.keys(), (lang, key)


# -- one name for the N+1 in English -----------------------------------------------------


def test_english_names_the_line_manager_one_way() -> None:
    texts = catalog_file("en")
    said = {k: v for k, v in texts.items() if "line manager" in v.lower()}
    # once, where the N+1 is named in the framing: the word explained
    assert said == {"field.sponsor": "N+1 (line manager)"}, said
