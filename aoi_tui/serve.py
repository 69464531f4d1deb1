"""`aoi serve`: the same TUI in a browser, through textual-serve, made safe.

textual-serve has no authentication, no Origin check, and its page loads a
font from the internet. Here:

- our own page (`data/serve/index.html`): every resource from this server,
  under a Content-Security-Policy;
- a random token in the URL, printed at start; every page and WebSocket
  without it is refused;
- the WebSocket's Origin must be this server's own;
- loopback by default, with a clear warning when bound elsewhere;
- the served app never receives `AOI_PASSPHRASE` nor a remembered key: each
  browser session unlocks with the passphrase (`AOI_SERVED=1`)."""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
import shlex
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

from aoi_tui.i18n import language, t

SERVED_ENV = "AOI_SERVED"
SECRET_ENVS = ("AOI_PASSPHRASE", "AOI_NEW_PASSPHRASE", "AOI_RECOVERY_CODE")
# A served app must not find a remembered key either: no keyring backend at all.
NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
        host_in_url = f"[{host}]" if ":" in host else host
        self.public_url = f"http://{host_in_url}:{port}"

    @property
    def url(self) -> str:
        return f"{self.public_url}/?token={self.token}"

    def _token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def _origin_ok(self, request: web.Request) -> bool:
        return request.headers.get("Origin") == self.public_url

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
        ws_origin = "ws:" + self.public_url.split(":", 1)[1]
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
        if not self._origin_ok(request):
            raise web.HTTPForbidden(text="aoi: this page is not served from here\n")
        return await super().handle_websocket(request)

    async def on_startup(self, app: web.Application) -> None:
        print(t("serve.started", url=self.url), flush=True)
        if not is_loopback(self.host):
            print(t("serve.exposed", host=self.host), file=sys.stderr, flush=True)


def serve(data_dir: Path, host: str, port: int, lang: str | None) -> None:
    for name in SECRET_ENVS:
        os.environ.pop(name, None)  # the served apps inherit this environment
    os.environ[SERVED_ENV] = "1"
    os.environ.update(NO_KEYRING)
    AoiServer(data_dir, host, port, lang).serve()
