"""A slow link, for the end-to-end tests: runs a command in a pseudo-terminal of
its own and passes it the keys typed here in bursts, every 50-300 ms (what a
laggy SSH link does), cut wherever the buffer happens to be, inside a UTF-8
character included, but never inside one key's escape sequence (F4 is ESC O S):
SSH carries the bytes a terminal writes for one key in one packet, and a pause
longer than the escape delay (Textual's ESCDELAY, 100 ms, as curses') inside one
is the Escape key then "OS" typed for every terminal program (it failed CI once).
What the command prints comes back at once. `tc netem` may not exist where the
tests run; this does.

    python tests/slow_link.py MIN_SECONDS MAX_SECONDS -- COMMAND [ARGS...]"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import random
import select
import signal
import sys
import termios
import time
import tty


def copy_size(source: int, target: int) -> None:
    size = fcntl.ioctl(source, termios.TIOCGWINSZ, b"\0" * 8)
    fcntl.ioctl(target, termios.TIOCSWINSZ, size)


def outside_a_key(buffer: bytes, cut: int) -> int:
    """`cut`, or the end of the key's escape sequence it falls inside: ESC and one
    character, ESC O and one, or ESC [ up to its final byte (0x40-0x7E)."""
    start = buffer.rfind(b"\x1b", 0, cut)
    if start < 0:
        return cut
    end = start + 2  # ESC and the character after it
    if buffer[start + 1 : start + 2] == b"O":
        end = start + 3
    elif buffer[start + 1 : start + 2] == b"[":
        end = start + 2
        while end < len(buffer) and not 0x40 <= buffer[end] <= 0x7E:
            end += 1
        end += 1
    return max(cut, min(end, len(buffer)))


def main() -> int:
    low, high = float(sys.argv[1]), float(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1 :]
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    pid, child = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    copy_size(stdin, child)
    signal.signal(signal.SIGWINCH, lambda *_: copy_size(stdin, child))
    saved = termios.tcgetattr(stdin)
    tty.setraw(stdin)
    pending = b""
    release_at = time.monotonic() + random.uniform(low, high)
    try:
        while True:
            timeout = max(0.0, release_at - time.monotonic()) if pending else None
            try:
                ready, _, _ = select.select([stdin, child], [], [], timeout)
            except InterruptedError:
                continue
            if stdin in ready:
                data = os.read(stdin, 4096)
                if not data:
                    break
                if not pending:
                    release_at = time.monotonic() + random.uniform(low, high)
                pending += data
            if child in ready:
                try:
                    data = os.read(child, 65536)
                except OSError:
                    break
                if not data:
                    break
                os.write(stdout, data)
            if pending and time.monotonic() >= release_at:
                # a random part of what waits, cut anywhere, then the rest later
                cut = outside_a_key(pending, random.randint(1, len(pending)))
                os.write(child, pending[:cut])
                pending = pending[cut:]
                release_at = time.monotonic() + random.uniform(low, high)
    finally:
        termios.tcsetattr(stdin, termios.TCSADRAIN, saved)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGHUP)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
