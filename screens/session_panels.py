"""What a live session shows beside the notes at some moments: the experience
review's reminders (the actions still open, the coachee's log), the handover
(what the N+1 may read), and the banner (taken over, the N+1 in the room, ended)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from aoi_tui.config.i18n import t
from aoi_tui.domain.allow_list import Message, reaches
from aoi_tui.domain.models import Action, ActionStatus, Engagement, Form, Note, Session
from aoi_tui.domain.text import clean
from aoi_tui.live import session_clock

if TYPE_CHECKING:
    from aoi_tui.store.engagement_file import EngagementFile


def review_text(session: Session, actions: Iterable[Action]) -> Text:
    """The actions of earlier sessions still open, and the coachee's log."""
    text = Text(t("ui.review.actions"), style="bold")
    earlier = [a for a in actions if a.session < session.number and a.status is ActionStatus.OPEN]
    for a in earlier:
        due = f", {a.due.isoformat()}" if a.due else ""
        text.append(f"\n• {clean(a.text)} ({t(f'owner.{a.owner.value}')}{due})")
    if not earlier:
        text.append("\n—")
    text.append("\n" + t("ui.review.log"), style="bold")
    log = session.coachee_log.strip()
    text.append("\n" + (clean(log) if log else t("ui.review.no_log")))
    return text


def handover_text(
    engagement: Engagement, session: Session, notes: Iterable[Note], actions: Iterable[Action]
) -> Text:
    """What the N+1 may read at the handover: what reaches the N+1 by the one
    allow-list (`allow_list.reaches`), each action with its due date and status."""

    def item(words: str) -> str:  # a line break in a text never starts a new item
        return "\n• " + clean(words).replace("\n", "\n  ")

    title = "ui.handover.title"  # the coachee's; a team's or a peer group's otherwise
    if not engagement.individual:
        team = engagement.form is Form.TEAM
        title = "ui.handover.title_team" if team else "ui.handover.title_peers"
    text = Text(t(title), style="bold")
    if not engagement.individual:
        return group_handover_text(engagement, session, notes, actions, text)
    if engagement.agreement.consent_date is None:
        text.append("\n" + t("ui.handover.no_consent"), style="italic")
        return text
    if reaches(Message(session), engagement):
        text.append("\n" + t("ui.handover.message") + "\n", style="bold")
        text.append(clean(session.sponsor_message))
    else:
        text.append("\n" + t("ui.handover.no_message"), style="italic")
    shared = [n for n in notes if reaches(n, engagement)]
    if shared:
        text.append("\n" + t("ui.handover.items"), style="bold")
        for n in shared:
            text.append(item(n.text))
    follow = [a for a in actions if a.status is ActionStatus.OPEN and reaches(a, engagement)]
    if follow:
        text.append("\n" + t("ui.handover.actions"), style="bold")
        for a in follow:
            details = [t(f"owner.{a.owner.value}")]
            if a.due:
                details.append(f"{t('field.due')} {a.due.isoformat()}")
            details.append(t(f"action.{a.status.value}"))
            text.append(item(a.text) + f" ({', '.join(details)})")
    return text


def group_handover_text(
    engagement: Engagement,
    session: Session,
    notes: Iterable[Note],
    actions: Iterable[Action],
    text: Text,
) -> Text:
    """A group's handover, the N+1 and the group in the room: what reaches the N+1
    and concerns the group (`group_room.shown`), nothing about one person."""
    from aoi_tui.domain.vocabulary import Room
    from aoi_tui.screens.group_room import owner_words, shown

    def item(words: str) -> str:
        return "\n• " + clean(words).replace("\n", "\n  ")

    if shown(Message(session), engagement, Room.SPONSOR):
        text.append("\n" + t("ui.handover.message") + "\n", style="bold")
        text.append(clean(session.sponsor_message))
    else:
        text.append("\n" + t("ui.handover.no_message"), style="italic")
    shared = [n for n in notes if shown(n, engagement, Room.SPONSOR)]
    if shared:
        text.append("\n" + t("ui.handover.items"), style="bold")
        for n in shared:
            text.append(item(n.text))
    follow = [
        a for a in actions if a.status is ActionStatus.OPEN and shown(a, engagement, Room.SPONSOR)
    ]
    if follow:
        text.append("\n" + t("ui.handover.actions"), style="bold")
        for a in follow:
            due = f", {t('field.due')} {a.due.isoformat()}" if a.due else ""
            text.append(item(a.text) + f" ({owner_words(a.owner, engagement)}{due})")
    return text


def review_panel_text(
    session: Session, coach_alone: bool, actions: Callable[[], list[Action]]
) -> Text | None:
    """The review's reminders, in the first phase of an AOI or coaching session,
    with the coach alone (the coachee's log is not for the N+1)."""
    first = session_clock.current_index(session) == 0
    if first and coach_alone and session.kind.value in ("aoi", "coaching"):
        return review_text(session, actions())
    return None


def handover_panel_text(ef: EngagementFile, session: Session, notes: list[Note]) -> Text | None:
    """The handover, in its phase."""
    phase = session.phases[session_clock.current_index(session)].phase
    if phase not in ("handover", "team_handover"):  # a team's handover to its N+1 too
        return None
    return handover_text(ef.engagement(), session, notes, ef.actions())


class SidePanel(VerticalScroll, can_focus=False):
    """A panel docked over the notes; PageUp/PageDown scroll it from the input."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, classes="side-panel")
        self.text_id = f"{id.removesuffix('-panel')}-text"

    def compose(self) -> ComposeResult:
        yield Static(id=self.text_id)

    def show(self, text: Text | None) -> None:
        """`text` in the panel; None: the panel leaves the screen."""
        self.display = text is not None
        if text is not None:
            self.query_one(f"#{self.text_id}", Static).update(text)

    def page(self, direction: int) -> None:
        """PageUp/PageDown from the input: a page less a line, if the panel shows."""
        if self.display:
            self.scroll_relative(y=direction * max(1, self.size.height - 1), animate=False)


class Banner(Static):
    """One line under the notes when the session is not an ordinary one: taken
    over by another aoi, the N+1 in the room, or ended."""

    def show(
        self, *, taken_over: bool, sponsor_in_room: bool, ended: bool, group_in_room: bool = False
    ) -> None:
        if taken_over:
            self.update(Text(t("ui.session.taken_over"), style="bold reverse"))
        elif sponsor_in_room:
            self.update(Text(t("ui.sponsor_safe.banner"), style="bold reverse"))
        elif group_in_room:  # the group-safe view: said in words, with its key
            self.update(Text(t("ui.group_safe.banner"), style="bold reverse"))
        elif ended:
            self.update(Text(t("ui.session.ended_banner"), style="italic"))
        else:
            self.update("")
        self.display = taken_over or sponsor_in_room or ended or group_in_room
