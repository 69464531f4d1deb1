"""A programme's feed from the TUI (issue 14): choose the programme, see in
clear exactly what will leave for its lead (codes and numbers, random keys),
write it encrypted to the lead. Opened from the command palette."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from aoi_tui.config.i18n import plural, t
from aoi_tui.programme.definition import Programme, ProgrammeError
from aoi_tui.screens.base import AoiScreen
from aoi_tui.screens.export import is_this_terminal
from aoi_tui.secure.durable import StoreWriteError

if TYPE_CHECKING:
    from aoi_tui.programme.feed import Feed


class ProgrammeFeedScreen(AoiScreen[None]):
    BINDINGS = [
        Binding(
            "ctrl+o", "write", t("ui.key.write_export"), id="programme_feed.write", priority=True
        ),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="programme_feed.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.programmes: dict[str, Programme] = {}
        self.feed: Feed | None = None
        self.covered: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="feed-form"):
            yield Select([], prompt=t("ui.programme.choose"), allow_blank=True, id="programme")
            yield Label(t("ui.export.file"))
            yield Input(id="feed-path")
        yield Static(id="feed-state", classes="message")
        yield TextArea(id="feed-preview", read_only=True, soft_wrap=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from aoi_tui.store.programme_book import ProgrammeBook

        book = ProgrammeBook(self.aoi.unlocked)
        for pid in book.joined_ids():
            entry = book.joined(pid)
            if entry is not None:
                self.programmes[pid] = Programme.model_validate(entry)
        select = self.query_one("#programme", Select)
        select.set_options([(p.name, pid) for pid, p in self.programmes.items()])
        if not self.programmes:
            self.query_one("#feed-state", Static).update(Text(t("ui.programme.none"), style="bold"))
            return
        select.value = next(iter(self.programmes))

    @on(Select.Changed, "#programme")
    def rebuild(self) -> None:
        from aoi_tui.programme.feed import clear_text
        from aoi_tui.programme.sending import build_coach_feed

        value = self.query_one("#programme", Select).value
        state = self.query_one("#feed-state", Static)
        preview = self.query_one("#feed-preview", TextArea)
        programme = self.programmes.get(str(value)) if value is not Select.NULL else None
        self.feed = None
        if programme is None:
            preview.load_text("")
            return
        try:
            self.feed, self.covered = build_coach_feed(self.aoi.unlocked, programme)
        except ProgrammeError as exc:
            state.update(Text(str(exc), style="bold"))
            preview.load_text("")
            return
        path = self.query_one("#feed-path", Input)
        if not path.value or Path(path.value).name.startswith("aoi-feed-"):
            path.value = str(Path.cwd() / f"aoi-feed-{programme.id[:8]}.age")
        state.update(Text(t("ui.programme.preview"), style="bold"))
        preview.load_text(clear_text(self.feed))  # the very feed that is sealed and written

    def action_write(self) -> None:
        from aoi_tui.cli.programme import write_guarded
        from aoi_tui.programme.feed import seal_feed
        from aoi_tui.programme.sending import record_feed

        value = self.query_one("#programme", Select).value
        programme = self.programmes.get(str(value)) if value is not Select.NULL else None
        if self.feed is None or programme is None:
            return
        target = self.query_one("#feed-path", Input).value.strip()
        if not target or is_this_terminal(target):
            self.notify(t("ui.export.not_terminal"), severity="error", timeout=10)
            return
        try:
            sealed = seal_feed(self.feed, programme)
            path = write_guarded(
                self.aoi.unlocked, target, "aoi-feed.age", sealed.decode("ascii"), fresh=False
            )
            assert path is not None  # never standard output here
            record_feed(self.aoi.unlocked, programme, self.covered, path)
        except (StoreWriteError, OSError, ProgrammeError) as exc:
            self.notify(t("ui.programme.failed", reason=str(exc)), severity="error", timeout=10)
            return
        people = sum(len(e.participants) for e in self.feed.engagements)
        self.notify(
            t(
                "ui.programme.written",
                path=str(path),
                engagements=plural("ui.programme.engagements", len(self.feed.engagements)),
                people=plural("ui.programme.people", people),
            ),
            timeout=8,
        )
        self.app.pop_screen()
