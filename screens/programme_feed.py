"""A programme's feed from the TUI (issue 14): choose the programme, see how
many engagements and people leave for its lead, then every figure of the feed in
words (codes and numbers, random keys: nothing typed), and write it encrypted to
the lead. Opened from the command palette. At 80x24 the counts and the file come
first, the preview below them scrolls."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from aoi_tui.config.i18n import language, plural, t
from aoi_tui.programme.definition import Programme, ProgrammeError
from aoi_tui.screens.base import AoiScreen
from aoi_tui.screens.export import is_this_terminal
from aoi_tui.secure.durable import StoreWriteError

if TYPE_CHECKING:
    from aoi_tui.programme.feed import Feed


class ProgrammeFeedScreen(AoiScreen[None]):
    BINDINGS = [
        Binding(
            "ctrl+o", "write", t("ui.key.write_export"), id="programme_feed.write", priority=True
        ),
        Binding("escape", "app.pop_screen", t("ui.key.back"), id="programme_feed.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.programmes: dict[str, Programme] = {}
        self.feed: Feed | None = None
        self.covered: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Select(
            [], prompt=t("ui.programme.choose"), allow_blank=True, id="programme", compact=True
        )
        yield Static(id="feed-state", classes="message")
        with Horizontal(id="feed-file"):
            yield Label(t("ui.export.file"))
            yield Input(id="feed-path", compact=True)
        yield TextArea(id="feed-preview", read_only=True, soft_wrap=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from aoi_tui.store.programme_book import ProgrammeBook

        book = ProgrammeBook(self.aoi.unlocked)
        for pid in book.joined_ids():
            entry = book.joined(pid)
            if entry is not None:
                self.programmes[pid] = Programme.model_validate(entry)
        select = self.query_one("#programme", Select)
        select.set_options([(p.name, pid) for pid, p in self.programmes.items()])
        if not self.programmes:
            self.query_one("#feed-state", Static).update(Text(t("ui.programme.none"), style="bold"))
            return
        select.value = next(iter(self.programmes))

    @on(Select.Changed, "#programme")
    def rebuild(self) -> None:
        from aoi_tui.programme.sending import build_coach_feed

        value = self.query_one("#programme", Select).value
        state = self.query_one("#feed-state", Static)
        preview = self.query_one("#feed-preview", TextArea)
        programme = self.programmes.get(str(value)) if value is not Select.NULL else None
        self.feed = None
        if programme is None:
            preview.load_text("")
            return
        try:
            self.feed, self.covered = build_coach_feed(self.aoi.unlocked, programme)
        except ProgrammeError as exc:
            state.update(Text(str(exc), style="bold"))
            preview.load_text("")
            return
        path = self.query_one("#feed-path", Input)
        if not path.value or Path(path.value).name.startswith("aoi-feed-"):
            path.value = str(Path.cwd() / f"aoi-feed-{programme.id[:8]}.age")
        state.update(Text(summary(self.feed), style="bold"))
        # the very feed that is sealed and written, each field in words
        preview.load_text(in_words(self.feed, programme))

    def action_write(self) -> None:
        from aoi_tui.cli.programme import write_guarded
        from aoi_tui.programme.feed import seal_feed
        from aoi_tui.programme.sending import record_feed

        value = self.query_one("#programme", Select).value
        programme = self.programmes.get(str(value)) if value is not Select.NULL else None
        if self.feed is None or programme is None:
            return
        target = self.query_one("#feed-path", Input).value.strip()
        if not target or is_this_terminal(target):
            self.notify(t("ui.export.not_terminal"), severity="error", timeout=10)
            return
        try:
            sealed = seal_feed(self.feed, programme)
            path = write_guarded(
                self.aoi.unlocked, target, "aoi-feed.age", sealed.decode("ascii"), fresh=False
            )
            assert path is not None  # never standard output here
            record_feed(self.aoi.unlocked, programme, self.covered, path)
        except (StoreWriteError, OSError, ProgrammeError) as exc:
            self.notify(t("ui.programme.failed", reason=str(exc)), severity="error", timeout=10)
            return
        people = sum(len(e.participants) for e in self.feed.engagements)
        self.notify(
            t(
                "ui.programme.written",
                path=str(path),
                engagements=plural("ui.programme.engagements", len(self.feed.engagements)),
                people=plural("ui.programme.people", people),
            ),
            timeout=8,
        )
        self.app.pop_screen()


def summary(feed: Feed) -> str:
    """How many engagements and people leave, said first."""
    if not feed.engagements:
        return t("ui.programme.nothing")
    return t(
        "ui.programme.summary",
        engagements=plural("ui.programme.engagements", len(feed.engagements)),
        people=plural("ui.programme.people", sum(len(e.participants) for e in feed.engagements)),
    )


def in_words(feed: Feed, programme: Programme) -> str:
    """Every field of the feed in the coach's words: each engagement (its key, site,
    form, sessions and outcomes), then each person (their key, objectives,
    competencies and own evaluations) where their agreement lets them leave."""
    from aoi_tui.domain.referentials import referential

    sites = {s.code: s.name for s in programme.sites}
    names = {c.id: c.name for c in referential(language(), programme.referential.id).competencies}

    def period(n: int) -> str:
        return t("ui.programme.period", number=n, dates=programme.periods.label(n))

    def yes(flag: bool | None) -> str:
        return t("ui.programme.yes" if flag else "ui.programme.no")

    lines = [
        t(
            "ui.programme.head",
            programme=f"{programme.name} ({feed.programme})",
            coach=feed.coach,
            written=f"{feed.written_at:%Y-%m-%d %H:%M} UTC",
        ),
        t("ui.programme.notice"),
    ]
    for e in feed.engagements:
        site = f"{sites.get(e.site, e.site)} ({e.site})" if e.site else t("ui.programme.all_sites")
        started = period(e.start_period) if e.start_period else t("ui.programme.not_started")
        lines += [
            "",
            t("ui.programme.engagement", code=e.key, site=site),
            "  "
            + " · ".join(
                [
                    t(f"format.{e.format.value}"),
                    t(f"ui.programme.form_{e.form}"),
                    plural("ui.programme.people", e.people),
                    t(f"status.{e.status.value}"),
                ]
            ),
            "  "
            + t("ui.programme.started", period=started, planned=e.sessions_planned)
            + ("" if e.sessions else " —"),
        ]
        for s in e.sessions:
            kind = t(f"session.kind.{s.kind.value}")
            held = "    " + t(
                "ui.programme.session", dates=programme.periods.label(s.period), kind=kind
            )
            if s.handover is not None:
                held += " · " + t("ui.programme.handover", held=yes(s.handover))
            lines.append(held)
        lines.append(
            "  "
            + t(
                "ui.programme.outcomes",
                kickoff=yes(e.kickoff_held),
                closing=yes(e.closing_held),
                days=e.cadence_days,
                cadence=yes(e.cadence_kept),
            )
        )
        for p in e.participants:
            lines.append("  " + t("ui.programme.person", code=p.key))
            if p.objectives is None:
                lines.append("    " + t("ui.programme.objectives_not_allowed"))
            else:
                listed = ", ".join(
                    f"{t(f'area.{o.area.value}') if o.area else t('ui.programme.no_area')} "
                    f"({t(f'objective.{o.status.value}')})"
                    for o in p.objectives
                )
                lines.append("    " + t("ui.programme.objectives", listed=listed or "—"))
            if p.competencies is None:
                lines.append("    " + t("ui.programme.competencies_not_allowed"))
            else:
                lines.append(
                    "    " + t("ui.programme.competencies") + ("" if p.competencies else " —")
                )
                for c in p.competencies:
                    row = f"      {names.get(c.competency, c.competency)}{t('ui.sep.colon')}"
                    row += f"{_level(c.start)} → {_level(c.latest)}"
                    if c.self_hot or c.self_cold:
                        row += " · " + t(
                            "ui.programme.own_levels",
                            hot=_level(c.self_hot),
                            cold=_level(c.self_cold),
                        )
                    lines.append(row)
            if p.evaluation is not None and (p.evaluation.hot or p.evaluation.cold):
                lines.append(
                    "    "
                    + t(
                        "ui.programme.evaluation",
                        hot=p.evaluation.hot or "—",
                        cold=p.evaluation.cold or "—",
                    )
                )
    return "\n".join(lines) + "\n"


def _level(level: int | None) -> str:
    return "—" if level is None else str(int(level))
