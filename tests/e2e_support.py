"""Helpers for the end-to-end test over SSH: a private sshd on 127.0.0.1, a
private tmux server, and `aoi` run over `ssh` in a tmux pane, as a coach on a
firm's server would run it.

Every process started here is recorded and ended by `E2E.close()`: the sshd,
its session children, the ssh clients (even stopped ones) and the remote aoi
processes (found by the pid file the remote shell writes before it execs aoi)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

SSHD = Path("/usr/sbin/sshd")
PASSPHRASE = "e2e over ssh, a passphrase"
T = TypeVar("T")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_tools() -> None:
    """sshd, ssh, ssh-keygen and tmux, or fail (in CI) / skip (elsewhere) saying how to get them."""
    missing = [str(SSHD)] if not os.access(SSHD, os.X_OK) else []
    missing += [tool for tool in ("ssh", "ssh-keygen", "tmux") if shutil.which(tool) is None]
    if not missing:
        return
    message = (
        f"the SSH end-to-end test needs {', '.join(missing)}: run ./dev test, which installs "
        "openssh-server, openssh-client and tmux"
    )
    if in_ci():
        pytest.fail(message + " (CI=true: this test is never skipped)", pytrace=False)
    pytest.skip(message)


def poll(check: Callable[[], T | None], timeout: float, what: Callable[[], str] | str) -> T:
    """Call `check` until it returns something truthy; fail after `timeout` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            detail = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout:.0f} s: {detail}", pytrace=False)
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie or a missing process counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill(pid: int, marker: str | None = None) -> None:
    """SIGKILL (a stopped process dies too), without complaint when it is already gone;
    with `marker`, only when the command line still contains it (the pid not reused)."""
    if marker is not None:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            return
        if marker.encode() not in cmdline:
            return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def aoi_executable() -> list[str]:
    script = Path(sys.executable).parent / "aoi"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aoi_tui"]


