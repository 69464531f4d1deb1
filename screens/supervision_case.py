"""A case for supervision, from the TUI (issue 16 §1): the coach writes the
question, picks the notes (none by default, private ones allowed), writes
their own reflections, feelings and hypotheses (on the engagement, a session
or a phase: kept in the engagement's file, never shared), checks what the
pseudonymiser replaced and flagged (with the original names: on screen only)
and the file itself, then writes it. An agreement that does not tell the
coachee the coach is supervised is said, and the export asks twice.

While the N+1 is in the room a cover hides the tabs (private notes, the
coach's reflections, the names), and what is typed meanwhile is kept."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.widgets import (
    Footer,
    Header,
    Input,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import language, plural, t
from aoi_tui.domain.models import Note, Session, Visibility
from aoi_tui.domain.reflections import Reflection
from aoi_tui.exports.markdown_parts import phase_label
from aoi_tui.exports.supervision_case import UnknownNote
from aoi_tui.exports.supervision_export import (
    SUPERVISION_FORMATS,
    SupervisionExport,
    build_supervision_export,
    preview_lines,
)
from aoi_tui.exports.writing import WORD
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen
from aoi_tui.screens.export import write_and_say

ENGAGEMENT = "engagement"
FIELDS = ("reflections", "feelings", "hypotheses")


def scope_key(session: int | None, phase: str | None) -> str:
    return ENGAGEMENT if session is None else f"{session}:{phase or ''}"


class NotePicker(OptionList):
    """The engagement's notes, none picked at first; Enter or a click picks or
    leaves one. Said in words, not only in colour ([x] / [ ]): a monochrome
    terminal shows it too."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.lines: list[tuple[str, str]] = []
        self.picked: set[str] = set()

    def set_notes(self, lines: list[tuple[str, str]]) -> None:
        self.lines = lines
        self.clear_options()
        self.add_options([Option(self._prompt(i, line), id=i) for i, line in lines])

    def _prompt(self, note_id: str, line: str) -> Text:
        return Text(("[x] " if note_id in self.picked else "[ ] ") + line, no_wrap=True)

    def picked_ids(self) -> list[str]:
        return [i for i, _ in self.lines if i in self.picked]

    def toggle(self, note_id: str) -> None:
        self.picked ^= {note_id}
        index = [i for i, _ in self.lines].index(note_id)
        self.replace_option_prompt_at_index(index, self._prompt(note_id, self.lines[index][1]))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.toggle(event.option.id)


