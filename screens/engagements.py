"""The first screen: every engagement, with its progress and cadence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from aoi_tui import clock
from aoi_tui.i18n import t

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp


class EngagementsScreen(Screen[None]):
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="empty")
        yield DataTable(id="engagements", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        app: AoiApp = self.app  # type: ignore[assignment]
        table = self.query_one(DataTable)
        table.add_columns("Coachee", "N+1", "Format", "Sessions", "Last", "Cadence")
        today = clock.today()
        rows = app.store.list_engagements()
        for s in rows:
            overdue = s.cadence_overdue(today)
            table.add_row(
                s.coachee,
                s.sponsor,
                s.format,
                f"{s.sessions_held}/{s.planned_sessions}",
                s.last_session.isoformat() if s.last_session else "—",
                f"OVERDUE +{overdue} d" if overdue else "ok",
                key=s.id,
            )
        self.query_one("#empty", Static).update("" if rows else t("export.engagement") + ": —")
