"""`aoi` run as a coach's shell would run it, for the tests of the CLI's
keyring and passphrase commands: a subprocess with its data folder from the
environment, standard input a pipe (so it never prompts)."""

from __future__ import annotations

import subprocess
import sys

from tests.support import REPO


def aoi(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aoi_tui", "--data-dir", env["AOI_DATA_DIR"], *args],
        input=stdin,  # a pipe: no terminal, so aoi never prompts
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=REPO,
    )


def cli_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed command says, checked to be one line and no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]
