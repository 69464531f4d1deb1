"""A live session in a real terminal, with 10, 500 and 2,000 notes, against a bare app.

    python benchmarks/live.py [--runs 5] [--sizes 10,500,2000] [--data-dir DIR] [--samples]

For each size, a store holds the demo engagement and a running session of that
many notes, built through the Python API in DIR (default: a new folder under
/tmp, removed at the end unless --keep). aoi and benchmarks/bare_input.py (one
Input, cleared on Enter) run side by side in a private tmux server at 80x24 and
are measured the same way, one after the other in each run (the order alternates):
keys are written to the pane, then the pane is captured (through one tmux
control-mode client, well under a millisecond a capture) until it shows the result.

- key echo: one character typed into the empty input, until it shows;
- Enter: until the input shows empty again; until the next key, typed as soon as
  the input shows empty, shows (a screen drawn, then busy, holds it); until the
  note shows saved (aoi: in the list, and no "saving…" on screen);
- resume: `r` on the first screen, until the session screen shows its newest note;
- debrief open: F9 until the debrief shows its notes; back: Escape until the
  session screen is back (the bare app: F9 opens a screen of one line, Escape
  closes it). Escape waits for Textual's escape delay (ESCDELAY, 100 ms) in both.

Each run adds two notes to the session. Medians in ms, and aoi / the bare app.
Targets (issue 12 §5): the input ready again after Enter within 2x the bare app
at every size; resume, debrief open and back each <= 300 ms at 2,000 notes."""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSPHRASE = "benchmark passphrase"
MARKER = ".aoi-live-benchmark"
"""In a data folder this script made: only such a folder is emptied for a new run."""

ENTER, ESCAPE, BACKSPACE, F9, CTRL_Q = b"\r", b"\x1b", b"\x7f", b"\x1b[20~", b"\x11"
FIRST_SCREEN = "Engagements"  # the first screen's title (AOI_LANG=en)
SESSION = "Next note:"  # above the note input, on the session screen only
DEBRIEF = "Debrief of session"  # the debrief's header
SAVING = "saving…"
OTHER_SCREEN = "bare other screen"  # benchmarks/bare_input.py
NOTE_WORD = re.compile(r"(?<![\w-])(?:old\d+|qn\d{4})(?![\w-])")
"""The notes' texts: `old<i>` built through the API, `qn<dddd>` typed; one word each,
so a note wrapped in the list still shows it whole."""

STEP_TIMEOUT = 30.0
POLL = 0.001

Check = Callable[[str], bool]


class StepTimedOut(Exception):
    def __init__(self, step: str, pending: list[str], timeout: float, screen: str) -> None:
        super().__init__(
            f"step '{step}' timed out after {timeout:.0f} s waiting for: {', '.join(pending)}\n"
            f"the screen was:\n{screen}"
        )


# -- tmux -------------------------------------------------------------------------------------


