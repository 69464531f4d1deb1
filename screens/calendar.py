"""The calendar file (issue 15 §1), from the first screen (c, and the palette):
the events `aoi calendar` writes, listed as a phone will show them, and the
file written where the coach says, never in the data folder. Titles are neutral
unless the setting `calendar_names` adds names and places: then a cover hides
them while the N+1 is in the room."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import plural, t
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen


class CalendarScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("ctrl+o", "write", t("ui.agenda.hours_write"), id="calendar.write", priority=True),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="calendar.back"),
    ]

    def compose(self) -> ComposeResult:
        names = self.aoi.settings.calendar_names
        yield Header()
        yield Static(t("ui.agenda.calendar_title"), classes="screen-title")
        # neutral titles are what the calendar shows anyone: no cover needed
        with Container(classes="covered" if names else "", id="calendar-body"):
            with Vertical():
                yield Static(
                    t("ui.agenda.calendar_named" if names else "ui.agenda.calendar_neutral"),
                    id="calendar-titles",
                )
                yield OptionList(id="calendar-events")
                yield Input(
                    placeholder=t("ui.agenda.calendar_file"), id="calendar-file", compact=True
                )
                yield Static("", id="calendar-state", classes="message")
            if names:
                yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#calendar-file", Input).focus()

    def said(self, text: str, bold: bool = False) -> None:
        self.query_one("#calendar-state", Static).update(Text(text, style="bold" if bold else ""))

    def reload(self) -> None:
        from aoi_tui.exports.calendar_file import calendar_events

        try:
            events = calendar_events(self.aoi.unlocked, names=self.aoi.settings.calendar_names)
        except STORE_FAILURES as exc:
            self.said(str(exc), bold=True)
            return
        events.sort(key=lambda e: (e.on, e.at or e.on))
        rows = [
            Option(
                Text(
                    t(
                        "ui.agenda.calendar_row",
                        date=e.on.isoformat(),
                        hour=e.at.strftime("%H:%M") if e.at else "--:--",
                        title=e.title,
                        state=t("ui.agenda.calendar_cancelled") if e.cancelled else "",
                    )
                )
            )
            for e in events
        ]
        listed = self.query_one("#calendar-events", OptionList)
        listed.clear_options()
        listed.add_options(rows or [t("ui.agenda.calendar_none")])
        cancelled = sum(e.cancelled for e in events)
        self.said(
            t(
                "ui.agenda.calendar_count",
                events=plural("calendar.events", len(events)),
                cancelled=plural("ui.agenda.cancelled_count", cancelled),
            )
        )

    def action_write(self) -> None:
        from aoi_tui.exports.calendar_file import build_calendar, calendar_events
        from aoi_tui.exports.writing import shown, write_document
        from aoi_tui.screens.export import document_file

        typed = document_file(self.query_one("#calendar-file", Input).value, "aoi.ics")
        try:
            events = calendar_events(self.aoi.unlocked, names=self.aoi.settings.calendar_names)
            path = write_document(self.aoi.unlocked, typed, "aoi.ics", build_calendar(events))
        except STORE_FAILURES as exc:
            self.said(str(exc), bold=True)
            return
        self.said(
            t(
                "calendar.written",
                path=shown(path) if path else "-",
                events=plural("calendar.events", len(events)),
            )
        )
