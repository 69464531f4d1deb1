"""The debrief's notes: one line per note under a header (visibility, validation,
kind, text) and a row cursor; the screen shows the whole text under the cursor.

Drawn with Textual's line API and a cache per note, as `notes_list.py` draws the
live session's notes. A DataTable measured every cell of every row through Rich
whenever the debrief opened or a note changed (at 2,000 notes about 24,000 calls
for the terminal's size), so the debrief took a second to open. Here a note's
cells are made and measured once, and again only when the note changes; a line
is drawn only when in view, and kept until its note, the cursor or the columns
change. The look is DataTable's (app.tcss): the header, the cursor following
the focus, the columns as wide as their widest cell, scrolled sideways."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from aoi_tui.config.i18n import t
from aoi_tui.domain.models import Action, Note, Visibility
from aoi_tui.domain.text import clean

PADDING = 1
"""Blank columns on each side of a cell (DataTable's cell padding)."""

COLUMNS = ("visibility", "validation", "kind", "text")
GROUP_COLUMNS = ("visibility", "validation", "kind", "whose", "text")
"""A group's: whom each note concerns, before its text (`DebriefNotes.whom_of`)."""


def visibility_words(item: Note | Action) -> tuple[str, str]:
    """Private or shareable; validated, edited since its validation, or neither."""
    vis = t("ui.vis.shareable") if item.visibility is Visibility.SHAREABLE else t("ui.vis.private")
    if item.validated:
        state = t("validated")
    elif item.validation is not None:
        state = t("ui.debrief.edited_since")
    else:
        state = "—"
    return vis, state


def one_line(text: str) -> str:
    """A note's text on one line of the table: its line breaks and tabs as spaces
    (the whole text, as typed, is under the table)."""
    return " ".join(clean(text).replace("\t", " ").splitlines())


@dataclass
class NoteRow:
    """A note as the table shows it: its cells, their widths, its lines drawn."""

    note: Note
    cells: tuple[str, ...]
    widths: tuple[int, ...]
    strips: dict[tuple[Style, tuple[int, ...]], Strip] = field(default_factory=dict)
    """Its line, by the style it was drawn in and the columns' widths then."""


class DebriefNotes(ScrollView, can_focus=True):
    """The session's notes in the debrief (those the room may see: the screen
    chooses). Up, down, page up, page down, ctrl+home and ctrl+end move the
    cursor; left, right, home and end scroll a long text sideways."""

    COMPONENT_CLASSES = {"debrief-notes--header", "debrief-notes--cursor"}

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("ctrl+home", "first", show=False),
        Binding("ctrl+end", "last", show=False),
        Binding("left", "scroll_left", show=False),
        Binding("right", "scroll_right", show=False),
        Binding("home", "leftmost", show=False),
        Binding("end", "rightmost", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor is on another note (or the notes changed under it)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = tuple(t(f"ui.col.{key}") for key in COLUMNS)
        self.rows: list[NoteRow] = []
        self._row_of: dict[str, NoteRow] = {}
        """Each note's row by its id: a reload keeps the rows of notes unchanged."""
        self._words: dict[tuple[object, ...], tuple[tuple[str, ...], tuple[int, ...]]] = {}
        """The first three cells and their widths, by what makes them."""
        self.widths: tuple[int, ...] = tuple(cell_len(label) for label in self.labels)
        self.words_of: Callable[[Note], tuple[str, str]] | None = None
        """A group's debrief: a note's visibility and validation in words, as the
        room may read them (the screen sets it); None: `visibility_words`."""
        self.whom_of: Callable[[Note], str] | None = None
        """A group's debrief: whom a note concerns, as the room may read it (a
        column of its own, `says_whom`); None: no such column."""
        self.measured = 0
        """Rows made and measured since the table was made (a test counts them)."""
        self.drawn = 0
        """Row lines drawn (not taken from the cache) since the table was made."""

    # -- the notes ----------------------------------------------------------------------

    def set_notes(self, notes: Iterable[Note]) -> None:
        """The notes to show, in order; a note unchanged since the last call keeps its
        row (not made, measured nor drawn again). The cursor keeps its line."""
        rows = []
        for note in notes:
            row = self._row_of.get(note.id)
            if row is None or row.note != note:
                row = self._make(note)
            rows.append(row)
        self.rows = rows
        self._row_of = {row.note.id: row for row in rows}
        self._fit()
        self.cursor_row = min(self.cursor_row, max(0, len(rows) - 1))

    def says_whom(self, whom_of: Callable[[Note], str]) -> None:
        """A group's notes: a column says whom each concerns, in `whom_of`'s words."""
        self.whom_of = whom_of
        self.labels = tuple(t(f"ui.col.{key}") for key in GROUP_COLUMNS)
        self.widths = tuple(cell_len(label) for label in self.labels)
        self._row_of = {}

    def words_changed(self) -> None:
        """What `words_of` says changed for every note (who is in the room, whose
        validation is recorded): the rows are made again at the next `set_notes`."""
        self._row_of = {}

    def changed(self, note: Note) -> None:
        """One note changed (shared, validated): its row alone is made again."""
        old = self._row_of.get(note.id)
        if old is None:
            return
        row = self._row_of[note.id] = self._make(note)
        self.rows[self.rows.index(old)] = row
        self._fit()
        self.cursor_row = self.cursor_row  # the detail follows

    def _make(self, note: Note) -> NoteRow:
        self.measured += 1
        key = (note.visibility, note.validated, note.validation is not None, note.kind)
        words = self._words.get(key)
        if self.words_of is not None:  # a group's: each person's validation, not cached
            cells = (*self.words_of(note), t(f"kind.{note.kind.value}"))
            words = (cells, tuple(cell_len(c) for c in cells))
        elif words is None:
            cells = (*visibility_words(note), t(f"kind.{note.kind.value}"))
            words = self._words[key] = (cells, tuple(cell_len(c) for c in cells))
        if self.whom_of is not None:  # a group's: whom it concerns, as the room may read
            whom = self.whom_of(note)
            words = ((*words[0], whom), (*words[1], cell_len(whom)))
        text = one_line(note.text)
        return NoteRow(note, (*words[0], text), (*words[1], cell_len(text)))

    def _fit(self) -> None:
        """Each column as wide as its widest cell (a DataTable's columns)."""
        widths = [cell_len(label) for label in self.labels]
        for row in self.rows:
            widths = [max(w, c) for w, c in zip(widths, row.widths, strict=True)]
        self.widths = tuple(widths)
        self.virtual_size = Size(sum(w + 2 * PADDING for w in widths), len(self.rows) + 1)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def selected(self) -> Note | None:
        """The note under the cursor."""
        return self.rows[self.cursor_row].note if self.rows else None

    def texts(self) -> list[list[str]]:
        """The rows as the coachee reads them, cell by cell."""
        return [list(row.cells) for row in self.rows]

    # -- drawing ------------------------------------------------------------------------

    def _line(self, cells: Iterable[str], style: Style) -> Strip:
        pad = " " * PADDING
        return Strip(
            [
                Segment(pad + set_cell_size(cell, width) + pad, style)
                for cell, width in zip(cells, self.widths, strict=True)
            ]
        )

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:  # the header stays at the top
            style = base + self.get_component_rich_style("debrief-notes--header")
            line = self._line(self.labels, style)
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            row = self.rows[index]
            style = base
            if index == self.cursor_row:
                style += self.get_component_rich_style("debrief-notes--cursor")
            key = (style, self.widths)
            cached = row.strips.get(key)
            if cached is None:
                self.drawn += 1
                row.strips.clear()  # older styles and widths are not coming back soon
                cached = row.strips[key] = self._line(row.cells, style)
            line = cached
        # as a DataTable's row cursor: the row's style out to the right edge
        return line.crop_extend(scroll_x, scroll_x + width, style)

    # -- the cursor ---------------------------------------------------------------------

    @property
    def _page(self) -> int:
        """The rows in view: the height less the header line."""
        return max(1, self.scrollable_content_region.height - 1)

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted())

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + self._page:
            self.scroll_to(y=self.cursor_row - self._page + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._scroll_to_cursor()  # a shorter terminal must not hide the cursor

    def on_focus(self) -> None:
        self.refresh()  # the cursor's colour follows the focus

    def on_blur(self) -> None:
        self.refresh()

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = row

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page)

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def action_leftmost(self) -> None:
        self.scroll_to(x=0, animate=False)

    def action_rightmost(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.rows):
            self.cursor_row = index
