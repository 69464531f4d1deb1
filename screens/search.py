"""Search the notes of one engagement or of all of them; Enter on a result
opens its session with the note highlighted."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from aoi_tui.config.i18n import plural, t
from aoi_tui.domain.allow_list import Message, reaches
from aoi_tui.domain.models import Action, Note
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.base import STORE_FAILURES, AoiScreen
from aoi_tui.store.note_search import Hit, search_store


class SearchScreen(AoiScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", t("ui.key.back"), id="search.back")]

    def __init__(self, engagement_id: str | None = None) -> None:
        super().__init__()
        self.engagement_id = engagement_id
        self.hits: list[Hit] = []
        self.found: tuple[str, list[Hit], list[str]] | None = None  # the last search, whole

    def compose(self) -> ComposeResult:
        yield Header()
        scope = "ui.search.one" if self.engagement_id else "ui.search.all"
        yield Static(t(scope), classes="screen-title")
        yield Input(placeholder=t("ui.search.placeholder"), id="query")
        yield Static(id="search-state", classes="explain")
        yield OptionList(id="hits")
        yield Footer(compact=True)

    @on(Input.Submitted, "#query")
    def run_search(self, event: Input.Submitted) -> None:
        self.query_one("#search-state", Static).update(t("ui.search.running"))
        self.search(event.value)

    @work(thread=True, exclusive=True)
    def search(self, query: str) -> None:
        ids = [self.engagement_id] if self.engagement_id else None
        hits, problems = search_store(self.aoi.unlocked, query, ids)
        self.app.call_from_thread(self.show, query, hits, problems)

    def room_changed(self, room: Room) -> None:
        if self.found is not None:
            self.show(*self.found)

    def reaches_sponsor(self, hit: Hit) -> bool:
        """In the sponsor-safe view, a hit shows only if its item reaches the N+1
        (the one allow-list); a coachee's log never does."""
        try:
            ef = self.aoi.unlocked.engagement(hit.engagement_id)
            engagement = ef.engagement()
            if hit.kind == "message" and hit.session is not None:
                return reaches(Message(ef.session(hit.session)), engagement)
            if hit.kind in ("note", "action") and hit.record_id is not None:
                cls: type[Note] | type[Action] = Note if hit.kind == "note" else Action
                return reaches(ef.get(cls, hit.record_id), engagement)
        except (KeyError, *STORE_FAILURES):
            return False
        return False

    def show(self, query: str, hits: list[Hit], problems: list[str]) -> None:
        self.found = (query, hits, problems)
        safe = self.aoi.sponsor_safe
        self.hits = [h for h in hits if not safe or self.reaches_sponsor(h)]
        options = self.query_one("#hits", OptionList)
        options.clear_options()
        for i, h in enumerate(self.hits):
            line = Text()
            line.append(f"{h.coachee} ", style="bold")
            if h.session:
                line.append(f"s{h.session} ")
            line.append(f"{t(f'ui.search.kind.{h.kind}')}{t('ui.sep.colon')}", style="italic")
            line.append(h.snippet(query, 60))
            options.add_option(Option(line, id=str(i)))
        state = plural("ui.search.count", len(self.hits))
        if problems:
            state += " · " + plural("ui.search.skipped", len(problems))
        self.query_one("#search-state", Static).update(state)
        if self.hits:
            options.focus()

    @on(OptionList.OptionSelected, "#hits")
    def open_hit(self, event: OptionList.OptionSelected) -> None:
        from aoi_tui.screens.session import SessionScreen

        hit = self.hits[int(str(event.option.id))]
        if hit.session is None:
            return
        self.app.push_screen(
            SessionScreen(hit.engagement_id, hit.session, resume=False, focus_note=hit.record_id)
        )
