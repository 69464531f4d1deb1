"""A live session as this window runs it: the session record (its clock, the
cards drawn, the coachee's log), its lease, and every write, queued in order
on one background writer (`live/writer.py`): typing never waits for the disk,
a note is never written before the one typed before it, and a draft is never
coalesced across another write. How each write went comes back as a message
(`NoteSaved`, `WriteFailed`, `SessionTakenOver`) to the notes list, which shows
each note's state and says a failure; a takeover goes on up to the screen.

Messages are posted from the writer's thread (Textual queues them on the UI's
loop); `call_from_thread` would block the writer until the UI ran, and the UI
waiting in `drain()` (F9, Escape, end) froze until the drain timed out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from textual.message import Message
from textual.message_pump import MessagePump

from aoi_tui.domain import clock
from aoi_tui.domain.models import Note, Role, Session
from aoi_tui.domain.phases import debrief_index
from aoi_tui.domain.text import clean
from aoi_tui.live import session_clock
from aoi_tui.live.live_session import Draft, LiveSession, TakenOver
from aoi_tui.live.writer import SerialWriter
from aoi_tui.screens.note_input import Words

if TYPE_CHECKING:
    from aoi_tui.store.engagement_file import EngagementFile


class NoteSaved(Message):
    """A note is in the store as the list shows it."""

    def __init__(self, note_id: str) -> None:
        super().__init__()
        self.note_id = note_id


class WriteFailed(Message):
    """A write failed (a full disk, a read-only folder, a damaged file); the
    store kept its state before it. `note_id`: the note it was about, if any."""

    def __init__(self, reason: str, note_id: str | None) -> None:
        super().__init__()
        self.reason = reason
        self.note_id = note_id


class SessionTakenOver(Message):
    """Another aoi resumed this session: a write was refused, and none will be made."""

    def __init__(self, reason: str, note_id: str | None) -> None:
        super().__init__()
        self.reason = reason
        self.note_id = note_id


QUIET_S = 0.15
"""A write of the engagement's file waits until the coach has not typed for this long."""
LONGEST_WAIT_S = 0.5
"""...but never longer than this: the note is on disk within a second of its Enter."""


