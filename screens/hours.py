"""The coaching hours log (issue 15 §2), from the first screen (h, and the
palette): each client's row and the totals, for a period, and the file for a
credential (CSV or Markdown) written where the coach says, never in the data
folder. Names are shown: while the N+1 is in the room a cover hides them."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import t
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen


class HoursScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("ctrl+o", "write", t("ui.agenda.hours_write"), id="hours.write", priority=True),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="hours.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("ui.agenda.hours_title"), classes="screen-title")
        with Container(classes="covered", id="hours-body"):
            with Vertical():
                with Horizontal(classes="hours-row"):
                    yield Input(
                        placeholder=t("ui.agenda.hours_from"), id="hours-from", compact=True
                    )
                    yield Input(placeholder=t("ui.agenda.hours_to"), id="hours-to", compact=True)
                    yield Select(
                        [("CSV", "csv"), ("Markdown", "md")],
                        value="csv",
                        allow_blank=False,
                        id="hours-format",
                        compact=True,
                    )
                yield OptionList(id="hours-rows")
                yield Static("", id="hours-totals")
                yield Input(placeholder=t("ui.agenda.hours_file"), id="hours-file", compact=True)
                yield Static("", id="hours-state", classes="message")
            yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#hours-from", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("hours-from", "hours-to"):
            self.reload()

    def period(self) -> tuple[date | None, date | None] | None:
        found: list[date | None] = []
        for which in ("from", "to"):
            typed = self.query_one(f"#hours-{which}", Input).value.strip()
            if not typed:
                found.append(None)
                continue
            try:
                found.append(date.fromisoformat(typed))
            except ValueError:
                self.said(t("ui.agenda.hours_bad_date", date=typed[:40]), bold=True)
                return None
        start, end = found
        if start and end and start > end:
            self.said(t("hours.bad_period"), bold=True)
            return None
        return start, end

    def said(self, text: str, bold: bool = False) -> None:
        self.query_one("#hours-state", Static).update(Text(text, style="bold" if bold else ""))

    def reload(self) -> None:
        from aoi_tui.exports.hours_log import gather, row_words, totals_words

        period = self.period()
        if period is None:
            return
        self.said("")
        try:
            log = gather(self.aoi.unlocked, self.aoi.settings.hours_left_out, *period)
        except STORE_FAILURES as exc:
            self.said(str(exc), bold=True)
            return
        listed = self.query_one("#hours-rows", OptionList)
        listed.clear_options()
        listed.add_options([Option(Text(row_words(r))) for r in log.rows] or [t("hours.none")])
        colon = t("ui.sep.colon")
        self.query_one("#hours-totals", Static).update(
            Text("\n".join(f"{label}{colon}{value}" for label, value in totals_words(log)[:6]))
        )

    def action_write(self) -> None:
        from aoi_tui.exports.hours_log import gather, render_csv, render_markdown
        from aoi_tui.exports.writing import shown, write_document
        from aoi_tui.screens.export import document_file

        period = self.period()
        if period is None:
            return
        fmt = str(self.query_one("#hours-format", Select).value)
        typed = document_file(self.query_one("#hours-file", Input).value, f"aoi-hours.{fmt}")
        left_out = self.aoi.settings.hours_left_out
        try:
            log = gather(self.aoi.unlocked, left_out, *period)
            text = (render_csv if fmt == "csv" else render_markdown)(log, left_out)
            path = write_document(self.aoi.unlocked, typed, f"aoi-hours.{fmt}", text.encode())
        except STORE_FAILURES as exc:
            self.said(str(exc), bold=True)
            return
        self.said(t("ui.agenda.hours_written", path=shown(path) if path else "-"))
