"""What every screen of aoi shares: typed access to the App (its store and
settings), who is in the room (followed from the App's `room`), and one way to
say that a write failed."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.screen import Screen, ScreenResultType

from aoi_tui.config.i18n import t
from aoi_tui.domain.vocabulary import Room
from aoi_tui.live.live_session import TakenOver
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.store import IndexNotUpdated, NoSuchEngagement, StoreError

if TYPE_CHECKING:
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
        taken = getattr(where, "after_taken_over", None)
        if taken is not None:
            taken()
    except IndexNotUpdated as exc:
        where.notify(t("ui.store.index_not_updated", reason=str(exc.cause)), severity="warning")
    except STORE_FAILURES as exc:
        where.notify(t("ui.store.write_failed", reason=str(exc)), severity="error", timeout=15)
        after = getattr(where, "after_failed_save", None)
        if after is not None:
            after()


def can_open(where: Notifier, store: Store, engagement_id: str) -> bool:
    """Whether an engagement's file reads; if not (damaged, or erased by another
    aoi meanwhile), say so and how to repair, instead of failing on its screen."""
    try:
        store.engagement(engagement_id).engagement()
    except (StoreFileError, NoSuchEngagement) as exc:
        where.notify(t("ui.store.read_failed", reason=str(exc)), severity="error", timeout=15)
        return False
    return True


T = TypeVar("T")


def saves(method: Callable[..., T]) -> Callable[..., T | None]:
    """A screen's handler that writes to the store (see `failures_said`); returns
    None when the write failed."""

    @functools.wraps(method)
    def run(self: Notifier, *args: Any, **kwargs: Any) -> T | None:
        with failures_said(self):
            before = getattr(self, "before_write", None)
            if before is not None:
                before()
            return method(self, *args, **kwargs)
        return None

    return run


def show_the_room(screen: Screen[Any], room: Room) -> None:
    """The class app.tcss reads: `-sponsor-safe` while the N+1 is in the room, so
    that a cover lies over a text the N+1 must not read (`.covered`)."""
    screen.set_class(room is Room.SPONSOR, "-sponsor-safe")


class AoiScreen(Screen[ScreenResultType]):
    """A screen of aoi. It follows who is in the room (the App's `room`) through
    Textual's `watch`: its class at once, and `room_changed` at every change."""

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

    def after_failed_save(self) -> None:
        """Called after a failed write: a screen that keeps records in memory
        reads them again (the store still holds the state before the write)."""
