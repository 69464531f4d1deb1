"""The reference for benchmarks/live.py: a bare Textual app with one Input.

    python benchmarks/bare_input.py

Enter clears the input (nothing else is done with the text). F9 opens a screen
with one line of text and Escape closes it, so that opening a screen and coming
back (Escape included: Textual's escape delay) have a reference too.

(A key in the same write as the Enter is lost here: Textual's Input takes it
before Enter's binding and `Input.Submitted` run. aoi keeps it, screens/keys_in_order.py;
live.py types the next key once the input shows empty.)"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

OTHER_SCREEN = "bare other screen"


class Other(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static(OTHER_SCREEN)


class BareInput(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("f9", "other", "Other screen")]

    def compose(self) -> ComposeResult:
        yield Input(id="input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.input.value = ""

    def action_other(self) -> None:
        self.push_screen(Other())


if __name__ == "__main__":
    BareInput().run()