class Tmux:
    """A tmux server of our own (-L), fed and read through one control-mode client
    (a capture-pane costs ~0.2 ms there, ~3 ms as a new tmux process)."""

    def __init__(self) -> None:
        self.socket = f"aoi-live-{uuid.uuid4().hex[:10]}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
        # the client attaches to a session of its own, whose pane says nothing
        self.run("new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", "sleep 86400")
        self.client = subprocess.Popen(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-C", "attach-session", "-t", "keeper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
        )
        self.path = self.run("display-message", "-p", "#{socket_path}").stdout.strip()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=20,
        )
        if done.returncode != 0 and args[0] != "kill-server":
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done

    def command(self, line: str) -> list[str]:
        """One command through the control client; its output lines."""
        stdin, stdout = self.client.stdin, self.client.stdout
        assert stdin is not None and stdout is not None
        stdin.write(line.encode() + b"\n")
        stdin.flush()
        out: list[str] = []
        inside = False
        while True:
            raw = stdout.readline()
            if not raw:
                raise RuntimeError(f"the tmux control client ended (during {line!r})")
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if not inside:
                # notifications (%session-changed, ...) come between blocks, and the
                # attach command's own block (flags 0) first: ours have flags 1
                inside = text.startswith("%begin") and text.split()[-1] == "1"
                continue
            if text.startswith("%error"):
                raise RuntimeError(f"tmux {line!r}: {' '.join(out)}")
            if text.startswith("%end"):
                return out
            out.append(text)

    def new(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        command = " ".join(
            [
                "exec env",
                *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                *map(shlex.quote, argv),
            ]
        )
        self.run("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
        self.run("set-option", "-t", name, "remain-on-exit", "on")  # a crash stays readable

    def screen(self, name: str) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {name}"))

    def send(self, name: str, data: bytes) -> None:
        """`data` written to the pane at once, as a terminal writes what is typed."""
        self.command(f"send-keys -t {name} -H {data.hex(' ')}")

    def dead(self, name: str) -> bool:
        return self.command(f"display-message -p -t {name} '#{{pane_dead}}'") == ["1"]

    def close(self) -> None:
        self.run("kill-server")
        try:
            self.client.wait(5)
        except subprocess.TimeoutExpired:
            self.client.kill()
            self.client.wait(5)
        if self.path.endswith(self.socket):  # the server is gone; its socket file may stay
            Path(self.path).unlink(missing_ok=True)


# -- what the screen shows --------------------------------------------------------------------


def input_text(screen: str) -> str | None:
    """The text in the input (the line `▊  text  ▎` under its top border `▊▔▔▔▎`),
    or None when no input is on screen. A toast over its right part (`▌ ...`) is cut off."""
    lines = [line.strip() for line in screen.splitlines()]
    for top, body in itertools.pairwise(lines):
        if top.startswith("▊▔") and body.startswith("▊"):
            return body[1:].split("▌")[0].split("▎")[0].strip()
    return None


def outside_input(screen: str) -> str:
    """The screen without the input's lines."""
    return "\n".join(line for line in screen.splitlines() if not line.startswith("▊"))


def shows_word(screen: str, word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", screen) is not None


class App:
    """One app in its pane, and how to time what it shows after keys."""

    def __init__(self, tmux: Tmux, name: str, label: str) -> None:
        self.tmux = tmux
        self.name = name
        self.label = label
        self.placeholder = ""  # what the empty input shows, learnt once it is on screen

    def screen(self) -> str:
        return self.tmux.screen(self.name)

    def send(self, data: bytes) -> None:
        self.tmux.send(self.name, data)

    def watch(
        self, step: str, start: float, checks: dict[str, Check], timeout: float = STEP_TIMEOUT
    ) -> dict[str, float]:
        """Capture until every check has held once; the seconds from `start` to the
        first capture where each held."""
        seen: dict[str, float] = {}
        while True:
            screen = self.screen()
            now = time.perf_counter()
            for what, check in checks.items():
                if what not in seen and check(screen):
                    seen[what] = now - start
            if len(seen) == len(checks):
                return seen
            if self.tmux.dead(self.name):
                raise RuntimeError(f"{self.label} ended during '{step}':\n{screen}")
            if now - start > timeout:
                pending = [w for w in checks if w not in seen]
                raise StepTimedOut(f"{self.label}: {step}", pending, timeout, screen)
            time.sleep(POLL)

    def timed(self, step: str, data: bytes, **checks: Check) -> dict[str, float]:
        start = time.perf_counter()
        self.send(data)
        return self.watch(step, start, checks)

    def wait(self, step: str, check: Check, timeout: float = STEP_TIMEOUT) -> str:
        self.watch(step, time.perf_counter(), {step: check}, timeout)
        return self.screen()

    # -- the input --------------------------------------------------------------------------

    def empty(self, screen: str) -> bool:
        text = input_text(screen)
        if text is None:
            return False
        return text == "" or (bool(self.placeholder) and self.placeholder.startswith(text))

    def holds(self, text: str) -> Check:
        return lambda screen: input_text(screen) == text

    def type_note(self, text: str, typed: str = "") -> None:
        """`text` in the input (the part not `typed` yet in one write); not timed."""
        self.send(text.removeprefix(typed).encode())
        self.wait(f"typing {text!r}", self.holds(text))

    def then_a_key(self, step: str, data: bytes, shown: Check, out: Samples, key: str) -> None:
        """`data` (a screen change) until the screen `shown`, then a key typed at once
        until it shows in the input: out[key] and out[key + "_key"], both from `data`."""
        start = time.perf_counter()
        self.send(data)
        out[key].append(self.watch(step, start, {"shown": shown})["shown"])
        self.send(b"q")
        out[key + "_key"].append(
            self.watch(f"{step}, then a key", start, {"q": self.holds("q")})["q"]
        )
        self.send(BACKSPACE)
        self.wait("the input emptied", self.empty)

    def quit(self) -> None:
        try:
            self.send(CTRL_Q)
            deadline = time.perf_counter() + 15
            while not self.tmux.dead(self.name) and time.perf_counter() < deadline:
                time.sleep(0.05)
        finally:
            self.tmux.run("kill-session", "-t", self.name)


# -- one run ----------------------------------------------------------------------------------

Samples = dict[str, list[float]]


class Typist:
    """The notes' texts: q + n + a number, one word, never typed twice."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"qn{self.count:04d}"


def input_round(app: App, typist: Typist, out: Samples, saved: Callable[[str], Check]) -> None:
    """Echo, Enter, Enter and the next key; the input is empty before and after."""
    note = typist.next()
    out["echo"].append(app.timed("key echo", note[:1].encode(), echo=app.holds(note[:1]))["echo"])
    app.type_note(note, typed=note[:1])
    after = app.timed("Enter", ENTER, empty=app.empty, saved=saved(note))
    out["enter_empty"].append(after["empty"])
    out["enter_saved"].append(after["saved"])

    # the next key as soon as the input shows empty: a screen drawn, then busy, holds it
    note = typist.next()
    app.type_note(note)
    start = time.perf_counter()
    app.send(ENTER)
    app.watch("Enter, then a key", start, {"empty": app.empty})
    app.send(b"q")
    after = app.watch("Enter, then a key", start, {"key": app.holds("q"), "saved": saved(note)})
    out["enter_key"].append(after["key"])
    app.send(BACKSPACE)
    app.wait("the input emptied", app.empty)


def bare_round(app: App, typist: Typist, out: Samples) -> None:
    input_round(app, typist, out, lambda _: lambda _: True)  # it saves nothing
    out["debrief"].append(
        app.timed("F9", F9, shown=lambda s: OTHER_SCREEN in s and input_text(s) is None)["shown"]
    )
    app.then_a_key("Escape", ESCAPE, lambda s: OTHER_SCREEN not in s and app.empty(s), out, "back")


class Aoi(App):
    def __init__(self, tmux: Tmux, name: str, label: str, newest: str) -> None:
        super().__init__(tmux, name, label)
        self.newest = newest  # the newest note's text: the session screen scrolls to it

    def saved(self, note: str) -> Check:
        def check(screen: str) -> bool:
            return shows_word(outside_input(screen), note) and SAVING not in screen

        self.newest = note
        return check

    def in_session(self, screen: str) -> bool:
        return (
            SESSION in screen
            and DEBRIEF not in screen
            and input_text(screen) is not None
            and shows_word(screen, self.newest)
        )

    def round(self, typist: Typist, out: Samples, first: bool = False) -> None:
        """From the first screen: resume, type, debrief and back, then back to the first
        screen. The `first` round learns what the empty input shows."""
        if first:
            out["resume"].append(self.timed("resume (r)", b"r", shown=self.in_session)["shown"])
            self.placeholder = input_text(self.screen()) or ""
        else:
            self.then_a_key("resume (r)", b"r", self.in_session, out, "resume")
        self.wait("the empty input", self.empty)
        input_round(self, typist, out, self.saved)
        out["debrief"].append(
            self.timed(
                "debrief (F9)",
                F9,
                shown=lambda s: DEBRIEF in s and NOTE_WORD.search(s) is not None,
            )["shown"]
        )
        self.then_a_key("back (Escape)", ESCAPE, self.in_session, out, "back")
        self.send(ESCAPE)
        self.wait("leave the session (Escape)", lambda s: FIRST_SCREEN in s and SESSION not in s)


# -- the stores -------------------------------------------------------------------------------


def build_store(folder: Path, notes: int, aoi: list[str], env: dict[str, str]) -> None:
    """The demo engagement and a started session of `notes` notes, the way
    tests/test_terminal_bursts.py builds its long session."""
    from aoi_tui.access.opening import open_store
    from aoi_tui.domain import clock
    from aoi_tui.domain.models import Note
    from aoi_tui.domain.vocabulary import SessionKind
    from aoi_tui.live import session_clock

    data = folder / "data"
    done = subprocess.run(
        [*aoi, "--data-dir", str(data), "demo", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"aoi demo: {done.stderr.strip()}")
    store = open_store(data, prompt=None, use_keyring=False)
    ef = store.engagement(json.loads(done.stdout)["id"])
    session = ef.new_session(SessionKind.AOI)
    session_clock.start(session, clock.now())
    ef.update(session)
    with ef.batch():
        for i in range(notes):
            ef.insert(Note(session=session.number, phase="review", text=f"old{i}"))


def prepare_folder(given: Path | None) -> tuple[Path, bool]:
    """The data folder, and whether it is ours to remove at the end."""
    if given is None:
        root = Path(tempfile.mkdtemp(prefix="aoi-live-", dir="/tmp"))
        (root / MARKER).touch()
        return root, True
    if given.exists() and any(given.iterdir()):
        if not (given / MARKER).exists():
            raise SystemExit(f"{given} is not empty and was not made by this benchmark")
        for child in given.iterdir():
            if child.name.startswith("notes-"):
                shutil.rmtree(child)
    given.mkdir(parents=True, exist_ok=True)
    (given / MARKER).touch()
    return given, False


# -- the report -------------------------------------------------------------------------------

ROWS = [
    ("echo", "key echo"),
    ("enter_empty", "Enter: input empty again"),
    ("enter_key", "Enter: the next key shown"),
    ("enter_saved", "Enter: note shown saved"),
    ("resume", "resume (r): session shown"),
    ("resume_key", "resume (r): the next key shown"),
    ("debrief", "debrief open (F9)"),
    ("back", "back (Escape): session shown"),
    ("back_key", "back (Escape): the next key shown"),
]
FIRST_RESUME = "resume_first"
BARE_HAS = {"echo", "enter_empty", "enter_key", "debrief", "back", "back_key"}
"""The bare app: F9/Escape open and close a screen of one line; it saves nothing."""


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(
    sizes: list[int],
    aoi: dict[int, Samples],
    bare: dict[int, Samples],
    runs: int,
    load: tuple[float, float],
) -> None:
    label_width, width = 36, 16
    print(
        f"\nLive session in tmux at 80x24: medians of {runs} runs, aoi and the bare app "
        "(benchmarks/bare_input.py)\nalternated; ms, and x = aoi / the bare app in the same runs."
        f"\nThe machine's load (1 min) at the start and the end: {load[0]:.1f}, {load[1]:.1f} "
        f"on {os.cpu_count()} cores (a busy machine inflates every figure)."
    )
    head = f"{'':{label_width + 5}}" + "".join(f"{f'{n:,} notes':>{width}}" for n in sizes)
    print(head)
    print("-" * len(head))
    for key, label in ROWS:
        cells = []
        for n in sizes:
            a = ms(aoi[n][key])
            cell = f"{a:.0f}" + (f"  x{a / ms(bare[n][key]):<4.1f}" if key in BARE_HAS else " " * 7)
            cells.append(f"{cell:>{width}}")
        print(f"{label:<{label_width}}{'aoi':>5}" + "".join(cells))
        if key in BARE_HAS:
            who = "bare*" if key == "debrief" else "bare"
            print(
                f"{'':<{label_width}}{who:>5}"
                + "".join(f"{f'{ms(bare[n][key]):.0f}' + ' ' * 7:>{width}}" for n in sizes)
            )
    print("-" * len(head))
    print(
        f"{'resume, the first after launch (1)':<{label_width}}{'aoi':>5}"
        + "".join(f"{f'{ms(aoi[n][FIRST_RESUME]):.0f}' + ' ' * 7:>{width}}" for n in sizes)
    )
    print(
        "* the bare app's F9 opens a screen of one line. Escape: both wait for Textual's\n"
        "  escape delay (100 ms). The next key: typed as soon as the screen shows (the input\n"
        "  empty), timed from the Enter, r or Escape until it shows in the input.\n"
        "(1) a warm-up run, not in the medians: loads the session screen's modules."
    )

    print("\nTargets (issue 12 §5):")
    for key, what in (("enter_empty", "input empty again"), ("enter_key", "the next key shown")):
        ratios = [(n, ms(aoi[n][key]) / ms(bare[n][key])) for n in sizes]
        shown = ", ".join(f"{n:,} notes x{r:.1f} {verdict(r <= 2)}" for n, r in ratios)
        print(f"  after Enter, {what} <= 2x the bare app: {shown}")
    largest = max(sizes)
    at = f"at {largest:,} notes" + ("" if largest == 2000 else " (the targets are set at 2,000)")
    shown = ", ".join(
        f"{label} {ms(aoi[largest][key]):.0f} ms {verdict(ms(aoi[largest][key]) <= 300)}"
        for key, label in (
            ("resume", "resume"),
            ("resume_key", "its next key"),
            ("debrief", "debrief open"),
            ("back", "back"),
            ("back_key", "its next key"),
        )
    )
    print(f"  {at}, each <= 300 ms: {shown}")


def print_samples(sizes: list[int], aoi: dict[int, Samples], bare: dict[int, Samples]) -> None:
    print("\nAll samples (ms):")
    for n in sizes:
        for who, samples in (("aoi", aoi[n]), ("bare", bare[n])):
            for key, values in samples.items():
                shown = " ".join(f"{v * 1000:.0f}" for v in values)
                print(f"  {n:>5} notes {who:>4} {key:<13} {shown}")


# -- main -------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="10,500,2000", help="notes in the session, comma-separated")
    ap.add_argument("--data-dir", type=Path, help="default: a new folder under /tmp")
    ap.add_argument("--keep", action="store_true", help="keep the default data folder")
    ap.add_argument("--samples", action="store_true", help="print every sample too")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if shutil.which("tmux") is None:
        print("live.py needs tmux (./dev test installs it)", file=sys.stderr)
        return 2

    os.environ["AOI_PASSPHRASE"] = PASSPHRASE
    os.environ["AOI_LANG"] = "en"
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    script = Path(sys.executable).parent / "aoi"
    aoi_argv = [str(script)] if script.exists() else [sys.executable, "-m", "aoi_tui"]
    root, ours = prepare_folder(args.data_dir)
    pane_env = {
        "AOI_PASSPHRASE": PASSPHRASE,
        "AOI_LANG": "en",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "TERM": "xterm-256color",
    }

    load_at_start = os.getloadavg()[0]
    tmux = Tmux()
    typist = Typist()
    aoi_samples: dict[int, Samples] = {}
    bare_samples: dict[int, Samples] = {}
    try:
        tmux.new("bare", [sys.executable, str(HERE / "bare_input.py")], pane_env)
        bare = App(tmux, "bare", "bare app")
        bare.wait("the bare app starts", bare.empty, timeout=60)
        for n in sizes:
            folder = root / f"notes-{n}"
            env = {**pane_env, "AOI_CONFIG_DIR": str(folder / "config")}
            started = time.perf_counter()
            build_store(folder, n, aoi_argv, {**os.environ, **env})
            print(
                f"{n:,} notes: store built in {time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            name = f"aoi{n}"
            tmux.new(name, [*aoi_argv, "--data-dir", str(folder / "data")], env)
            aoi = Aoi(tmux, name, f"aoi ({n:,} notes)", newest=f"old{n - 1}")
            aoi.wait("aoi's first screen", lambda s: FIRST_SCREEN in s, timeout=60)
            a: Samples = defaultdict(list)
            b: Samples = defaultdict(list)
            warm: Samples = defaultdict(list)
            aoi.round(typist, warm, first=True)  # loads the session's modules; F9 moves its phase
            bare_round(bare, typist, defaultdict(list))
            a[FIRST_RESUME] = warm["resume"]
            for run in range(args.runs):
                print(f"  run {run + 1}/{args.runs}", file=sys.stderr)
                if run % 2 == 0:
                    bare_round(bare, typist, b)
                    aoi.round(typist, a)
                else:
                    aoi.round(typist, a)
                    bare_round(bare, typist, b)
            aoi_samples[n], bare_samples[n] = a, b
            aoi.quit()
        bare.quit()
    except (StepTimedOut, RuntimeError) as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 1
    finally:
        tmux.close()
        if ours and not args.keep:
            shutil.rmtree(root, ignore_errors=True)

    report(sizes, aoi_samples, bare_samples, args.runs, (load_at_start, os.getloadavg()[0]))
    if args.samples:
        print_samples(sizes, aoi_samples, bare_samples)
    if not ours or args.keep:
        print(f"\n(stores kept in {root}; AOI_PASSPHRASE='{PASSPHRASE}')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
