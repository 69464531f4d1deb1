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
        self._latest: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, job: Job, on_done: Done, on_error: Failed) -> None:
        self._queue.put((job, on_done, on_error))

    def submit_latest(self, key: str, job: Job, on_done: Done, on_error: Failed) -> None:
        """Coalesce: of several jobs under `key` queued meanwhile, only the newest runs
        (a draft saved at every keystroke)."""
        with self._lock:
            queued = key in self._latest
            self._latest[key] = job

        def run_latest() -> Any:
            with self._lock:
                latest = self._latest.pop(key, None)
            return latest() if latest else None

        if not queued:
            self.submit(run_latest, on_done, on_error)

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
        self._queue.put((lambda: None, lambda _: done.set(), lambda _: done.set()))
        done.wait(timeout)

    def close(self) -> None:
        self.drain()
        self._queue.put(None)
