"""The coachee's log of experiences since the last session (seed 000):
typed in, or imported from a text or Markdown file."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static, TextArea

from aoi_tui.config.i18n import t
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import show_the_room

MAX_IMPORT = 200_000  # characters: a log, not a book


class CoacheeLogScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+o", "save", t("ui.key.save"), id="log.save", priority=True),
        Binding("escape", "cancel", t("ui.key.cancel"), id="log.cancel", priority=True),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(t("ui.log.title"), classes="dialog-title")
            with Container(classes="covered"):
                yield TextArea(self.text, language="markdown", id="log", soft_wrap=True)
                yield Static(t("ui.sponsor_safe.covered"), classes="cover")
            yield Label(t("ui.log.import"))
            yield Input(placeholder="~/journal.md", id="path")
            yield Static("", id="message", classes="message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # F2 while the log is open: a cover hides it (see app.tcss), what is typed
        # meanwhile is kept, unseen, until F2 again (a session opens no log in view
        # of the N+1)
        self.watch(self.app, "room", self.room_changed, init=False)

    def room_changed(self, room: Room) -> None:
        show_the_room(self, room)

    @on(Input.Submitted, "#path")
    def import_file(self, event: Input.Submitted) -> None:
        message = self.query_one("#message", Static)
        path = Path(event.value.strip()).expanduser()
        try:
            content = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message.update(t("ui.log.import_failed", path=str(path), reason=reason))
            return
        if len(content) > MAX_IMPORT:
            message.update(t("ui.log.too_long", limit=MAX_IMPORT))
            return
        area = self.query_one(TextArea)
        joined = (area.text.rstrip() + "\n\n" if area.text.strip() else "") + clean(content).strip()
        area.load_text(joined)
        message.update(t("ui.log.imported", path=str(path)))
        event.input.value = ""

    def action_save(self) -> None:
        self.dismiss(clean(self.query_one(TextArea).text))

    def action_cancel(self) -> None:
        self.dismiss(None)
