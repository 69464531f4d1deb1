"""Textual's own words, said in aoi's language: the command palette (its
placeholder, "no matches", the system commands), the hint ctrl+c gives, and the
key a dropdown shows in the footer. Textual writes them in English; a French
coach met "Search for commands…" and "Dismiss menu" among French screens.

The palette keeps the system commands a coach needs (the theme, maximising a
field) and drops two: "Keys" (a panel of Textual's own English key names; the
palette itself lists every key of the screen) and "Screenshot", which writes the
screen as it is — private notes included — unencrypted to the disk."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import t

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


class Palette(CommandPalette):
    """The command palette with its words in aoi's language."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", t("ui.palette.placeholder"))
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own, with its one English sentence in our words
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("ui.palette.no_match"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(app: App[Any], screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Textual's system commands aoi keeps, in its words."""
    yield SystemCommand(t("ui.system.theme"), t("ui.system.theme_help"), app.action_change_theme)
    if screen.maximized is not None:
        yield SystemCommand(
            t("ui.system.minimize"), t("ui.system.minimize_help"), screen.action_minimize
        )
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(
            t("ui.system.maximize"), t("ui.system.maximize_help"), screen.action_maximize
        )


def translate_widgets() -> None:
    """The keys Textual's widgets show in the footer, named in aoi's language (read
    when a widget is made: call before the first screen that has one). Imported
    here, after the first paint: the first screen has no dropdown."""
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", t("ui.key.close_list"))]
    # Textual merges a class's bindings when the class is made: merge them again
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()
