"""`aoi serve` in headless Chromium: our own page with no outside resource, a
token and an Origin check, and no passphrase handed to the served app."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import PASSPHRASE, REPO


def need_chromium() -> None:
    if not CHROMIUM.exists():
        message = "Debian's chromium is missing: ./dev test installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def aoi(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "aoi_tui", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], dict[str, str]]]:
    env = dict(
        os.environ,
        AOI_PASSPHRASE=PASSPHRASE,
        AOI_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
        AOI_LANG="en",
    )
    aoi(env, "demo")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aoi_tui", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://\S+", line)
        assert match, f"no URL printed: {line!r}"
        yield match.group(0), proc, env
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_wrong_token_and_a_foreign_origin_are_refused(
    served: tuple[str, subprocess.Popen[str], dict[str, str]],
) -> None:
    import aiohttp

    url, _, _ = served
    base, token = url.split("/?token=")
    assert status(url) == 200
    assert status(f"{base}/?token=wrong") == 403
    assert status(f"{base}/") == 403
    ws = base.replace("http:", "ws:")

    async def handshake(path: str, origin: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"{ws}{path}", headers={"Origin": origin}):
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    assert asyncio.run(handshake(f"/ws/{token}", "http://evil.example")) == 403
    assert asyncio.run(handshake("/ws/wrong", base)) == 403


def test_the_page_drives_aoi_with_nothing_from_outside(
    served: tuple[str, subprocess.Popen[str], dict[str, str]],
) -> None:
    need_chromium()
    from playwright.sync_api import sync_playwright

    url, proc, env = served
    base = url.split("/?")[0]
    sessions_before = json.loads(aoi(env, "engagement", "list", "--json"))[0]["sessions_held"]
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            page.wait_for_selector("body.-first-byte", timeout=20_000)
            time.sleep(1.0)
            # The served app runs without AOI_PASSPHRASE: it is asking for it.
            children = subprocess.run(
                ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
            ).stdout.split()
            assert children, "the served aoi did not start"
            for pid in children:
                environ = Path(f"/proc/{pid}/environ").read_bytes()
                assert b"AOI_PASSPHRASE" not in environ
                assert PASSPHRASE.encode() not in environ
            page.click("#terminal")
            page.keyboard.type(PASSPHRASE)
            page.keyboard.press("Enter")
            time.sleep(2.5)  # Argon2id, then the engagements
            page.keyboard.press("Enter")  # open the demo engagement
            time.sleep(0.8)
            page.keyboard.press("n")  # new session
            time.sleep(0.8)
            page.keyboard.press("Enter")  # the default kind
            deadline = time.monotonic() + 15
            held = sessions_before
            while time.monotonic() < deadline and held == sessions_before:
                time.sleep(0.3)
                held = json.loads(aoi(env, "engagement", "list", "--json"))[0]["sessions_held"]
            assert held == sessions_before + 1, "keys typed in the page did not reach aoi"
        finally:
            browser.close()
    outside = [r for r in requests if not r.startswith(base)]
    assert outside == []


def test_binding_beyond_loopback_warns(tmp_path: Path) -> None:
    env = dict(os.environ, AOI_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO), AOI_LANG="en")
    proc = subprocess.Popen(
        [sys.executable, "-m", "aoi_tui", "serve", "--host", "0.0.0.0", "--port", str(free_port())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        warning = proc.stderr.readline()
        assert "WARNING" in warning and "0.0.0.0" in warning
    finally:
        proc.terminate()
        proc.wait(5)
