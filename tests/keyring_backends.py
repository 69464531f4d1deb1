"""Keyring backends of the tests' own, loaded by name like a real one:

    PYTHON_KEYRING_BACKEND=tests.keyring_backends.JsonFileKeyring
    AOI_TEST_KEYRING_FILE=/tmp/.../keyring.json

They work in a subprocess too, as long as the repository root is on
PYTHONPATH (so that `tests` can be imported)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_ENV = "AOI_TEST_KEYRING_FILE"


class JsonFileKeyring(KeyringBackend):
    """A working keyring: its entries persist in the JSON file named by
    $AOI_TEST_KEYRING_FILE, so a subprocess sees what another one remembered."""

    priority = 1

    @staticmethod
    def path() -> Path:
        return Path(os.environ[FILE_ENV])

    @classmethod
    def entries(cls) -> dict[str, str]:
        try:
            data: dict[str, str] = json.loads(cls.path().read_text("utf-8"))
        except FileNotFoundError:
            return {}
        return data

    @classmethod
    def _save(cls, entries: dict[str, str]) -> None:
        cls.path().write_text(json.dumps(entries), "utf-8")

    @staticmethod
    def _key(service: str, username: str) -> str:
        return f"{service}/{username}"

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries().get(self._key(service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self.entries()
        entries[self._key(service, username)] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self.entries()
        if entries.pop(self._key(service, username), None) is None:
            raise PasswordDeleteError("no such entry")
        self._save(entries)


class HangingKeyring(KeyringBackend):
    """A locked Secret Service on a headless machine: every call waits for a
    GUI prompt that never comes."""

    priority = 1

    @staticmethod
    def _forever() -> None:
        while True:
            time.sleep(3600)

    def get_password(self, service: str, username: str) -> str | None:
        self._forever()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._forever()

    def delete_password(self, service: str, username: str) -> None:
        self._forever()


class FakePlaintextKeyring(JsonFileKeyring):
    """Stands for keyrings.alt's PlaintextKeyring (not installed here): same
    module name as far as the backend's type can tell."""

    __module__ = "keyrings.alt.file"