class LiveRun:
    """One live session, run from one window; results are posted to `to` (the notes
    list, from which they bubble up).

    A write of the engagement's file (a note, the session record) rewrites the whole
    file: at 2,000 notes its encoding holds Python's lock for 10 ms (50 on a busy
    machine), and a key typed meanwhile waited for it. So it waits for a pause in the
    typing (`QUIET_S`, at most `LONGEST_WAIT_S`), in the writer's thread and in order;
    the drafts written before it still hold the note's words. Whoever waits for the
    writes (`drain`: F9, Escape, the end, quitting) has them written at once."""

    def __init__(self, ef: EngagementFile, session: Session, to: MessagePump) -> None:
        self.ef = ef
        self.number = session.number
        self.session = session
        self.lease = LiveSession(ef, session.number)
        """The draft and the lease (which aoi runs the session)."""
        self.to = to
        self.writer = SerialWriter()
        self.in_debrief = False
        """The debrief is open (it reads and writes the store itself)."""
        self._seen: object = None
        """The engagement file's stamp when the debrief opened."""
        self._typed = 0.0
        """When the coach last typed in the note input or took a note (time.monotonic)."""
        self._hurry = threading.Event()
        """Set while the UI waits for the writes: none waits for a pause then."""

    def _after_a_pause(self) -> None:
        """In the writer's thread, before a write of the engagement's file: wait until
        the coach has not typed for `QUIET_S`, at most `LONGEST_WAIT_S`."""
        deadline = time.monotonic() + LONGEST_WAIT_S
        while not self._hurry.is_set():
            left = min(self._typed + QUIET_S, deadline) - time.monotonic()
            if left <= 0:
                return
            self._hurry.wait(left)

    @property
    def ended(self) -> bool:
        return self.session.ended_at is not None

    @property
    def phase(self) -> str:
        return self.session.phases[session_clock.current_index(self.session)].phase

    # -- the session's life -----------------------------------------------------------

    def start(self, resume: bool) -> Draft | None:
        """Hold the session (a session resumed elsewhere is taken over), start its
        clock the first time; resumed: the draft left in the input, if any."""
        if self.ended:
            return None
        self.lease.take()
        if self.session.started_at is None:
            session_clock.start(self.session, clock.now())
            self.save_session()
        return self.lease.load_draft() if resume else None

    def check(self) -> None:
        """TakenOver when another aoi holds the session now."""
        if not self.ended:
            self.lease.check()

    def taken_over_by(self) -> str | None:
        """What says that another aoi holds the session now; None while it is ours."""
        try:
            self.check()
        except TakenOver as exc:
            return str(exc)
        return None

    def step(self, step: int) -> bool:
        """The clock moves `step` phases on (or back) now; False when it cannot."""
        index = session_clock.current_index(self.session) + step
        if self.ended or not 0 <= index < len(self.session.phases):
            return False
        session_clock.go_to(self.session, index, clock.now())
        self.save_session()
        return True

    def to_debrief(self) -> bool:
        """The clock moves to the debrief (its time is no longer field work's), if it
        is not there yet; False when it does not move."""
        index = debrief_index(self.session)
        now = session_clock.current_index(self.session)
        return index is not None and now < index and self.step(index - now)

    def count_card(self, role: Role) -> None:
        """A card the coach asked for (F7, F8): counted in the balance of roles."""
        if not self.ended:
            self.session.cards_drawn[role] = self.session.cards_drawn.get(role, 0) + 1
            self.save_session()

    def keep_log(self, text: str) -> None:
        self.session.coachee_log = clean(text)
        self.save_session()

    def end(self) -> None:
        """Stop the clock, save, forget the draft, let the lease go; TakenOver (and
        nothing ended) when another aoi resumed the session: that one ends it."""
        self.lease.check()
        session_clock.finish(self.session, clock.now())
        self.save_session()
        self.drain()
        self.lease.clear_draft()
        self.lease.release()

    def debrief_opens(self) -> None:
        """Every write done before the debrief reads the file."""
        self.drain()
        self._seen = self.ef.stamp()
        self.in_debrief = True

    def after_debrief(self) -> list[Note] | None:
        """The session's notes as stored, if the debrief (or another aoi) changed
        the file; None when nothing changed (2,000 notes read again cost 60 ms)."""
        self.in_debrief = False
        self.drain()
        if self.ef.stamp() == self._seen:
            return None
        self.session = self.ef.session(self.number)
        return self.ef.notes(self.number)

    def new_note(self, words: Words) -> Note:
        """A note of this session, in the phase of now."""
        return Note(
            session=self.number,
            phase=self.phase,
            text=words.text,
            role=words.role,
            kind=words.kind,
            visibility=words.visibility,
            about=list(words.about),  # a group's: whom it concerns, said before Enter
        )

    # -- writes -----------------------------------------------------------------------

    def _failed(self, note_id: str | None) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            kind = SessionTakenOver if isinstance(exc, TakenOver) else WriteFailed
            self.to.post_message(kind(str(exc), note_id))

        return failed

    def _queue(self, job: Callable[[], Any], note_id: str | None = None) -> None:
        def done(_: object) -> None:
            if note_id is not None:
                self.to.post_message(NoteSaved(note_id))

        self.writer.submit(job, done, self._failed(note_id))

    def save_session(self) -> None:
        """The session record as it is now."""
        snapshot = self.session.model_copy(deep=True)

        def job() -> None:
            self._after_a_pause()
            self.lease.save_session(snapshot)

        self._queue(job)

    def note(self, note: Note, how: Literal["insert", "update", "delete"]) -> None:
        """Write `note` as it is now (a copy: the coach may change it meanwhile), or
        delete it; a note written comes back as `NoteSaved`."""
        snapshot = note.model_copy(deep=True)
        ef = self.ef
        self._typed = time.monotonic()  # Enter, or a key on the list

        def job() -> None:
            self._after_a_pause()
            self.lease.check()
            if how == "insert":
                ef.insert(snapshot)
            elif how == "update":
                ef.update(snapshot)
            else:
                ef.delete(Note, note.id)

        self._queue(job, None if how == "delete" else note.id)

    def draft(self, words: Words) -> None:
        """The next note as it stands; a draft queued just before replaces this one,
        never across another write (`SerialWriter.submit_latest`); none once the
        session is ended, or taken over."""
        self._typed = time.monotonic()
        if self.ended or self.lease.lost:
            return
        role = words.role.value if words.role else None
        kind, visibility = words.kind.value, words.visibility.value
        chosen = list(words.chosen) if words.chosen is not None else None
        draft = Draft(self.number, self.phase, words.text, kind, visibility, role, chosen=chosen)
        self.writer.submit_latest(
            "draft", lambda: self.lease.save_draft(draft), lambda _: None, self._failed(None)
        )

    def drain(self, timeout: float = 5.0) -> None:
        """Wait until every write asked for has run (none waiting for a pause)."""
        self._hurry.set()
        try:
            self.writer.drain(timeout)
        finally:
            self._hurry.clear()

    def close(self) -> None:
        self._hurry.set()  # for good: the writes left are written now
        self.writer.close()
