"""The command palette (ctrl+p): every main action of the current screen,
built from its bindings, plus the app-wide ones."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from aoi_tui.i18n import t


class AoiCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        found: list[tuple[str, str, object]] = []
        for binding in getattr(screen, "BINDINGS", []):
            action = getattr(binding, "action", None)
            # the palette has room for the long name; the footer shows the short one
            description = getattr(binding, "tooltip", "") or getattr(binding, "description", "")
            if not action or not description:
                continue
            key = getattr(binding, "key", "")
            found.append((f"{description}", key, partial(screen.run_action, action)))
        found.append(
            (t("ui.key.sponsor_safe"), "f2", partial(self.app.run_action, "toggle_sponsor_safe"))
        )
        found.append((t("ui.key.quit"), "ctrl+q", partial(self.app.run_action, "quit")))
        return found

    async def discover(self) -> Hits:
        for name, key, callback in self._commands():
            yield DiscoveryHit(name, callback, help=key)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, key, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=key)  # type: ignore[arg-type]
