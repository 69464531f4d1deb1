"""A multi-line Markdown editor for a longer note, without leaving the session.

In a group's session it says whom the note concerns as it is typed, as the
one-line input does (an `@prefix` names a person: `group_room.whom`), and a
cover lies over the text as soon as the group in the room may not read it (an
`@` typed, a person chosen): the keys are kept, unseen, as in the input."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import note_too_long
from aoi_tui.domain.text import clean
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import show_the_room

Whom = Callable[[str, Room], tuple[Text | None, bool]]
"""A group's note: for its words and who is in the room, the line saying whom it
concerns (None: nothing to say on screen) and whether it is masked."""


class NoteEditorScreen(ModalScreen[tuple[str, bool] | None]):
    """Returns (text, save?): ctrl+o saves, Escape gives the text back unsaved."""

    BINDINGS = [
        Binding("ctrl+o", "close(True)", t("ui.key.save"), id="editor.save", priority=True),
        Binding("escape", "close(False)", t("ui.key.back_keep"), id="editor.back", priority=True),
    ]

    def __init__(
        self,
        text: str,
        title: str,
        on_change: Callable[[str], None] | None = None,
        whom: Whom | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.title_text = title
        self.on_change = on_change
        self.whom = whom
        """A group's session: whom the words concern, and whether they are masked."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text, classes="dialog-title")
            if self.whom is not None:
                yield Static(id="editor-about")
            with Container(classes="covered"):
                yield TextArea(self.text, language="markdown", id="editor", soft_wrap=True)
                yield Static(t("ui.sponsor_safe.covered"), classes="cover", id="editor-cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        # F2 while editing: a cover hides the text (see app.tcss); the editor keeps
        # the focus, so what is typed meanwhile is kept, unseen, until F2 again. Not
        # at opening: a session opens no editor in view of the N+1, and the framing's
        # competencies are edited with the N+1 in the room.
        self.watch(self.app, "room", self.room_changed, init=False)
        self.show_whom(self.text)

    def room_changed(self, room: Room) -> None:
        show_the_room(self, room)
        self.show_whom(self.query_one(TextArea).text)

    def show_whom(self, text: str) -> None:
        """A group's note: whom it concerns, on the line above the text, and the
        cover over the text while the group may not read it (`-masked`)."""
        if self.whom is None:
            return
        room: Room = getattr(self.app, "room", Room.COACH)
        line, hidden = self.whom(text, room)
        self.set_class(hidden and room is not Room.SPONSOR, "-masked")
        cover = "ui.sponsor_safe.covered" if room is Room.SPONSOR else "ui.editor.masked"
        self.query_one("#editor-cover", Static).update(t(cover))
        about = self.query_one("#editor-about", Static)
        about.display = line is not None and not hidden
        if line is not None and not hidden:
            about.update(line.append("  " + t("ui.editor.about_hint"), style="not bold"))

    @on(TextArea.Changed)
    def changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        cleaned = clean(text)
        if cleaned != text:
            event.text_area.load_text(cleaned)
            return
        if self.on_change is not None:
            self.on_change(cleaned)  # the draft survives a crash here too
        self.show_whom(cleaned)

    def action_close(self, save: bool) -> None:
        text = clean(self.query_one(TextArea).text)
        too_long = note_too_long(text) if save else None
        if too_long:  # said, and the editor stays open with the text
            self.notify(too_long, severity="error", timeout=10)
            return
        self.dismiss((text, save))
