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
from tests.support import PASSPHRASE, REPO


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


def test_the_served_app_locks_and_only_the_passphrase_opens_it(
    served: tuple[str, subprocess.Popen[str], dict[str, str]],
) -> None:
    """The lock key in the page: the keys that would open the engagement and start a
    session go to the lock's passphrase field (a wrong passphrase); the passphrase
    opens it, and the same keys then start the session."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    url, _, env = served

    def held() -> int:
        return int(json.loads(aoi(env, "engagement", "list", "--json"))[0]["sessions_held"])

    before = held()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 700})
            page.goto(url)
            page.wait_for_selector("body.-first-byte", timeout=20_000)
            time.sleep(1.0)
            page.click("#terminal")
            page.keyboard.type(PASSPHRASE)
            page.keyboard.press("Enter")
            time.sleep(2.5)  # Argon2id, then the engagements
            page.keyboard.press("Control+g")  # locked
            time.sleep(0.8)
            for key in ("Enter", "n", "Enter", "Enter"):  # open, new session, its kind
                page.keyboard.press(key)
                time.sleep(0.5)
            time.sleep(1.5)
            assert held() == before, "keys typed while locked reached the engagement"
            page.keyboard.type(PASSPHRASE)
            page.keyboard.press("Enter")
            time.sleep(1.5)
            for key in ("Enter", "n", "Enter"):
                page.keyboard.press(key)
                time.sleep(0.8)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and held() == before:
                time.sleep(0.3)
            assert held() == before + 1, "the passphrase did not open the lock"
        finally:
            browser.close()


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


# -- the token stays out of the log; the address the browser used is accepted ------------------


def handshake(ws_base: str, path: str, headers: dict[str, str]) -> int:
    import aiohttp

    async def run() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(f"{ws_base}{path}", headers=headers):
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    return asyncio.run(run())


def page(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_the_access_log_never_prints_the_token(
    served: tuple[str, subprocess.Popen[str], dict[str, str]],
) -> None:
    url, proc, _ = served
    base, token = url.split("/?token=")
    ws = base.replace("http:", "ws:")
    assert page(url)[0] == 200
    assert page(f"{base}/?token={token}x")[0] == 403
    assert page(f"{base}/?other=1&token={token}")[0] == 200
    assert handshake(ws, f"/ws/{token}", {"Origin": "http://evil.example"}) == 403
    assert handshake(ws, f"/ws/{token}x", {"Origin": base}) == 403
    time.sleep(0.5)
    proc.terminate()
    out, _ = proc.communicate(timeout=10)
    assert "GET" in out, "the requests are logged"
    assert token not in out, "a token (or a near miss of it) was printed"


def test_the_token_is_what_the_readme_says() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    serve_part = readme[readme.index("`aoi serve`") :][:900]
    assert "one-time" not in serve_part
    assert "while" in serve_part and "aoi serve" in serve_part


@pytest.fixture
def served_everywhere(tmp_path: Path) -> Iterator[tuple[str, int]]:
    env = dict(
        os.environ,
        AOI_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(REPO),
        AOI_LANG="en",
        AOI_PASSPHRASE=PASSPHRASE,
    )
    aoi(env, "demo")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aoi_tui", "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"token=(\S+)", line)
        assert match, f"no URL printed: {line!r}"
        assert "0.0.0.0" not in line, "a browser cannot open 0.0.0.0"
        yield match.group(1), port
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_bound_to_every_address_the_browser_address_is_used_and_checked(
    served_everywhere: tuple[str, int],
) -> None:
    token, port = served_everywhere
    local = f"http://127.0.0.1:{port}"
    ws = f"ws://127.0.0.1:{port}"
    # a browser on another machine, which reached this one as 192.0.2.10
    remote = f"192.0.2.10:{port}"
    status_code, html = page(f"{local}/?token={token}", host=remote)
    assert status_code == 200
    assert f'data-session-websocket-url="ws://{remote}/ws/{token}"' in html
    assert "0.0.0.0" not in html
    assert handshake(ws, f"/ws/{token}", {"Host": remote, "Origin": f"http://{remote}"}) == 101
    # the page of another site, even one whose name points here (DNS rebinding)
    assert handshake(ws, f"/ws/{token}", {"Host": remote, "Origin": "http://evil.example"}) == 403
    rebound = f"evil.example:{port}"
    assert page(f"{local}/?token={token}", host=rebound)[0] == 403
    assert handshake(ws, f"/ws/{token}", {"Host": rebound, "Origin": f"http://{rebound}"}) == 403
    # this machine's own name is an address a browser may use
    own = f"{socket.gethostname()}:{port}"
    assert page(f"{local}/?token={token}", host=own)[0] == 200


def test_on_loopback_localhost_and_127_0_0_1_both_work(
    served: tuple[str, subprocess.Popen[str], dict[str, str]],
) -> None:
    url, _, _ = served
    base, token = url.split("/?token=")
    port = base.rsplit(":", 1)[1]
    ws = base.replace("http:", "ws:")
    for name in ("localhost", "127.0.0.1"):
        host = f"{name}:{port}"
        status_code, html = page(url, host=host)
        assert status_code == 200 and f"ws://{host}/ws/" in html
        assert handshake(ws, f"/ws/{token}", {"Host": host, "Origin": f"http://{host}"}) == 101
    # an SSH tunnel from another local port: the browser's port is the tunnel's
    host = "127.0.0.1:9999"
    assert f"ws://{host}/ws/" in page(url, host=host)[1]
    assert handshake(ws, f"/ws/{token}", {"Host": host, "Origin": f"http://{host}"}) == 101
