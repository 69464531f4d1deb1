"""`aoi … | head`: a reader that stops early is not an error of aoi's."""

from __future__ import annotations

import os
import subprocess
import sys

from aoi_tui.demo import create_demo
from aoi_tui.store.store import Store
from tests.support import REPO

HTML_TO_STDOUT = ["--confidential", "--format", "html", "-o", "-"]


def test_a_reader_that_stopped_reading_gets_no_error_line(
    store: Store, cli_env: dict[str, str]
) -> None:
    """The read end of the pipe is closed before aoi writes, as when `head` has read
    its lines and gone: every write fails with EPIPE. The HTML file is larger than
    the pipe's buffer, so the failure comes while aoi writes, not at its exit."""
    engagement_id, _ = create_demo(store)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "aoi_tui", "export", engagement_id, *HTML_TO_STDOUT],
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=cli_env,
            cwd=REPO,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.stderr == "", done.stderr
    assert done.returncode == 141  # what a shell says of a program stopped by SIGPIPE
