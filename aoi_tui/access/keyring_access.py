"""The OS keyring, used only to remember the master key when the coach asks.

A keyring call must never hang (a locked Secret Service on a headless machine
waits for a GUI prompt that never comes), so each call runs in a daemon thread
bounded to a few seconds; a failure or time-out means "no keyring". Backends
that keep secrets in plaintext (keyrings.alt) count as no keyring."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from typing import Any, TypeVar

SERVICE = "aoi"
TIMEOUT_S = 3.0
T = TypeVar("T")

_UNSAFE_MODULES = ("keyrings.alt",)
_NO_KEYRING = ("keyring.backends.fail", "keyring.backends.null")


class NoKeyring(Exception):
    """No usable keyring here (none, plaintext only, locked, or too slow).

    `str()` says it in English (the CLI's language); `kind` and `values` let a
    screen say it in its own (`t(f"ui.keyring.{kind}", **values)`)."""

    def __init__(self, message: str, kind: str = "none", **values: str) -> None:
        super().__init__(message)
        self.kind = kind
        """none | plaintext | timeout | failed"""
        self.values = values


def _bounded(call: Callable[[], T], what: str) -> T:
    result: list[Any] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as exc:
            error.append(exc)

    worker = threading.Thread(target=run, name="aoi-keyring", daemon=True)
    worker.start()
    worker.join(TIMEOUT_S)
    if worker.is_alive():
        raise NoKeyring(
            f"the keyring did not answer within {TIMEOUT_S:.0f} s when {what}",
            "timeout",
            seconds=f"{TIMEOUT_S:.0f}",
        )
    if error:
        if isinstance(error[0], NoKeyring):  # no keyring at all: say so, not "it failed"
            raise error[0]
        raise NoKeyring(
            f"the keyring failed when {what}: {error[0]}", "failed", error=str(error[0])
        ) from error[0]
    return result[0]  # type: ignore[no-any-return]


def _backend() -> Any:
    import keyring  # deferred: its backend discovery costs start-up time

    kr = keyring.get_keyring()
    backends = list(getattr(kr, "backends", [kr]))
    if not backends:
        raise NoKeyring("no keyring backend on this machine")
    for b in backends:
        module = type(b).__module__
        if module.startswith(_UNSAFE_MODULES):
            raise NoKeyring(
                f"the keyring backend {type(b).__name__} keeps secrets in plaintext",
                "plaintext",
                backend=type(b).__name__,
            )
        if module.startswith(_NO_KEYRING):
            raise NoKeyring("no keyring backend on this machine")
    return kr


def recall(store_id: str) -> bytes | None:
    """The remembered master key of this store (maybe stale), or None."""

    def get() -> str | None:
        value: str | None = _backend().get_password(SERVICE, store_id)
        return value

    value = _bounded(get, "reading")
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:
        # Not ours: b"" opens nothing, so the caller drops the entry as stale.
        return b""


def remember(store_id: str, master: bytes) -> None:
    encoded = base64.b64encode(master).decode("ascii")
    _bounded(lambda: _backend().set_password(SERVICE, store_id, encoded), "saving")


def forget(store_id: str) -> bool:
    """Remove the entry; False when there was none."""

    def delete() -> bool:
        import keyring.errors

        try:
            _backend().delete_password(SERVICE, store_id)
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _bounded(delete, "removing")
