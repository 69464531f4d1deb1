"""Unlocking the store in the TUI: choosing the passphrase at first use
(twice, with a word on why it matters, then the recovery code once), or typing
it later (three tries)."""

from __future__ import annotations

import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Static

from aoi_tui.access import keyring_access
from aoi_tui.access.opening import (
    MIN_PASSPHRASE,
    TRIES,
    UnlockError,
    check_new_passphrase,
    create_store,
    load_keyfile,
)
from aoi_tui.config.i18n import t
from aoi_tui.demo import create_demos
from aoi_tui.screens.toggles import Tick
from aoi_tui.secure.keyfile import WrongSecret
from aoi_tui.store.store import Store


class UnlockScreen(Screen[Store | None]):
    BINDINGS = [Binding("escape", "give_up", t("ui.key.quit"), id="unlock.quit", show=False)]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.tries = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("ui.unlock.title"), classes="dialog-title")
            yield Label(t("ui.unlock.prompt"))
            yield Input(password=True, id="passphrase")
            # served in a browser: never offer to remember the key
            if os.environ.get("AOI_SERVED") != "1":
                yield Tick(t("ui.unlock.remember"), id="remember")
            yield Static("", id="message", classes="message")
        yield Footer(compact=True)

    @on(Input.Submitted, "#passphrase")
    def try_passphrase(self, event: Input.Submitted) -> None:
        event.input.disabled = True
        self.query_one("#message", Static).update(t("ui.unlock.checking"))
        remember = self.query("#remember")
        self.unlock(event.value, bool(remember) and self.query_one("#remember", Checkbox).value)

    @work(thread=True, exclusive=True)
    def unlock(self, passphrase: str, remember: bool) -> None:
        keyfile = load_keyfile(self.root)
        try:
            master = keyfile.unlock(passphrase)
        except WrongSecret:
            self.app.call_from_thread(self.wrong)
            return
        note = ""
        if remember:
            try:
                keyring_access.remember(keyfile.store_id, master)
                note = t("ui.unlock.remembered")
            except keyring_access.NoKeyring as exc:
                reason = t(f"ui.keyring.{exc.kind}", **exc.values)
                note = t("ui.unlock.no_keyring", reason=reason)
        store = Store(self.root, keyfile, master)
        self.app.call_from_thread(self.done, store, note)

    def done(self, store: Store, note: str) -> None:
        if note:
            self.app.notify(note)
        self.dismiss(store)

    def wrong(self) -> None:
        self.tries += 1
        field = self.query_one("#passphrase", Input)
        message = self.query_one("#message", Static)
        if self.tries >= TRIES:
            message.update(t("ui.unlock.too_many", tries=TRIES))
            self.set_timer(2.0, self.action_give_up)
            return
        message.update(t("ui.unlock.wrong", left=TRIES - self.tries))
        field.value = ""
        field.disabled = False
        field.focus()

    def action_give_up(self) -> None:
        self.dismiss(None)


class FirstUseScreen(Screen[Store | None]):
    """Choose the passphrase, see the recovery code once, start on the demo."""

    BINDINGS = [Binding("escape", "give_up", t("ui.key.quit"), id="first_use.quit", show=False)]

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root
        self.store: Store | None = None
        self.creating = False
        """The store is being made: a second Enter (one reaches this screen from
        the recovery code's, in a real terminal) never makes a second one, whose
        new key would leave the first one's files unreadable."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("ui.first_use.title"), classes="dialog-title")
            yield Static(t("ui.first_use.why"), classes="explain")
            yield Label(t("ui.first_use.passphrase"))
            yield Input(password=True, id="first")
            yield Label(t("ui.first_use.again"))
            yield Input(password=True, id="second")
            yield Static("", id="message", classes="message")
        yield Footer(compact=True)

    @on(Input.Submitted, "#first")
    def next_field(self) -> None:
        if self.too_short():
            return
        self.query_one("#second", Input).focus()

    @on(Input.Submitted, "#second")
    def choose(self) -> None:
        if self.creating:
            return
        first = self.query_one("#first", Input).value
        second = self.query_one("#second", Input).value
        if self.too_short():
            return
        if first != second:
            # which one was mistyped cannot be told: both go, so that the passphrase
            # kept is one the coach typed twice, not one they did not mean
            self.start_again(t("ui.first_use.differ"))
            return
        self.query_one("#message", Static).update(t("ui.unlock.checking"))
        self.creating = True
        self.create(first)

    def too_short(self) -> bool:
        first = self.query_one("#first", Input).value
        try:
            check_new_passphrase(first)
        except UnlockError:
            self.start_again(t("ui.first_use.too_short", least=MIN_PASSPHRASE, got=len(first)))
            return True
        return False

    def start_again(self, why: str) -> None:
        """Both fields emptied, the focus on the first, and why said."""
        for selector in ("#first", "#second"):
            self.query_one(selector, Input).value = ""
        self.query_one("#message", Static).update(why)
        self.query_one("#first", Input).focus()

    @work(thread=True, exclusive=True)
    def create(self, passphrase: str) -> None:
        store, code = create_store(self.root, passphrase)
        create_demos(store)  # one coachee, and a team
        self.app.call_from_thread(self.show_code, store, code)

    def show_code(self, store: Store, code: str) -> None:
        self.store = store
        self.app.push_screen(RecoveryCodeScreen(code), lambda _: self.dismiss(store))

    def action_give_up(self) -> None:
        self.dismiss(self.store)


class RecoveryCodeScreen(Screen[None]):
    BINDINGS = [Binding("enter", "done", t("ui.key.written_down"), id="recovery.done")]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("ui.recovery.title"), classes="dialog-title")
            yield Static(t("ui.recovery.explain"), classes="explain")
            yield Static(self.code, id="code")
            yield Static(t("ui.recovery.continue"), classes="explain")
        yield Footer(compact=True)

    def action_done(self) -> None:
        self.dismiss(None)
