"""`aoi serve`: the same TUI in a browser, through textual-serve, made safe.

textual-serve has no authentication, no Origin check, and its page loads a
font from the internet. Here:

- our own page (`data/serve/index.html`): every resource from this server,
  under a Content-Security-Policy;
- a random token in the URL, printed at start; every page and WebSocket
  without it is refused. It is valid as long as this `aoi serve` runs (a reload
  or a second tab works): it keeps out whoever does not have the URL, and the
  passphrase still guards the notes. It never appears in the access log;
- the page is served, and its WebSocket accepted, only under an address a
  browser may use for this machine (an IP address, localhost, this machine's
  name, or the --host given): a name that merely points here (DNS rebinding) is
  refused. The WebSocket's Origin must be the page's own, on the address the
  browser used, so `--host 0.0.0.0` works from another machine;
- loopback by default, with a clear warning when bound elsewhere;
- the served app never receives `AOI_PASSPHRASE` nor a remembered key: each
  browser session unlocks with the passphrase (`AOI_SERVED=1`)."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from textual_serve.server import Server

from aoi_tui.config.i18n import language, t

SERVED_ENV = "AOI_SERVED"
SECRET_ENVS = ("AOI_PASSPHRASE", "AOI_NEW_PASSPHRASE", "AOI_RECOVERY_CODE")
# A served app must not find a remembered key either: no keyring backend at all.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


WILDCARDS = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


_SECRETS_IN_PATH = re.compile(r"(token=)[^&\s]*|(/ws/)[^/?\s]*")


def redacted(path: str) -> str:
    """A request's path and query as the log shows them: no token, right or wrong."""
    return _SECRETS_IN_PATH.sub(lambda m: (m.group(1) or m.group(2)) + "…", path)


class AccessLog(AbstractAccessLogger):
    """One line per request: who, what (token removed), the answer."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %s",
            request.remote,
            request.method,
            redacted(request.path_qs),
            response.status,
        )


class AoiServer(Server):
    def __init__(self, data_dir: Path, host: str, port: int, lang: str | None = None) -> None:
        command = [sys.executable, "-m", "aoi_tui", "--data-dir", str(data_dir)]
        if lang:
            command += ["--lang", lang]
        templates = Path(str(resources.files("aoi_tui.data").joinpath("serve")))
        super().__init__(
            shlex.join(command), host=host, port=port, title="aoi", templates_path=templates
        )
        self.token = secrets.token_urlsafe(24)
        # bound to every address, the URL names this machine: nobody can open 0.0.0.0
        shown = socket.gethostname() if host in WILDCARDS else host
        host_in_url = f"[{shown}]" if ":" in shown else shown
        self.public_url = f"http://{host_in_url}:{port}"
        self.names = {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
        if host not in WILDCARDS:
            self.names.add(host.lower())

    @property
    def url(self) -> str:
        return f"{self.public_url}/?token={self.token}"

    def _token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def _browser_host(self, request: web.Request) -> str | None:
        """The address the browser used (the Host header, port included), if it is
        one a browser may use for this machine; None for any other name: a page
        of another site whose name was pointed here (DNS rebinding)."""
        host = request.headers.get("Host", "").strip().lower()
        match = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?", host)
        if not match:
            return None
        name = match.group(1)
        return host if _is_ip(name) or name in self.names else None

    def _origin_ok(self, request: web.Request, host: str) -> bool:
        """The WebSocket comes from our page, on the address the browser used."""
        origin = request.headers.get("Origin", "").lower()
        return hmac.compare_digest(origin.encode(), f"http://{host}".encode())

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws/{token}", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
                web.get("/favicon.ico", self.handle_favicon),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self._token_ok(request.query.get("token")):
            raise web.HTTPForbidden(
                text="aoi: a valid token is needed (see the URL aoi serve printed)\n"
            )
        host = self._browser_host(request)
        if host is None:
            raise web.HTTPForbidden(text="aoi: open the page with this machine's address or name\n")
        ws_origin = f"ws://{host}"
        context: dict[str, Any] = {
            "lang": language(),
            "static_url": "/static/",
            "websocket_url": f"{ws_origin}/ws/{self.token}",
            "websocket_origin": ws_origin,
            "font_size": 16,
            "closed_text": t("serve.closed"),
        }
        response = aiohttp_jinja2.render_template("index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if not self._token_ok(request.match_info.get("token")):
            raise web.HTTPForbidden(text="aoi: bad token\n")
        host = self._browser_host(request)
        if host is None or not self._origin_ok(request, host):
            raise web.HTTPForbidden(text="aoi: this page is not served from here\n")
        return await super().handle_websocket(request)

    async def on_startup(self, app: web.Application) -> None:
        if not is_loopback(self.host):
            print(t("serve.exposed", host=self.host), file=sys.stderr, flush=True)

    def _listening(self, *_args: object) -> None:
        """Once the socket listens (not before: a browser opened at once would be
        refused), the URL."""
        print(t("serve.started", url=self.url), flush=True)

    def serve(self, debug: bool = False) -> None:
        """textual-serve's `serve`, with our access log and the URL printed once
        the server listens."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows
                loop.add_signal_handler(sig, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=self._listening,
            access_log_class=AccessLog,
        )


def serve(data_dir: Path, host: str, port: int, lang: str | None) -> None:
    for name in SECRET_ENVS:
        os.environ.pop(name, None)  # the served apps inherit this environment
    os.environ[SERVED_ENV] = "1"
    os.environ.update(NO_KEYRING)
    AoiServer(data_dir, host, port, lang).serve()
