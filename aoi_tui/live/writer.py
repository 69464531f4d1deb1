"""One background thread that runs the live session's writes in order, so
saving never makes the coach wait and a note is never written before the one
typed before it. Results come back through callbacks (the UI marshals them to
its own thread)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class SerialWriter:
    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Job, Done, Failed] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="aoi-writer", daemon=True)
        self._thread.start()
        self._lock = threading.Lock()
        self._last: tuple[str, list[Job]] | None = None
        """The newest job queued, when it is a coalescing one: (key, its job slot)."""

    def submit(self, job: Job, on_done: Done, on_error: Failed) -> None:
        with self._lock:
            self._last = None
            self._queue.put((job, on_done, on_error))

    def submit_latest(self, key: str, job: Job, on_done: Done, on_error: Failed) -> None:
        """Coalesce: a job under `key` replaces the one queued just before it, if that
        one is under the same key and has not started (a draft saved at every key).
        Never across another job: the draft typed before a note is written before
        it, the one typed after it after it, so a crash between them loses nothing."""
        with self._lock:
            if self._last is not None and self._last[0] == key:
                self._last[1][0] = job
                return
            slot = [job]
            self._last = (key, slot)

            def run_latest() -> Any:
                with self._lock:
                    if self._last is not None and self._last[1] is slot:
                        self._last = None  # started: the next draft queues anew
                    latest = slot[0]
                return latest()

            self._queue.put((run_latest, on_done, on_error))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job, on_done, on_error = item
            try:
                result = job()
            except BaseException as exc:
                on_error(exc)
            else:
                on_done(result)
            finally:
                self._queue.task_done()

    def drain(self, timeout: float = 5.0) -> None:
        """Wait until every queued write has run (on quit, and in tests)."""
        done = threading.Event()
        self.submit(lambda: None, lambda _: done.set(), lambda _: done.set())
        done.wait(timeout)

    def close(self) -> None:
        self.drain()
        with self._lock:
            self._last = None
            self._queue.put(None)