class Sshd:
    """An OpenSSH server of our own: own host key, own authorized key, 127.0.0.1 only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.user = _user()
        self.host_key = folder / "host_ed25519"
        self.client_key = folder / "client_ed25519"
        self.log = folder / "sshd.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> None:
        for key in (self.host_key, self.client_key):
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "aoi-e2e", "-f", str(key)],
                check=True,
                capture_output=True,
            )
        authorized = self.folder / "authorized_keys"
        authorized.write_text(Path(f"{self.client_key}.pub").read_text())
        authorized.chmod(0o600)
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)
        self.port = free_port()
        config = self.folder / "sshd_config"
        config.write_text(
            "\n".join(
                [
                    "ListenAddress 127.0.0.1",
                    f"Port {self.port}",
                    f"HostKey {self.host_key}",
                    f"AuthorizedKeysFile {authorized}",
                    "PidFile none",
                    "UsePAM no",
                    "StrictModes no",
                    "PermitRootLogin yes",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PrintMotd no",
                    "PrintLastLog no",
                    "X11Forwarding no",
                    "AllowTcpForwarding no",
                    "LogLevel VERBOSE",
                    "",
                ]
            )
        )
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(SSHD), "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        poll(self._listening, 10, lambda: f"sshd never listened on {self.port}:\n{self.logs()}")
        probe = subprocess.run(
            [*self.ssh_args(), "true"], capture_output=True, text=True, timeout=20
        )
        if probe.returncode != 0:
            pytest.fail(
                f"ssh to the test sshd failed ({probe.stderr.strip()}):\n{self.logs()}",
                pytrace=False,
            )

    def _listening(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            pytest.fail(f"sshd exited at once:\n{self.logs()}", pytrace=False)
        with socket.socket() as s:
            s.settimeout(0.2)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def logs(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return "(no sshd log)"

    def ssh_args(self, tty: bool = False) -> list[str]:
        return [
            "ssh",
            *(["-tt"] if tty else []),
            "-F",
            "/dev/null",
            "-i",
            str(self.client_key),
            "-p",
            str(self.port),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            f"{self.user}@127.0.0.1",
        ]

    def stop(self) -> None:
        if self.process is None:
            return
        for pid in descendants(self.process.pid):  # one sshd per connection, and below it
            kill(pid)
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None


def _user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


class Tmux:
    """A tmux server of our own (its own socket), so killing it touches nobody else's."""

    def __init__(self) -> None:
        self.socket = f"aoi-e2e-{uuid.uuid4().hex[:10]}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=10,
        )

    def new(self, name: str, command: str) -> None:
        done = self.run("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
        assert done.returncode == 0, done.stderr
        # keep the pane after ssh ends, so the test can still read what it showed
        self.run("set-option", "-t", name, "remain-on-exit", "on")

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name).stdout

    def type(self, name: str, text: str) -> None:
        self.run("send-keys", "-t", name, "-l", "--", text)

    def keys(self, name: str, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", name, key)

    def wait_for(self, name: str, text: str, timeout: float = 15) -> str:
        return poll(
            lambda: s if text in (s := self.screen(name)) else None,
            timeout,
            lambda: f"{text!r} never appeared in tmux {name}:\n{self.screen(name)}",
        )

    def kill_server(self) -> None:
        self.run("kill-server")


class Link:
    """One `ssh -tt` to the test sshd running aoi, inside its own tmux session.

    A local shell writes its pid then execs ssh (so `client` is the ssh client);
    the remote shell writes its pid then execs aoi (so `remote` is aoi on the server)."""

    def __init__(
        self, e2e: E2E, name: str, data: Path, config: Path, through: list[str] | None = None
    ) -> None:
        """`through`: a command the ssh client runs under (a slow link, tests/slow_link.py)."""
        self.e2e = e2e
        self.name = name
        folder = e2e.folder
        self.client_file = folder / f"{name}.client.pid"
        self.remote_file = folder / f"{name}.remote.pid"
        env = {
            "AOI_PASSPHRASE": PASSPHRASE,
            "AOI_LANG": "en",
            "AOI_CONFIG_DIR": str(config),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "TERM": "xterm-256color",
        }
        remote = " ".join(
            [
                f"cd {shlex.quote(str(e2e.repo))} &&",
                f"echo $$ > {shlex.quote(str(self.remote_file))} &&",
                "exec env",
                *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                *map(shlex.quote, aoi_executable()),
                "--data-dir",
                shlex.quote(str(data)),
            ]
        )
        ssh = " ".join(
            shlex.quote(a) for a in [*(through or []), *e2e.sshd.ssh_args(tty=True), remote]
        )
        # ssh runs one shell below the pane's own process: tmux sends SIGCONT to a pane
        # process that stops, which would thaw the frozen link at once
        inner = f"echo $$ > {shlex.quote(str(self.client_file))} && exec {ssh}"
        e2e.tmux.new(name, f"sh -c {shlex.quote(inner)}; true")
        self.client = int(poll(lambda: _read_pid(self.client_file), 10, "no ssh client pid"))
        e2e.clients.append((self.client, str(e2e.sshd.client_key)))
        self.remote = int(
            poll(lambda: _read_pid(self.remote_file), 15, lambda: f"no remote pid\n{self.screen()}")
        )
        e2e.remotes.append((self.remote, str(data)))

    def screen(self) -> str:
        return self.e2e.tmux.screen(self.name)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        return self.e2e.tmux.wait_for(self.name, text, timeout)

    def type(self, text: str) -> None:
        self.e2e.tmux.type(self.name, text)

    def keys(self, *keys: str) -> None:
        self.e2e.tmux.keys(self.name, *keys)


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class E2E:
    def __init__(self, folder: Path, repo: Path) -> None:
        self.folder = folder
        self.repo = repo
        self.sshd = Sshd(folder / "sshd")
        self.tmux = Tmux()
        self.clients: list[tuple[int, str]] = []  # (pid, what its command line contains)
        self.remotes: list[tuple[int, str]] = []

    def connect(
        self, name: str, data: Path, config: Path, through: list[str] | None = None
    ) -> Link:
        return Link(self, name, data, config, through)

    def close(self) -> None:
        for pid, marker in self.clients + self.remotes:  # SIGKILL: stopped clients die too
            kill(pid, marker)
        self.tmux.kill_server()
        self.sshd.stop()
        leftovers = [p for p, _ in self.clients + self.remotes if alive(p)]
        with contextlib.suppress(Exception):
            poll(lambda: not any(alive(p) for p in leftovers), 5, "")


def note_input(screen: str) -> str | None:
    """The text in the note input (the line `▊  text  ▎` between its borders), or None
    when no input is on screen. A toast over the right part (`▌ ...`) is cut off."""
    for line in screen.splitlines():
        line = line.strip()
        if not line.startswith("▊") or set(line) <= {"▊", "▎", "▔", "▁", "▌", " "}:
            continue
        body = line[1:].split("▌")[0].split("▎")[0]
        if set(body.strip()) <= {"▔", "▁"}:
            continue
        return body.strip()
    return None
