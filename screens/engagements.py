"""The first screen: every engagement, its progress and its cadence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aoi_tui.screens.base import AoiScreen
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from aoi_tui import clock
from aoi_tui.i18n import t
from aoi_tui.live_session import live_engagements
from aoi_tui.store import EngagementSummary

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp


def start_or_resume(app: AoiApp, engagement_id: str, new: bool) -> None:
    # The session screens (and the models) load when first needed, after the first paint.
    from aoi_tui.screens.engagement import start_or_resume as start

    start(app, engagement_id, new)


def cadence_cell(overdue: int, status: str, retention_due: bool = False) -> Text:
    if retention_due:
        return Text(t("ui.retention.due"), style="bold reverse")
    if status not in ("active", "framing"):
        return Text(t(f"status.{status}"))
    if overdue:
        return Text(t("ui.cadence.overdue", days=overdue), style="bold reverse")
    return Text(t("ui.cadence.ok"))


class EngagementsScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("enter", "open", t("ui.key.open"), id="engagements.open"),
        Binding("n", "new_session", t("ui.key.new_session"), id="engagements.new_session"),
        Binding("r", "resume", t("ui.key.resume"), id="engagements.resume"),
        Binding("slash", "search", t("ui.key.search"), id="engagements.search"),
        Binding("ctrl+n", "new_engagement", t("ui.key.new_engagement"), id="engagements.new"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.engagements.title"), classes="screen-title")
        yield DataTable(id="engagements", cursor_type="row", zebra_stripes=True)
        yield Static("", id="empty", classes="explain")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.add_columns()
        # the rows come with on_screen_resume, which Textual also sends on first show
        if not self.aoi.resume_offered:
            self.aoi.resume_offered = True
            self.offer_resume()

    def column_widths(self) -> list[tuple[str, int]]:
        """The names take the room the other columns leave: the cadence column, which
        carries the alerts (OVERDUE, KEPT TOO LONG), stays whole at 80 columns."""
        fixed = [("format", 8), ("sessions", 8), ("last", 10), ("cadence", 14)]
        padding = 2 * (len(fixed) + 2)
        names = max(20, self.app.size.width - padding - sum(w for _, w in fixed))
        coachee = names * 3 // 5
        return [("coachee", coachee), ("sponsor", names - coachee), *fixed]

    def add_columns(self) -> None:
        table = self.query_one(DataTable)
        self.widths = self.column_widths()
        for key, width in self.widths:
            table.add_column(t(f"ui.col.{key}"), key=key, width=width)

    def on_resize(self) -> None:
        if self.column_widths() != self.widths:
            self.query_one(DataTable).clear(columns=True)
            self.add_columns()
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    FIRST_ROWS = 25
    """Rows shown before the first paint; the rest follow at once after it (a
    large store then opens as fast as a small one)."""

    def reload(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        rows = self.aoi.unlocked.list_engagements()
        self._add_rows(rows[: self.FIRST_ROWS])
        if len(rows) > self.FIRST_ROWS:
            self.call_after_refresh(self._add_rows, rows[self.FIRST_ROWS :], cursor)
        elif rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self.query_one("#empty", Static).update("" if rows else t("ui.engagements.empty"))
        table.focus()

    def _add_rows(self, rows: list[EngagementSummary], cursor: int | None = None) -> None:
        table = self.query_one(DataTable)
        today = clock.today()
        for s in rows:
            table.add_row(
                Text(s.coachee),
                Text(s.sponsor),
                t(f"ui.format.{s.format}"),
                f"{s.sessions_held}/{s.planned_sessions}",
                s.last_session.isoformat() if s.last_session else "—",
                cadence_cell(
                    s.cadence_overdue(today),
                    s.status,
                    s.retention_due(today, self.aoi.settings.retention_days),
                ),
                key=s.id,
            )
        if cursor is not None and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_open(self) -> None:
        from aoi_tui.screens.engagement import EngagementScreen

        eid = self.selected()
        if eid:
            self.app.push_screen(EngagementScreen(eid))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        from aoi_tui.screens.engagement import EngagementScreen

        self.app.push_screen(EngagementScreen(str(event.row_key.value)))

    def action_new_session(self) -> None:
        eid = self.selected()
        if eid:
            start_or_resume(self.aoi, eid, new=True)

    def action_resume(self) -> None:
        eid = self.selected()
        if eid:
            start_or_resume(self.aoi, eid, new=False)

    def offer_resume(self) -> None:
        store = self.aoi.unlocked
        for eid in live_engagements(store.root):
            try:
                summary = store.summary(eid)
            except Exception:
                continue
            from aoi_tui.screens.resume import ResumeScreen

            self.app.push_screen(
                ResumeScreen(summary.coachee),
                lambda yes, eid=eid: start_or_resume(self.aoi, eid, new=False) if yes else None,
            )
            return

    def action_new_engagement(self) -> None:
        from aoi_tui.screens.framing import FramingScreen

        def framed(engagement_id: str | None) -> None:
            from aoi_tui.screens.engagement import EngagementScreen

            self.reload()
            if engagement_id:
                self.app.push_screen(EngagementScreen(engagement_id))

        self.app.push_screen(FramingScreen(None), framed)

    def action_search(self) -> None:
        from aoi_tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(None))
