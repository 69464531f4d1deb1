"""A live session's writes, queued in order on its one background writer
(`live/writer.py`: typing never waits for the disk, a note is never written
before the one typed before it), and how each went, said back to the screen as
a message: `NoteSaved`, `WriteFailed`, `SessionTakenOver`.

Messages are posted from the writer's thread (Textual queues them on the UI's
loop); `call_from_thread` would block the writer until the UI ran, and the UI
waiting in `drain()` (F9, Escape, end) froze until the drain timed out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from aoi_tui.domain.models import Note, Session
from aoi_tui.live.live_session import Draft, LiveSession, TakenOver
from aoi_tui.live.writer import SerialWriter


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


class SessionWrites:
    """The writes of one live session, in the order they are asked for."""

    def __init__(self, live: LiveSession, to: MessagePump) -> None:
        self.live = live
        self.to = to
        """Where the results go: the session screen."""
        self.writer = SerialWriter()

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

    def note(self, note: Note, *, insert: bool) -> None:
        """Write `note` as it is now (a copy: the coach may change it meanwhile)."""
        snapshot = note.model_copy(deep=True)
        ef = self.live.ef

        def job() -> None:
            self.live.check()
            if insert:
                ef.insert(snapshot)
            else:
                ef.update(snapshot)

        self._queue(job, note.id)

    def delete(self, note: Note) -> None:
        ef = self.live.ef

        def job() -> None:
            self.live.check()
            ef.delete(Note, note.id)

        self._queue(job)

    def session(self, session: Session) -> None:
        """The session record as it is now: its clock, cards drawn, the coachee's log."""
        snapshot = session.model_copy(deep=True)
        self._queue(lambda: self.live.save_session(snapshot))

    def draft(self, draft: Draft) -> None:
        """The words in the input: a draft queued just before replaces this one, never
        across another write (`SerialWriter.submit_latest`)."""
        self.writer.submit_latest(
            "draft", lambda: self.live.save_draft(draft), lambda _: None, self._failed(None)
        )

    def drain(self, timeout: float = 5.0) -> None:
        """Wait until every write asked for has run."""
        self.writer.drain(timeout)

    def close(self) -> None:
        self.writer.close()
