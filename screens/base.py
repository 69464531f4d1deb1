"""What every screen of aoi shares: typed access to the App (its store,
settings and sponsor-safe switch)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen, ScreenResultType

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp


class AoiScreen(Screen[ScreenResultType]):
    @property
    def aoi(self) -> AoiApp:
        return cast("AoiApp", self.app)
