"""The Textual App: thin. It unlocks the store (or creates it at first use),
then shows the engagements; it says who is in the room (`room`), which every
screen follows; it sees every key and mouse event first, and locks the screen
after a time without one (`lock.py`)."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen

from aoi_tui.config.i18n import t
from aoi_tui.config.settings import Settings, SettingsError, settings_path
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import AoiScreen
from aoi_tui.screens.commands import AoiCommands
from aoi_tui.screens.engagements import EngagementsScreen
from aoi_tui.screens.keys_in_order import KeysInOrder
from aoi_tui.screens.lock import CHECK_EVERY_S, Held, ScreenLock
from aoi_tui.screens.textual_words import Palette, system_commands, translate_widgets
from aoi_tui.store.store import Store, store_exists

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

ACTIVITY = (events.Key, events.Paste, events.MouseEvent)
"""What tells the App that a person is at the keyboard (the mouse's moves included)."""


class AoiApp(KeysInOrder):
    CSS_PATH = "app.tcss"
    TITLE = "aoi"
    COMMANDS = App.COMMANDS | {AoiCommands}
    BINDINGS = [
        Binding(
            "f2", "toggle_sponsor_safe", t("ui.key.sponsor_safe"), id="sponsor_safe", priority=True
        ),
        # not priority: a screen may keep it out of a full footer (still the key to quit)
        Binding("ctrl+q", "quit", t("ui.key.quit"), id="quit"),
        # priority: the note input would take it first; in the palette, not the footer
        Binding(
            "ctrl+g", "lock", t("ui.key.lock"), id="lock", priority=True, show=False,
            tooltip=t("ui.palette.lock"),
        ),
    ]  # fmt: skip

    room: reactive[Room] = reactive(Room.COACH)
    """Who is in the room: the coach (everything shows) or the N+1 (the sponsor-safe
    view: only what reaches the N+1). F2 switches it; the framing, the handover and
    the closing review bring the N+1 in. Every screen follows it with Textual's
    `watch` (`AoiScreen`), none is told by hand."""

    def __init__(
        self, root: Path, store: Store | None = None, settings: Settings | None = None
    ) -> None:
        super().__init__()
        self.root = root
        self.store: Store | None = store
        self.settings = settings or Settings()
        self.resume_offered = False
        """The first screen offers to resume a live session once per run, not once per process."""
        self.screen_lock = ScreenLock(self)
        self._check_settings()
        # the settings' keys, before any screen reads its bindings
        self.set_keymap(self.settings.keys)

    def _check_settings(self) -> None:
        """The theme and the binding ids are known here only: a wrong one stops aoi
        with a clear line (as any other mistake in the settings file does)."""
        settings = self.settings
        if settings.theme in self.available_themes and not settings.keys:
            return  # the usual start: no screen module imported for nothing
        from aoi_tui.screens.commands import bindings_by_owner, keymap_clashes

        owners = bindings_by_owner()
        ids = {b.id for bindings in owners.values() for b in bindings if b.id}
        problems = settings.interface_problems(self.available_themes, ids)
        if not problems:
            problems = keymap_clashes(dict(self._normalize_keymap(settings.keys)), owners)
        if problems:
            raise SettingsError(f"{settings_path()}: {problems[0]}")

    def get_default_screen(self) -> Screen[Any]:
        # Unlocked before the UI starts: the engagements are the base screen, composed
        # with the App itself, so they come with its first paint.
        return EngagementsScreen() if self.store is not None else Screen()

    def on_mount(self) -> None:
        # NO_COLOR: Textual's own filter turns any theme to monochrome; states are
        # said in characters (toggles.py) and words, never by colour alone
        self.theme = self.settings.theme
        # Textual's widgets in our words, after the first paint (none shows before it)
        self.call_after_refresh(translate_widgets)
        self.set_interval(CHECK_EVERY_S, self.screen_lock.check, name="screen lock")
        self.screen_change_signal.subscribe(self, self.screen_lock.keep_on_top, immediate=True)
        if self.store is None:
            from aoi_tui.screens.unlock import FirstUseScreen, UnlockScreen

            if store_exists(self.root):
                self.push_screen(UnlockScreen(self.root), self._unlocked)
            else:
                self.push_screen(FirstUseScreen(self.root), self._unlocked)

    def _unlocked(self, store: Store | None) -> None:
        if store is None:
            self.exit()
            return
        self.store = store
        self.push_screen(EngagementsScreen())

    @property
    def sponsor_safe(self) -> bool:
        """The sponsor-safe view: the N+1 is in the room."""
        return self.room is Room.SPONSOR

    def watch_room(self, room: Room) -> None:
        # a toast said to the coach alone ("validated for Léa") leaves with the room
        if room is not Room.COACH:
            self.clear_notifications()

    def action_toggle_sponsor_safe(self) -> None:
        """F2: the N+1 comes in, or leaves."""
        screen = self.screen
        back = screen.room_after_sponsor() if isinstance(screen, AoiScreen) else Room.COACH
        self.room = back if self.room is Room.SPONSOR else Room.SPONSOR
        self.notify(t("ui.sponsor_safe.on" if self.sponsor_safe else "ui.sponsor_safe.off"))

    # -- the screen lock (lock.py) ---------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, ACTIVITY):
            self.screen_lock.seen()  # before any widget: the note input consumes keys
        await super().on_event(event)

    def action_lock(self) -> None:
        """The lock key, or the palette: lock now."""
        self.screen_lock.lock()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.screen_lock.allows(action)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        if self.screen_lock.hold(Held(message, title, severity, timeout, markup)):
            return  # said once the lock opens
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @property
    def unlocked(self) -> Store:
        assert self.store is not None, "the store is unlocked before any screen uses it"
        return self.store

    # -- Textual's own words, in ours (textual_words.py) ----------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(
            Palette(providers=[ThemeProvider], placeholder=t("ui.palette.theme_placeholder"))
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from system_commands(self, screen)

    def action_help_quit(self) -> None:
        """ctrl+c (a reflex to quit): say which key quits, in the coach's language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(t("ui.quit_hint.message", quit_key=key), title=t("ui.quit_hint.title"))
                return


def run_app(root: Path, store: Store | None, settings: Settings | None = None) -> None:
    collect_garbage_for_a_live_session()
    AoiApp(root, store, settings).run()


def collect_garbage_for_a_live_session() -> None:
    """Python's collector walks every object aoi holds when it collects the oldest
    generation: at the first screen about 60,000 (modules, Textual), with a session
    of 2,000 notes and its debrief 150,000, 0.1 to 0.2 s each time, and it fell in
    the middle of a resume, a debrief opening or a return from it. What is loaded
    now lives as long as aoi: frozen, no collection walks it again; and collections
    come less often (every 10,000 new objects instead of 700), each walking fewer."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
