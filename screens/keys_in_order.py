"""Keys handled one at a time, in the order the terminal sent them.

Textual hands a key to the focused widget's queue and goes on with the next
key at once; the key then bubbles up, widget by widget, and its binding (Enter
to submit, Tab to move, F4 to share) runs when it reaches the App, behind every
key the terminal sent meanwhile. Typed at human speed nobody notices. In a
burst (a slow SSH link, a paste, a fast typist) the Input had taken the next
notes' letters before Enter's binding read its value, and Tab moved the focus
after the next key had gone to the old field: notes were merged, doubled, lost.

Here the App follows each key up its path (the focused widget, then each
parent to the screen) until every one has handled it, runs the key's bindings
itself, follows what they posted (Enter's `Input.Submitted`) up the same path,
and only then looks at the next key. Each key sees the screen as every key
before it left it, and a screen that empties an input after Enter empties the
note just taken, never the first letters of the next one."""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App
from textual.driver import Driver
from textual.message import Message
from textual.widget import Widget

SETTLE_TIMEOUT = 3.0
"""The longest the App waits for one widget to take a key: a safety net, since a
widget takes a key in well under a millisecond (a few on a busy screen)."""


class KeysInOrder(App[None]):
    """An App whose keys and pastes are handled one after the other."""

    def __init__(self) -> None:
        super().__init__()
        self._in_flight: events.Key | None = None
        """The key on its way up; it is not queued again when it reaches the App."""
        self._reached_app = False
        self._consequences: list[events.Callback] | None = None
        """What the key asked the App to do next (`focus()` is one): done before the
        next key, not behind every key already queued."""

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver" and driver.__module__ == "textual.drivers.linux_driver":
            # a terminal that sends a stray byte or a paste with escapes (terminal_input.py)
            from aoi_tui.screens.terminal_input import TerminalDriver

            return TerminalDriver
        return driver

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key | events.Paste)
            and not event.is_forwarded
            and self.screen.maximized is None
        ):
            await self._in_order(event)
            return
        await super().on_event(event)

    async def _in_order(self, event: events.Key | events.Paste) -> None:
        self.app_focus = True
        screen = self.screen
        self._consequences = []
        try:
            await self._handle(event)
            await self._consequences_done(screen)
        finally:
            self._consequences = None

    async def _handle(self, event: events.Key | events.Paste) -> None:
        if isinstance(event, events.Key):
            if await self._check_bindings(event.key, priority=True):
                return
            self._in_flight, self._reached_app = event, False
        target: Widget = self.focused or self.screen
        try:
            target._forward_event(event)
            await self._followed_up(target)
        finally:
            self._in_flight = None
        if isinstance(event, events.Key) and self._reached_app:
            # no widget on its way took it: the focus chain's bindings, as in
            # Textual, but now, before the next key; then what they posted (Enter's
            # Input.Submitted) is handled too, before the next key can change the input
            await App._on_key(self, event)
            await self._followed_up(target)

    async def _consequences_done(self, screen: object) -> None:
        """A screen the key opened has mounted and taken the focus, and the focus
        moves the key asked for have been made, before the next key is routed."""
        for _ in range(8):  # a consequence may have consequences; never forever
            if self.screen is not screen:
                screen = self.screen
                await self._settled(self.screen)
            pending, self._consequences = self._consequences or [], []
            if not pending:
                return
            for message in pending:
                await self._dispatch_message(message)

    async def _followed_up(self, target: Widget) -> None:
        """Return once `target` and each of its parents up to the screen have handled
        what was sent to them before now: the key, wherever it stopped."""
        for node in [target, *target.ancestors]:
            if node is self:
                break
            assert isinstance(node, Widget)
            await self._settled(node)

    async def _settled(self, node: Widget) -> None:
        settled: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done() -> None:
            if not settled.done():
                settled.set_result(None)

        if not node.call_later(done):
            return  # a widget closing takes nothing more
        try:
            await asyncio.wait_for(settled, SETTLE_TIMEOUT)
        except TimeoutError:
            self.log.warning(f"{node!r} took more than {SETTLE_TIMEOUT} s to handle a key")

    def post_message(self, message: Message) -> bool:
        if message is self._in_flight and message is not None:
            self._reached_app = True  # `_in_order` runs its bindings, in turn
            return True
        if self._consequences is not None and isinstance(message, events.Callback):
            self._consequences.append(message)
            return True
        return super().post_message(message)
