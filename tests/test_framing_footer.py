"""The framing's footer holds at 80 columns in French and in English, on every
tab: 'f2 Vue N+1' was cut to 'f2 Vue' on the Frame tab, '^q Quitter' to
'^q Qui' on the Participants tab (seen in tmux, French, 80x24)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from aoi_tui.config import i18n
from aoi_tui.demo import create_group_demo
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.framing import FramingScreen
from aoi_tui.store.store import Store
from tests.tui_support import freeze, make_app, on_screen, screen_text

WIDTH = 80
PALETTE = len("▏^p palette") + 1
"""The palette's key, docked at the footer's right end."""


def in_language(english: str, lang: str) -> str:
    """A key's words in `lang`, from their English words (the screens' key words are
    read once, in the language of the process): the longest text among the keys
    that say those English words, but the palette's (its long names, never in the
    footer)."""
    catalog = i18n.catalog("en")
    texts = [
        i18n.t(k, lang)
        for k, v in catalog.items()
        if v == english and not k.startswith("ui.palette.")
    ]
    assert texts, f"{english!r} is not a catalog text"
    return max(texts, key=len)


def shown_keys(pilot: Pilot[Any]) -> list[tuple[str, str]]:
    app = pilot.app
    return [
        (app.get_key_display(b.binding), b.binding.description)
        for b in app.screen.active_bindings.values()
        if b.binding.show and b.binding.description
    ]


async def check_every_tab(pilot: Pilot[Any], framing: FramingScreen) -> set[str]:
    """Each tab in turn (F4), until the first again: the tabs seen."""
    tabs = framing.query_one("#framing-tabs")
    seen: set[str] = set()
    for _ in range(8):
        await pilot.pause()
        tab = str(getattr(tabs, "active", ""))
        if tab in seen:
            break
        keys = shown_keys(pilot)
        if not seen:  # the footer shows these keys, whole (a screenshot costs 0.3 s)
            line = screen_text(pilot).rstrip("\n").splitlines()[-1]
            assert " ".join(f"{key} {words}" for key, words in keys) in line, (tab, line)
        seen.add(tab)
        for lang in i18n.LANGUAGES:
            items = [f"{key} {in_language(words, lang)}" for key, words in keys]
            width = len(" ".join(items))
            assert width <= WIDTH - PALETTE, (lang, tab, items, width)
        framing.action_next_tab()
    return seen


async def test_the_framings_footer_holds_at_80_columns_in_both_languages(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    freeze(monkeypatch)
    group, _ = create_group_demo(store)
    app = make_app(store, demo=False)
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        await on_screen(pilot, EngagementsScreen)
        app.push_screen(FramingScreen(group))  # a team: every tab, Participants too
        framing = await on_screen(pilot, FramingScreen)
        seen = await check_every_tab(pilot, framing)
    assert {"tab-frame", "tab-objectives", "tab-competencies", "tab-participants"} <= seen
