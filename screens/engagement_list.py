"""The list of engagements on the first screen: one line per engagement under a
header, a row cursor, Enter or a click to open.

Drawn with Textual's line API (a ScrollView that renders each visible line
itself) rather than a DataTable: a DataTable sizes its rows on its first idle
and renders every cell through Rich's wrapping, which cost a repaint and about
13 ms before a coach saw the first name on a store of 300 engagements. Here a
line is a few segments, and the size is known as soon as the rows are set."""

from __future__ import annotations

from dataclasses import dataclass

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

PADDING = 1
"""Blank columns on each side of a cell."""
SCROLLBAR = 1
"""The vertical scrollbar's width, its gutter always kept (app.tcss): the columns
are fitted to the width once, whether the rows overflow or not."""


@dataclass(frozen=True)
class Cell:
    text: str
    style: str = ""
    """A Rich style over the whole cell (the alerts: bold reverse), added to the row's."""


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width else ""


class EngagementList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "engagement-list--header",
        "engagement-list--even-row",
        "engagement-list--cursor",
    }

    BINDINGS = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]
    """Enter belongs to the screen (Open, shown in its footer)."""

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class Selected(Message):
        """Enter, or a click, on an engagement."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[tuple[str, int]] = []
        self.rows: list[Row] = []

    # -- data ---------------------------------------------------------------------

    def set_columns(self, columns: list[tuple[str, int]]) -> None:
        """(label, width) per column; the width excludes the padding."""
        self.columns = columns
        self._resize()

    def set_rows(self, rows: list[Row]) -> None:
        """Replace the rows; the cursor stays on the same line, within the new rows."""
        self.rows = rows
        self._resize()
        self.cursor_row = min(self.cursor_row, max(0, len(rows) - 1))

    @property
    def selected_key(self) -> str | None:
        return self.rows[self.cursor_row].key if self.rows else None

    def texts(self) -> list[list[str]]:
        """The rows as plain text, cell by cell (what the coach reads)."""
        return [[cell.text for cell in row.cells] for row in self.rows]

    def _resize(self) -> None:
        width = sum(w + 2 * PADDING for _, w in self.columns)
        self.virtual_size = Size(width, len(self.rows) + 1)  # + the header line
        self.refresh()

    # -- drawing ------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            cells = tuple(Cell(label) for label, _ in self.columns)
            style = base + self.get_component_rich_style("engagement-list--header")
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            cells = self.rows[index].cells
            style = base
            if index % 2 == 0:
                style += self.get_component_rich_style("engagement-list--even-row")
            if index == self.cursor_row:
                style += self.get_component_rich_style("engagement-list--cursor")
        pad = " " * PADDING
        segments = [
            Segment(
                pad + fit(cell.text, w) + pad,
                style + Style.parse(cell.style) if cell.style else style,
            )
            for cell, (_, w) in zip(cells, self.columns, strict=False)
        ]
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()

    @property
    def _page(self) -> int:
        """The rows in view: the height less the header line."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        visible = self._page
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def on_resize(self) -> None:
        self._scroll_to_cursor()  # a shorter terminal must not hide the cursor

    def on_focus(self) -> None:
        self.refresh()  # the cursor's colour follows the focus

    def on_blur(self) -> None:
        self.refresh()

    # -- moving and choosing ------------------------------------------------------

    def move_cursor(self, *, row: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))

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

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.rows):
            self.cursor_row = index
            self.post_message(self.Selected(self.rows[index].key))
