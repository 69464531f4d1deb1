"""An input field that no single key empties: for forms that hold saved text
(the framing's names, counts and dates), saved as they are typed.

Textual's Input selects all its text when Tab brings the focus in, so the next
letter replaces a coachee's name; and it has no undo. `KeptInput` keeps the
cursor at the end instead, and ctrl+z takes back its changes one by one."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

UNDO_DEPTH = 200
"""Changes a field remembers for ctrl+z (each key typed is one)."""


class KeptInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "Undo", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._undo: list[str] = []
        self._shown = ""
        self._undoing = False
        self._proposed: str | None = None
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def propose(self, value: str) -> None:
        """Show a value the form proposes (a default, not saved text): selected when
        the focus comes in, so that typing replaces it."""
        self._proposed = value
        self.value = value
        self.select_on_focus = True

    def watch_value(self, value: str) -> None:
        if self._undoing:
            self._undoing = False
        elif value != self._shown:
            self._undo.append(self._shown)
            del self._undo[:-UNDO_DEPTH]
        self._shown = value
        # saved or typed text is never selected on focus: one key would replace it
        self.select_on_focus = value == self._proposed

    def forget_changes(self) -> None:
        """From now on, ctrl+z goes back no further than the value shown now (call
        it once the form is filled from the store)."""
        self._undo.clear()
        self._shown = self.value

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def action_undo(self) -> None:
        if not self._undo:
            self.app.bell()
            return
        previous = self._undo.pop()
        self._undoing = previous != self.value
        self.value = previous
        self.cursor_position = len(previous)
