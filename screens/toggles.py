"""Checkboxes and radio buttons whose state reads without colour.

Textual draws a ticked and an unticked box alike (`▐X▌`) and tells them apart by
colour only: on a monochrome terminal, or with NO_COLOR, consent and the
reporting flags could not be read. Here the state is in the characters: `[x]`
and `[ ]`, `(•)` and `( )`. Use these wherever aoi shows a box or a choice."""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class Tick(Checkbox):
    """A checkbox that reads `[x]` ticked and `[ ]` not."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = "x" if self.value else " "  # what Textual draws between the brackets


class Choice(RadioButton):
    """A radio button that reads `(•)` chosen and `( )` not."""

    BUTTON_LEFT = "("
    BUTTON_RIGHT = ")"

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        super().watch_value()
        self.BUTTON_INNER = "•" if self.value else " "  # what Textual draws between the brackets
