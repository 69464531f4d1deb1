"""Time to first screen, search time and peak memory on a large store.

    python benchmarks/startup.py --data-dir DIR [--runs 5]

DIR is a store built by benchmarks/store.py (300 engagements x 1,000 notes;
AOI_PASSPHRASE as printed there). In the same run, measured the same way:

- aoi: from launch until the first engagement's coachee name is on an 80x24
  tmux pane (polled), unlock (Argon2id) included;
- a bare Textual app (Header, a line of text, Footer) until its text shows;
- search within one engagement and across the store (in-process);
- peak RSS of the aoi TUI process and of a store-wide search.

Targets (issue 6): first screen <= 1.5 x the bare app; search <= 50 ms within
an engagement, <= 2 s across the store; peak RSS <= 150 MiB."""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Bare(App):
    def compose(self):
        yield Header()
        yield Static("bare app ready")
        yield Footer()
Bare().run()
"""


SOCKET = "aoi-bench-" + uuid.uuid4().hex[:6]  # a private tmux server, started with our env


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True).stdout


def new_session(name: str, command: str, env: dict[str, str]) -> None:
    pass_env = [f"-e{k}={v}" for k, v in env.items() if k.startswith(("AOI_", "PYTHON_KEYRING"))]
    subprocess.run(
        [
            "tmux",
            "-L",
            SOCKET,
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "80",
            "-y",
            "24",
            *pass_env,
            command,
        ],
        env=env,
        check=True,
    )


def time_to_text(command: str, text: str, env: dict[str, str], timeout: float = 30) -> float:
    name = "bench" + uuid.uuid4().hex[:8]
    start = time.perf_counter()
    new_session(name, command, env)
    try:
        while time.perf_counter() - start < timeout:
            if text in tmux("capture-pane", "-p", "-t", name):
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError(f"{text!r} never appeared")
    finally:
        tmux("kill-session", "-t", name)


def peak_rss_of_tui(command: str, text: str, env: dict[str, str]) -> float:
    """Peak RSS (MiB) of the TUI, read from /proc once its first screen is up."""
    name = "rss" + uuid.uuid4().hex[:8]
    new_session(name, command, env)
    try:
        deadline = time.time() + 30
        while time.time() < deadline and text not in tmux("capture-pane", "-p", "-t", name):
            time.sleep(0.02)
        time.sleep(0.5)
        pid = tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        return int(hwm.split()[1]) / 1024
    finally:
        tmux("kill-session", "-t", name)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    os.environ.setdefault("AOI_PASSPHRASE", "benchmark passphrase")
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["AOI_LANG"] = "en"

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from aoi_tui.access.opening import open_store
    from aoi_tui.store.note_search import search_engagement, search_store

    store = open_store(args.data_dir, prompt=None, use_keyring=False)
    first = store.list_engagements()[0]
    python = sys.executable
    aoi = f"{python} -m aoi_tui --data-dir {args.data_dir}"
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(BARE_APP)
    bare = f"{python} {f.name}"

    # a session that outlives the measured ones, so the tmux server never restarts mid-run
    new_session("keeper", "sleep 3600", env)
    time_to_text(bare, "bare app ready", env)  # warm the file cache
    time_to_text(aoi, first.coachee, env)
    aoi_t, bare_t = [], []
    for _ in range(args.runs):
        bare_t.append(time_to_text(bare, "bare app ready", env))
        aoi_t.append(time_to_text(aoi, first.coachee, env))
    a, b = statistics.median(aoi_t), statistics.median(bare_t)
    print(
        f"first screen, {len(store.list_engagements())} engagements: aoi {a * 1000:.0f} ms, "
        f"bare Textual app {b * 1000:.0f} ms, ratio {a / b:.2f} (target <= 1.5)"
    )

    # once to load what search loads lazily (the models): the TUI has them already
    search_engagement(store, store.list_engagements()[1].id, "warm up")
    t0 = time.perf_counter()
    hits = search_engagement(store, first.id, "consigne équipe")
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    all_hits, _ = search_store(store, "reformulation #999")
    everywhere = time.perf_counter() - t0
    print(f"search in one engagement: {one * 1000:.1f} ms ({len(hits)} hits, target <= 50 ms)")
    print(f"search across the store: {everywhere:.2f} s ({len(all_hits)} hits, target <= 2 s)")

    rss_tui = peak_rss_of_tui(aoi, first.coachee, env)
    rss_search = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS: TUI {rss_tui:.0f} MiB, store-wide search {rss_search:.0f} MiB (target <= 150 MiB)"
    )
    os.unlink(f.name)
    tmux("kill-server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
