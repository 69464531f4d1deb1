"""What every screen of aoi shares: typed access to the App (its store and
settings), who is in the room (followed from the App's `room`), and one way to
say that a write failed."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen, ScreenResultType
from textual.widgets import Footer as TextualFooter

from aoi_tui.config.i18n import t
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live.live_session import TakenOver
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.store import IndexNotUpdated, NoSuchEngagement, StoreError

if TYPE_CHECKING:
    # not imported to run: the first screen has no tabs
    from textual.widgets import TabbedContent

    from aoi_tui.screens.app import AoiApp
    from aoi_tui.store.store import Store

STORE_FAILURES = (StoreError, StoreWriteError, StoreFileError)
"""What a write to the store can meet: a full disk, a read-only folder, a store
kept busy by another aoi, a damaged file. The store changes nothing then."""


class Notifier(Protocol):
    def notify(self, message: str, *, severity: Any = ..., timeout: float | None = ...) -> None: ...


@contextlib.contextmanager
def failures_said(where: Notifier) -> Iterator[None]:
    """Around a write from a key, a button or a dialog's answer: a failure is said in
    a notification instead of ending the app, and the screen (with what the coach
    typed on it) stays. Nothing is lost: the store kept its previous state."""
    try:
        yield
    except TakenOver:
        # resumed in another aoi: that one saves now; this screen gives way
        where.notify(t("ui.session.taken_over"), severity="error", timeout=15)
        if isinstance(where, AoiScreen):
            where.after_taken_over()
    except IndexNotUpdated as exc:
        where.notify(t("ui.store.index_not_updated", reason=str(exc.cause)), severity="warning")
    except STORE_FAILURES as exc:
        where.notify(t("ui.store.write_failed", reason=str(exc)), severity="error", timeout=15)
        if isinstance(where, AoiScreen):
            where.after_failed_save()


def can_open(where: Notifier, store: Store, engagement_id: str) -> bool:
    """Whether an engagement's file reads; if not (damaged, or erased by another
    aoi meanwhile), say so and how to repair, instead of failing on its screen."""
    try:
        store.engagement(engagement_id).engagement()
    except (StoreFileError, NoSuchEngagement) as exc:
        where.notify(t("ui.store.read_failed", reason=str(exc)), severity="error", timeout=15)
        return False
    return True


class Footer(TextualFooter):
    """Textual's footer, composed again only when the keys it shows change. Textual's
    composes its keys again at every change of focus or of the bindings, changed or
    not: five times while the live session's screen opened, six for the debrief,
    each time a few dozen widgets mounted and styled."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: object = None
        """What the keys on screen were composed from."""

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # its screen has gone: nothing to show (as Textual's own)
        # what `Footer.compose` reads: the screen's keys, and the footer's own switches
        shown = (
            tuple(self.screen.active_bindings.values()),
            self.compact,
            self.show_command_palette,
        )
        if shown != self._shown:
            self._shown = shown
            await super().recompose()


T = TypeVar("T")


def saves(method: Callable[..., T]) -> Callable[..., T | None]:
    """A screen's handler that writes to the store (see `failures_said`); returns
    None when the write failed. A screen's `before_write` runs first."""

    @functools.wraps(method)
    def run(self: Notifier, *args: Any, **kwargs: Any) -> T | None:
        with failures_said(self):
            if isinstance(self, AoiScreen):
                self.before_write()
            return method(self, *args, **kwargs)
        return None

    return run


def group_safe_binding(screen: str, *, priority: bool = False) -> Binding:
    """ctrl+b, in the palette only: the group comes into the room or leaves
    (`AoiScreen.action_toggle_group_safe`, a no-op on an individual's screen)."""
    return Binding(
        "ctrl+b",
        "toggle_group_safe",
        t("ui.key.group_safe"),
        id=f"{screen}.group_safe",
        tooltip=t("ui.palette.group_safe"),
        priority=priority,
        show=False,
    )


def show_the_room(screen: Screen[Any], room: Room) -> None:
    """The class app.tcss reads: `-sponsor-safe` while the N+1 is in the room, so
    that a cover lies over a text the N+1 must not read (`.covered`)."""
    screen.set_class(room is Room.SPONSOR, "-sponsor-safe")


class AoiScreen(Screen[ScreenResultType]):
    """A screen of aoi. It follows who is in the room (the App's `room`) through
    Textual's `watch`: its class at once, and `room_changed` at every change."""

    TAB_KEYS: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    """Keys that act on the items of some tabs only (action: those tabs' ids), on a
    screen with tabs: shown in the footer, and active, on those tabs alone, so that
    the footer holds at 80 columns what the tab in view needs."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tabs = self.TAB_KEYS.get(action)
        if tabs is None:
            return True
        try:
            tabbed = cast("TabbedContent", self.query_one("TabbedContent"))
        except NoMatches:  # not composed yet
            return False
        return tabbed.active in tabs

    def on_tabbed_content_tab_activated(self) -> None:
        if self.TAB_KEYS:
            self.refresh_bindings()  # the footer shows the new tab's keys

    @property
    def aoi(self) -> AoiApp:
        return cast("AoiApp", self.app)

    def on_mount(self) -> None:
        # Textual runs this after the screen's own on_mount (a message's handlers run
        # from the screen's class down to its bases): what `room_changed` redraws is
        # there already. The screen drew it for the room of the moment.
        show_the_room(self, self.aoi.room)
        self.watch(self.aoi, "room", self._room_changed, init=False)

    def _room_changed(self, room: Room) -> None:
        show_the_room(self, room)
        self.room_changed(room)

    def room_changed(self, room: Room) -> None:
        """Who is in the room changed: a screen that shows what the N+1 may not read
        draws it again here (from `self.aoi.room`, as at mount)."""

    def room_after_sponsor(self) -> Room:
        """Who is left in the room when the N+1 leaves (F2): the coach, but in a
        group's collective session, the group."""
        return Room.COACH

    def in_a_group(self) -> bool:
        """A group's screen: ctrl+b, where it is bound, brings the group in."""
        return False

    def action_toggle_group_safe(self) -> None:
        """ctrl+b: the group comes into the room (only what concerns the group
        shows), or leaves (the coach alone, or with one participant)."""
        if not self.in_a_group():
            return
        self.aoi.room = Room.COACH if self.aoi.room is Room.GROUP else Room.GROUP
        self.notify(t("ui.group_safe.on" if self.aoi.room is Room.GROUP else "ui.group_safe.off"))

    def before_write(self) -> None:
        """Called before each write of a handler marked `saves`: a screen that writes
        for a live session checks its lease here (`TakenOver` if resumed elsewhere)."""

    def after_taken_over(self) -> None:
        """Called after a write refused because the live session was resumed in
        another aoi (said already): the screen gives way."""

    def after_failed_save(self) -> None:
        """Called after a failed write: a screen that keeps records in memory
        reads them again (the store still holds the state before the write)."""
