"""The Textual App: thin. It holds the unlocked store and pushes the first screen."""

from __future__ import annotations

from aoi_tui.screens.engagements import EngagementsScreen
from textual.app import App

from aoi_tui.store import Store


class AoiApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "aoi"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.push_screen(EngagementsScreen())


def run_app(store: Store) -> None:
    AoiApp(store).run()
