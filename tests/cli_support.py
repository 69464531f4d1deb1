"""`aoi` run as a coach's shell would run it: its data folder from the
environment, standard input a pipe (so it never prompts), its exit code, its
standard output and error.

By default the command runs inside the test's own process, through the same
`main` the `aoi` script calls: a new Python for each call cost ~0.3 s of CPU
(start-up, imports) and the suite runs several hundred. What a process would
change is reproduced around the call: the environment is exactly `env`, the
working folder is the one given, standard input/output/error are pipes that
are not terminals, the exit code comes from `SystemExit`, and the language,
the keyring backend and the process's other state the CLI sets are put back.
A test about the process itself (start-up imports, signals, a lease held by
another process id) passes `process=True`; `AOI_TEST_PROCESS=1` runs every
call as a real process, to check the two ways agree."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from tests.support import REPO


def run_aoi(
    argv: list[str],
    env: dict[str, str],
    *,
    stdin: str | bytes = "",
    cwd: Path | str | None = REPO,
    timeout: float = 60,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`aoi ARGV` with `env` as its whole environment; text out, as `text=True` gives."""
    if process or os.environ.get("AOI_TEST_PROCESS") == "1":
        done = subprocess.run(
            [sys.executable, "-m", "aoi_tui", *argv],
            input=stdin.encode() if isinstance(stdin, str) else stdin,
            capture_output=True,
            env=env,
            timeout=timeout,
            cwd=cwd,
        )
        return subprocess.CompletedProcess(
            done.args, done.returncode, _text(done.stdout), _text(done.stderr)
        )
    return _in_process(argv, env, stdin, cwd)


def _text(raw: bytes) -> str:
    # what `text=True` does: UTF-8 here, universal newlines
    return raw.decode("utf-8", "replace").replace("\r\n", "\n")


class _Pipe(io.TextIOWrapper):
    """A text stream over bytes that, like a pipe, is not a terminal."""

    def __init__(self, raw: bytes = b"") -> None:
        super().__init__(io.BytesIO(raw), encoding="utf-8", newline="")

    def isatty(self) -> bool:
        return False

    def captured(self) -> str:
        self.flush()
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return _text(buffer.getvalue())


def _in_process(
    argv: list[str], env: dict[str, str], stdin: str | bytes, cwd: Path | str | None
) -> subprocess.CompletedProcess[str]:
    import keyring.core

    from aoi_tui.cli import main
    from aoi_tui.config import i18n

    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_lang = i18n._current
    saved_backend = keyring.core._keyring_backend
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    streams = (_Pipe(stdin.encode() if isinstance(stdin, str) else stdin), _Pipe(), _Pipe())
    os.environ.clear()
    os.environ.update(env)
    keyring.core._keyring_backend = None  # read from this environment, as a new process would
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = streams
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            if isinstance(exit_.code, str):
                print(exit_.code, file=sys.stderr)
        with contextlib.suppress(ValueError):
            sys.stdout.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        i18n._current = saved_lang
        keyring.core._keyring_backend = saved_backend
    return subprocess.CompletedProcess(
        ["aoi", *argv], code, streams[1].captured(), streams[2].captured()
    )


def aoi(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 60, process: bool = False
) -> subprocess.CompletedProcess[str]:
    # in the test's own folder: a file written under its default name lands there,
    # never in the repository
    return run_aoi(
        ["--data-dir", env["AOI_DATA_DIR"], *args],
        env,
        stdin=stdin,
        cwd=Path(env["AOI_DATA_DIR"]).parent,
        timeout=timeout,
        process=process,
    )


def cli_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed command says, checked to be one line and no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
