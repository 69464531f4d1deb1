"""Snapshots of what issue 15 added to the coach's screens, at 80×24: the
supervision log with two entries, and the export screen with a Word file chosen
(in English: the keys' labels are read when a screen's module is first imported,
so one process shows one language; the French screens are checked with Pilot in
test_supervision_log.py and test_export_word.py). Deterministic as `test_snapshots.py` is (fixed clock, no
blinking cursor, a data folder per test); update with `--snapshot-update`,
then look at the SVGs before committing them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from textual.pilot import Pilot
from textual.widgets import Input, Select

from aoi_tui.domain import clock
from aoi_tui.domain.models import Audience, Engagement
from aoi_tui.domain.supervision import SupervisionEntry, SupervisionForm
from aoi_tui.screens.export import ExportScreen
from aoi_tui.screens.supervision import SupervisionScreen
from aoi_tui.store.store import Store
from aoi_tui.store.supervision_log import SupervisionLog
from tests.tui_support import demo_id, freeze, make_app, on_screen, wait_for

SVGImageExtension.file_extension = "svg"


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze(monkeypatch)


def test_supervision_log(store: Store, snap_compare: Any) -> None:
    app = make_app(store)
    # a case of a fixed id: the demo's ids are drawn afresh at each run
    case = store.create_engagement(
        Engagement(id="k3x9case0001", coachee="Camille Test", sponsor="Marc Test")
    )
    log = SupervisionLog(store)
    today = clock.today()
    log.add(
        SupervisionEntry(
            on=today - timedelta(days=9),
            supervisor="Groupe d'analyse de pratique",
            hours=Decimal(3),
            form=SupervisionForm.GROUP,
        )
    )
    log.add(
        SupervisionEntry(
            on=today - timedelta(days=2),
            supervisor="Anne Superviseure",
            hours=Decimal("1.5"),
            case=case.id,
            learned="Je reprends la main quand le silence s'installe",
        )
    )

    async def open_log(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("s")
        await on_screen(pilot, SupervisionScreen)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_log)


def test_export_screen_with_a_word_file(store: Store, snap_compare: Any) -> None:
    app = make_app(store)

    async def choose_word(pilot: Pilot[Any]) -> None:
        screen = ExportScreen(demo_id(store))
        app.push_screen(screen)
        await wait_for(pilot, lambda: app.screen is screen and screen.export is not None)
        screen.query_one("#audience", Select).value = Audience.CONFIDENTIAL.value
        screen.query_one("#format", Select).value = "docx"
        await wait_for(pilot, lambda: screen.export is not None and screen.export.format == "docx")
        # the default name holds the folder aoi runs in and the engagement's random id
        screen.query_one("#path", Input).value = "~/dossier-confidentiel.docx"
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=choose_word)