class SupervisionCaseScreen(AoiScreen[None]):
    BINDINGS = [
        Binding("ctrl+o", "write", t("ui.case.write"), id="case.write", priority=True),
        Binding("ctrl+s", "save", t("ui.case.save"), id="case.save", priority=True),
        Binding("escape", "back", t("ui.key.back"), id="case.back"),
    ]

    def __init__(self, engagement_id: str) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.case: SupervisionExport | None = None
        self.sessions: list[Session] = []
        self.reflections: dict[str, Reflection] = {}
        self.scope = ENGAGEMENT
        self.confirming = False  # ctrl+o pressed once on an engagement without the line

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(classes="case-row"):
            yield Select(
                [(t("ui.export.word") if f == WORD else f, f) for f in SUPERVISION_FORMATS],
                value="md",
                allow_blank=False,
                id="case-format",
                compact=True,
            )
            yield Input(id="case-path", compact=True, placeholder=t("ui.export.file"))
        yield Static(id="case-state", classes="message")
        with Container(classes="covered", id="case-body"):
            with TabbedContent(id="case-tabs"):
                with TabPane(t("ui.case.question"), id="case-tab-question"):
                    yield TextArea(id="case-question", soft_wrap=True)
                    yield Input(
                        id="case-supervisor", compact=True, placeholder=t("ui.case.supervisor")
                    )
                with TabPane(t("ui.case.notes"), id="case-tab-notes"):
                    yield NotePicker(id="case-notes")
                with TabPane(t("ui.case.reflections"), id="case-tab-reflections"), Vertical():
                    yield Select(
                        [(t("ui.case.scope_engagement"), ENGAGEMENT)],
                        value=ENGAGEMENT,
                        allow_blank=False,
                        id="case-scope",
                        compact=True,
                    )
                    for key in FIELDS:
                        area = TextArea(id=f"case-{key}", soft_wrap=True, classes="case-thought")
                        area.border_title = t(f"ui.case.my_{key}")
                        yield area
                with TabPane(t("ui.case.check"), id="case-tab-check"):
                    yield TextArea(id="case-check", read_only=True, soft_wrap=True)
                with TabPane(t("ui.case.file"), id="case-tab-file"):
                    yield TextArea(id="case-file", read_only=True, soft_wrap=True)
            yield Static(t("ui.sponsor_safe.covered"), classes="cover")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("ui.case.title")
        self.query_one("#case-question", TextArea).border_title = t("ui.case.question_hint")
        ef = self.aoi.unlocked.engagement(self.engagement_id)
        self.sessions = sorted(ef.sessions(), key=lambda s: s.number)
        kinds = {s.number: s.kind.value for s in self.sessions}
        notes = sorted(ef.notes(), key=lambda n: (n.session, n.created_at))
        self.query_one("#case-notes", NotePicker).set_notes(
            [(n.id, self._note_line(n, kinds)) for n in notes]
        )
        self.reflections = {scope_key(r.session, r.phase): r for r in ef.all(Reflection)}
        scopes = [(t("ui.case.scope_engagement"), ENGAGEMENT)]
        for s in self.sessions:
            scopes.append((t("ui.case.scope_session", number=s.number), scope_key(s.number, None)))
            scopes += [
                (
                    f"  {t('ui.case.scope_session', number=s.number)} · "
                    f"{phase_label(s.kind.value, phase, language())}",
                    scope_key(s.number, phase),
                )
                for phase in s.phase_ids
            ]
        with self.prevent(Select.Changed):
            self.query_one("#case-scope", Select).set_options(scopes)
            self.query_one("#case-scope", Select).value = ENGAGEMENT
        self._show_scope()
        self.rebuild()
        self.query_one("#case-question", TextArea).focus()

    def _note_line(self, n: Note, kinds: dict[int, str]) -> str:
        phase = phase_label(kinds.get(n.session, ""), n.phase, language())
        seen = t("ui.case.private" if n.visibility is Visibility.PRIVATE else "ui.case.shareable")
        text = " ".join(n.text.split())
        return f"s{n.session} · {phase} · {seen} — {text[:200]}"

    # -- reflections --

    def _show_scope(self) -> None:
        r = self.reflections.get(self.scope)
        for key in FIELDS:
            self.query_one(f"#case-{key}", TextArea).load_text(getattr(r, key) if r else "")

    def _typed(self) -> dict[str, str]:
        return {key: self.query_one(f"#case-{key}", TextArea).text for key in FIELDS}

    def _save_scope(self) -> bool:
        """Write what is typed for the scope in view if it changed. False: not saved (said)."""
        typed = self._typed()
        r = self.reflections.get(self.scope)
        if r is None:
            if not any(v.strip() for v in typed.values()):
                return True
            session, _, phase = self.scope.partition(":")
            r = Reflection(
                session=None if self.scope == ENGAGEMENT else int(session),
                phase=phase or None,
            )
            r.edit(**typed)
            write = self.aoi.unlocked.engagement(self.engagement_id).insert
        else:
            before = (r.reflections, r.feelings, r.hypotheses)
            r = r.model_copy(deep=True)
            r.edit(**typed)
            if (r.reflections, r.feelings, r.hypotheses) == before:
                return True
            write = self.aoi.unlocked.engagement(self.engagement_id).update
        try:
            write(r)
        except STORE_FAILURES as exc:
            self.notify(t("ui.export.failed", reason=str(exc)), severity="error", timeout=10)
            return False
        self.reflections[self.scope] = r
        self.notify(t("ui.case.saved"), timeout=3)
        return True

    @on(Select.Changed, "#case-scope")
    def scope_changed(self, event: Select.Changed) -> None:
        value = str(event.value)
        if value == self.scope:
            return
        if not self._save_scope():
            self.query_one("#case-scope", Select).value = self.scope  # the text stays, unsaved
            return
        self.scope = value
        self._show_scope()

    def action_save(self) -> None:
        if self._save_scope():
            self.rebuild()

    def action_back(self) -> None:
        if self._save_scope():
            self.app.pop_screen()

    # -- the case --

    @on(Select.Changed, "#case-format")
    @on(TabbedContent.TabActivated, "#case-tabs")
    def rebuild(self) -> None:
        """The case as it is now: built again when the format changes and when the
        Check or File tab comes into view (what is typed elsewhere is read then)."""
        ef_id = self.engagement_id
        fmt = str(self.query_one("#case-format", Select).value)
        picked = self.query_one("#case-notes", NotePicker).picked_ids()
        question = self.query_one("#case-question", TextArea).text
        supervisor = self.query_one("#case-supervisor", Input).value
        state = self.query_one("#case-state", Static)
        if self.query_one("#case-tabs", TabbedContent).active in (
            "case-tab-check",
            "case-tab-file",
        ):
            self._save_scope()
        try:
            self.case = build_supervision_export(
                self.aoi.unlocked, ef_id, fmt, language(), question, picked, supervisor
            )
        except (UnknownNote, ValueError) as exc:
            self.case = None
            state.update(Text(str(exc), style="bold"))
            return
        path = self.query_one("#case-path", Input)
        if not path.value or path.value.rsplit("/", 1)[-1].startswith("aoi-"):
            path.value = str(Path.cwd() / self.case.export.default_name)
        self.query_one("#case-check", TextArea).load_text(
            "\n".join([t("ui.case.check_note"), "", *preview_lines(self.case.preview, language())])
        )
        self.query_one("#case-file", TextArea).load_text(self.case.export.content)
        self._say_state()

    def _say_state(self) -> None:
        state = self.query_one("#case-state", Static)
        if self.case is None:
            return
        if not self.case.supervised:
            said = "ui.case.again" if self.confirming else "ui.case.unsupervised"
            state.update(Text(t(said), style="bold"))
            return
        preview = self.case.preview
        count = {
            k: sum(r.count for r in preview.replaced if r.kind == k)
            for k in ("name", "date", "email")
        }
        state.update(
            t(
                "ui.case.ready",
                names=plural("ui.case.names", count["name"]),
                dates=plural("ui.case.dates", count["date"]),
                emails=plural("ui.case.emails", count["email"]),
                flagged=plural("ui.case.flagged", len(preview.flagged)),
            )
        )

    def action_write(self) -> None:
        if not self._save_scope():
            return
        self.rebuild()  # what is typed and picked now
        if self.case is None:
            return
        if not self.case.supervised and not self.confirming:
            self.confirming = True
            self._say_state()
            return
        target = self.query_one("#case-path", Input).value.strip() or None
        write_and_say(self, self.engagement_id, self.case.export, target)


__all__ = ["SupervisionCaseScreen"]
