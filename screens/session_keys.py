"""The live session's keys, as the footer shows them at 80 columns: the function
keys in order, F2 first (the N+1 walks in), F5 and F6 as one group; F7 and F8
are said on the card panel's header, the rest in the palette. Each has an id,
so the settings' [keys] may move it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from aoi_tui.config.i18n import t
from aoi_tui.screens.base import group_safe_binding

PHASE_KEYS = Binding.Group(t("ui.key.phase"), compact=True)

SESSION_KEYS: list[BindingType] = [
    Binding("f2", "app.toggle_sponsor_safe", t("ui.key.sponsor_safe"), id="session.sponsor_safe"),
    Binding("f3", "next_kind", t("ui.key.kind"), id="session.kind"),
    Binding("f4", "toggle_share", t("ui.key.share"), id="session.share", tooltip=t("ui.palette.share")),
    Binding("f5", "phase(-1)", t("ui.key.prev_phase"), id="session.prev_phase", tooltip=t("ui.palette.prev_phase"), group=PHASE_KEYS),
    Binding("f6", "phase(1)", t("ui.key.next_phase"), id="session.next_phase", tooltip=t("ui.palette.next_phase"), group=PHASE_KEYS),
    Binding("f9", "debrief", t("ui.key.debrief"), id="session.debrief"),
    Binding("f10", "end", t("ui.key.end"), id="session.end", tooltip=t("ui.palette.end")),
    Binding("f7", "next_role", t("ui.key.role"), id="session.role", show=False),
    Binding("f8", "draw_card(True)", t("ui.key.draw"), id="session.draw", tooltip=t("ui.palette.draw"), show=False),
    Binding("ctrl+q", "app.quit", t("ui.key.quit"), id="session.quit", show=False),
    group_safe_binding("session"),
    Binding("ctrl+r", "choose_about", t("ui.key.about"), id="session.about", tooltip=t("ui.palette.about"), show=False),
    Binding("ctrl+t", "toggle_tag", t("ui.key.tag"), id="session.tag", show=False),
    Binding("ctrl+o", "editor", t("ui.key.editor"), id="session.editor", show=False),
    Binding("ctrl+l", "coachee_log", t("ui.key.log"), id="session.log", show=False),
    Binding("escape", "leave", t("ui.key.back"), id="session.back", show=False),
    Binding("pageup", "scroll_panel(-1)", t("ui.key.scroll"), id="session.scroll_up", show=False),
    Binding("pagedown", "scroll_panel(1)", t("ui.key.scroll"), id="session.scroll_down", show=False),
]  # fmt: skip
