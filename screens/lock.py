"""The screen locks itself (issue 15 §5): a laptop left open in a meeting room
must not show a coachee's notes.

After a time without a key or a mouse event (the settings' `lock_minutes`, 15 by
default; in a live session `live_lock_minutes`, off by default: a coach may
watch for two hours without typing), or at once with the lock key, aoi shows
`LockScreen`: a whole Screen, not a dialog over the notes, so nothing of what
was on screen is drawn. Only the passphrase typed there opens it again, never
`AOI_PASSPHRASE` nor the remembered key: the point is a person at the open
laptop. Three wrong passphrases close aoi (the live session's draft is written
first, as on any quit) and forget the remembered key, so that starting aoi again
asks for the passphrase.

Idleness is seen by the App (`ScreenLock.seen` for every key, paste and mouse
event it receives, before any widget: the note input consumes keys) and
measured with aoi's clock (`domain/clock.py`, which `AOI_NOW` fixes in tests),
checked once a second. While locked the App's own keys do nothing (the N+1's
view, the palette, quit), the toasts wait until the lock opens, and a screen
pushed or popped from underneath (a worker finishing, a time-out) finds the lock
put back on top. The screens underneath keep running: the session's timers go
on, the note being typed stays as it was."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, Static

from aoi_tui.access import keyring_access
from aoi_tui.access.opening import TRIES, passphrase_opens
from aoi_tui.config.i18n import t
from aoi_tui.domain import clock
from aoi_tui.live.live_session import held_here

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from aoi_tui.screens.app import AoiApp

CHECK_EVERY_S = 1.0
"""How often the App looks at the time since the last key (a clock's second)."""

LONGEST = 1024
"""Characters the passphrase field takes: more than any passphrase typed by hand, and
a huge paste (a stranger's, megabytes) is refused at once instead of freezing aoi
for seconds while the field draws it."""

WHILE_LOCKED = frozenset({"lock"})
"""The App's actions that still work while locked (the lock key does nothing more)."""


@dataclass(frozen=True)
class Held:
    """A notification raised while locked, shown once the lock opens."""

    message: str
    title: str
    severity: SeverityLevel
    timeout: float | None
    markup: bool


def in_live_session(app: AoiApp) -> bool:
    """A live session runs in this window: its screen is in the stack (the debrief
    over it included) and this process holds its lease (not ended, not resumed by
    another aoi). A session left with Escape is not watched: its lease alone is not."""
    import sys

    if "aoi_tui.screens.session" not in sys.modules or app.store is None:
        return False  # no session was opened: its module is not loaded for this
    from aoi_tui.screens.session import SessionScreen

    return any(
        isinstance(screen, SessionScreen)
        and held_here(app.store.root, screen.engagement_id, screen.number)
        for screen in app.screen_stack
    )


class ScreenLock:
    """The App's lock: when a person last touched the keyboard or the mouse, whether
    aoi is locked, and the tries left."""

    def __init__(self, app: AoiApp) -> None:
        self.app = app
        self.last_seen: datetime = clock.now()
        self.locked = False
        self.tries = 0
        """Wrong passphrases since the lock closed (kept if its screen is put back)."""
        self.closing = False
        self.held: list[Held] = []

    # -- idleness ------------------------------------------------------------------------

    def seen(self) -> None:
        """A key, a paste or a mouse event reached the App: a person is there."""
        self.last_seen = clock.now()

    def check(self) -> None:
        """Lock if nobody touched a key for long enough (aoi's clock). A clock set back
        (a time zone, a correction) counts from now, never from the future. Whether a
        live session runs (a file read) is asked only once the shorter wait is over."""
        now = clock.now()
        if now < self.last_seen:
            self.last_seen = now
        idle = now - self.last_seen
        settings = self.app.settings
        waits = [m for m in (settings.lock_after(live=False), settings.lock_after(live=True)) if m]
        if self.locked or not waits or idle < timedelta(minutes=min(waits)):
            return
        minutes = settings.lock_after(live=in_live_session(self.app))
        if minutes is not None and idle >= timedelta(minutes=minutes):
            self.lock()

    # -- locking and opening -------------------------------------------------------------

    def lock(self) -> None:
        """Cover everything with the lock screen (nothing to hide before the store opens)."""
        if self.locked or self.app.store is None:
            return
        self.locked, self.tries = True, 0
        self.app.clear_notifications()  # a toast would be drawn over the lock screen
        self.app.push_screen(LockScreen())

    def keep_on_top(self, _screen: object = None) -> None:
        """Whatever changed the screen while locked (a screen pushed by a worker, one
        popped by a time-out), the lock is put back on top before anything is drawn;
        once open, a lock left under such a screen goes as soon as it is on top again."""
        if self.closing:
            return
        top = self.app.screen
        if self.locked and not isinstance(top, LockScreen):
            self.app.push_screen(LockScreen())
        elif not self.locked and isinstance(top, LockScreen) and len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def opened(self) -> None:
        """The passphrase was typed: back to the screen as it was (every lock on top
        goes), then what was said meanwhile."""
        self.locked, self.tries = False, 0
        self.last_seen = clock.now()
        self.keep_on_top()
        held, self.held = self.held, []
        for n in held:
            self.app.notify(
                n.message, title=n.title, severity=n.severity, timeout=n.timeout, markup=n.markup
            )

    def hold(self, notification: Held) -> bool:
        """While locked a notification waits (it would be drawn over the lock)."""
        if self.locked:
            self.held.append(notification)
        return self.locked

    def allows(self, action: str) -> bool:
        """The App's actions while locked: none but the lock key (a no-op then)."""
        return not self.locked or action in WHILE_LOCKED

    def close(self) -> None:
        """Too many wrong passphrases: aoi closes (each live session writes its draft as
        it closes) with a line in the terminal once it is restored."""
        self.closing = True
        self.app.exit(return_code=1, message=t("ui.lock.closed", tries=TRIES))


class LockScreen(Screen[None]):
    """Opaque: a Screen of its own, so nothing of the screens underneath is drawn. It
    names nobody and nothing: no header, no footer, no coachee."""

    AUTO_FOCUS = "#lock-passphrase"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="lock"):
            yield Static(t("ui.lock.title"), classes="dialog-title")
            yield Static(t("ui.lock.explain"), classes="explain")
            yield Label(t("ui.lock.prompt"))
            yield Input(password=True, max_length=LONGEST, id="lock-passphrase")
            yield Static("", id="lock-message", classes="message")

    @property
    def _aoi(self) -> AoiApp:
        return cast("AoiApp", self.app)

    @property
    def guard(self) -> ScreenLock:
        return self._aoi.screen_lock

    @on(Input.Submitted, "#lock-passphrase")
    def try_passphrase(self, event: Input.Submitted) -> None:
        if not event.value:
            return  # Enter alone: no try spent
        event.input.disabled = True
        self.query_one("#lock-message", Static).update(t("ui.lock.checking"))
        self.check(event.value, last=self.guard.tries + 1 >= TRIES)

    @work(thread=True, exclusive=True)
    def check(self, passphrase: str, last: bool) -> None:
        store = self._aoi.unlocked
        if passphrase_opens(store, passphrase):
            self.app.call_from_thread(self.guard.opened)
            return
        if last:
            # someone is guessing: starting aoi again must ask for the passphrase too
            # (the keyring call is bounded in time; no keyring is nothing to forget)
            with contextlib.suppress(keyring_access.NoKeyring):
                keyring_access.forget(store.keyfile.store_id)
        self.app.call_from_thread(self.wrong)

    def wrong(self) -> None:
        guard = self.guard
        guard.tries += 1
        if guard.tries >= TRIES:
            guard.close()
            return
        field = self.query_one("#lock-passphrase", Input)
        self.query_one("#lock-message", Static).update(t("ui.lock.wrong", left=TRIES - guard.tries))
        field.value = ""
        field.disabled = False
        field.focus()
