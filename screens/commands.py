"""The command palette (ctrl+p): every main action of the current screen,
built from its bindings, plus the app-wide ones."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from aoi_tui.config.i18n import t

if TYPE_CHECKING:
    from aoi_tui.screens.app import AoiApp


class AoiCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        # the key shown is the one that works: the settings' [keys] may have moved it
        keymap = cast("AoiApp", self.app).settings.keys

        def key_of(binding_id: str | None, key: str) -> str:
            return keymap.get(binding_id, key) if binding_id else key

        found: list[tuple[str, str, object]] = []
        for binding in getattr(screen, "BINDINGS", []):
            action = getattr(binding, "action", None)
            # the palette has room for the long name; the footer shows the short one
            description = getattr(binding, "tooltip", "") or getattr(binding, "description", "")
            if not action or not description:
                continue
            key = key_of(getattr(binding, "id", None), getattr(binding, "key", ""))
            found.append((f"{description}", key, partial(screen.run_action, action)))
        found.append(
            (
                t("ui.key.sponsor_safe"),
                key_of("sponsor_safe", "f2"),
                partial(self.app.run_action, "toggle_sponsor_safe"),
            )
        )
        found.append(
            (t("ui.key.quit"), key_of("quit", "ctrl+q"), partial(self.app.run_action, "quit"))
        )
        if cast("AoiApp", self.app).store is not None:  # a store open: something to hide
            found.append(
                (
                    t("ui.palette.lock"),
                    key_of("lock", "ctrl+g"),
                    partial(self.app.run_action, "lock"),
                )
            )
            found.append((t("ui.palette.programme_feed"), "", self._programme_feed))
        return found

    def _programme_feed(self) -> None:
        """The programme feed's screen, loaded when asked for (issue 14)."""
        from aoi_tui.screens.programme_feed import ProgrammeFeedScreen

        self.app.push_screen(ProgrammeFeedScreen())

    def _shown(self, keys: str) -> str:
        """Keys as the footer shows them (/ for slash, ⏎ for enter), not Textual's names."""
        return " ".join(
            self.app.get_key_display(Binding(key.strip(), "")) for key in keys.split(",")
        )

    async def discover(self) -> Hits:
        for name, key, callback in self._commands():
            yield DiscoveryHit(name, callback, help=self._shown(key))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, key, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=self._shown(key))  # type: ignore[arg-type]


def bindings_by_owner() -> dict[str, list[Binding]]:
    """Every binding with an id, by the screen (or the App) that declares it: what
    `[keys]` in the settings may remap. Imports every screen module, so it is
    called only when the settings give keys."""
    package = importlib.import_module(__name__.rpartition(".")[0])
    owners: dict[str, list[Binding]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, DOMNode) or cls.__module__ != module.__name__:
                continue
            declared = [
                b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id
            ]
            if declared:
                owners[name] = declared
    return owners


def keymap_clashes(keymap: dict[str, str], owners: dict[str, list[Binding]]) -> list[str]:
    """Keys the settings give to a binding while another one of the same screen keeps
    them: Textual would silently take the key from the other one."""
    found = []
    for bindings in owners.values():
        holders: dict[str, list[str]] = {}
        for binding in bindings:
            assert binding.id is not None
            keys = keymap.get(binding.id, binding.key)
            for key in {k.strip() for k in keys.split(",") if k.strip()}:
                holders.setdefault(key, []).append(binding.id)
        for key, ids in sorted(holders.items()):
            remapped = [i for i in ids if i in keymap]
            if len(ids) > 1 and remapped:
                others = [i for i in ids if i != remapped[0]]
                found.append(
                    f"keys: {remapped[0]!r} is given {key}, which {', '.join(map(repr, others))} "
                    "already has on the same screen; give that one another key too"
                )
    return found
