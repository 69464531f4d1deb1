"""`aoi` with no command (the TUI in this terminal) and `aoi serve` (in a browser).
Textual is imported only here, by name, when one of them runs."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
from pathlib import Path

from aoi_tui.access.opening import (
    PASSPHRASE_ENV,
    UnlockError,
    open_store,
)
from aoi_tui.cli.common import (
    CliError,
    data_root,
)
from aoi_tui.store.store import Store, store_exists


def cmd_tui(args: argparse.Namespace) -> int:
    served = os.environ.get("AOI_SERVED") == "1"  # in a browser: textual-serve's own driver
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CliError("the TUI needs a terminal; `aoi --help` lists the commands")
    root = data_root(args)
    # AOI_PASSPHRASE or a remembered key opens the store here, in a thread: Argon2id
    # runs while the UI is imported (it releases the GIL). Otherwise the TUI asks.
    opened: list[Store | BaseException] = []
    opener = threading.Thread(target=_open_quietly, args=(root, opened), daemon=True)
    if store_exists(root) and not served:
        opener.start()
    # the one way from the core up to the screens, and only to launch them: an import
    # by name, so that no command but this one loads Textual (see pyproject's layers)
    run_app = importlib.import_module("aoi_tui.screens.app").run_app

    store: Store | None = None
    if opener.is_alive() or opened:
        opener.join()
        result = opened[0] if opened else None
        if isinstance(result, Store):
            store = result
        elif (isinstance(result, UnlockError) and os.environ.get(PASSPHRASE_ENV) is not None) or (
            isinstance(result, BaseException) and not isinstance(result, UnlockError)
        ):
            raise result
    run_app(root, store, args.settings)
    return 0


def _open_quietly(root: Path, out: list[Store | BaseException]) -> None:
    try:
        out.append(open_store(root, prompt=None))
    except BaseException as exc:
        out.append(exc)


def cmd_serve(args: argparse.Namespace) -> int:
    serve = importlib.import_module("aoi_tui.screens.web").serve  # Textual's: see cmd_tui

    if not 0 < args.port < 65536:
        raise CliError(f"{args.port} is not a port number")
    store_exists(
        data_root(args)
    )  # a store without its key file is refused here, not in the browser
    serve(data_root(args), args.host, args.port, args.lang)
    return 0
