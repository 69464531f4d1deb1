"""The coachee's recap of one session: what was agreed, to hand over at the
end of the session. It may be forwarded, so it is built from the allow-list
(`allow_list.reaches` for `Audience.RECAP`): the coachee's own actions, and
what the coachee validated for its current text (notes, the message for the
N+1, the N+1's and the coach's actions); nothing the coach kept private."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from aoi_tui.domain.allow_list import Message, reaches
from aoi_tui.domain.models import Audience, Model, Owner, SessionKind
from aoi_tui.store.engagement_file import EngagementFile


class RecapAction(Model):
    text: str
    owner: Owner
    due: date | None


class SessionRecap(Model):
    coachee: str
    coach: str
    session: int
    kind: SessionKind
    held_on: date
    message: str | None  # only once the coachee validated it (for its current text)
    notes: list[str] = Field(default_factory=list)  # shareable and validated
    actions: list[RecapAction] = Field(default_factory=list)
    next_session: date | None = None  # only in the recap of the latest session


def build_session_recap(ef: EngagementFile, number: int) -> SessionRecap:
    try:
        session = ef.session(number)
    except KeyError:
        raise ValueError(f"no session {number} in this engagement") from None
    engagement = ef.engagement()
    latest = max(s.number for s in ef.sessions())
    next_session = engagement.next_session
    if number != latest or (next_session is not None and next_session < session.held_on):
        # The engagement's next session follows its latest one, not this one.
        next_session = None
    return SessionRecap(
        coachee=engagement.coachee,
        coach=engagement.coach,
        session=number,
        kind=session.kind,
        held_on=session.held_on,
        message=(
            session.sponsor_message
            if reaches(Message(session), engagement, Audience.RECAP)
            else None
        ),
        notes=[n.text for n in ef.notes(number) if reaches(n, engagement, Audience.RECAP)],
        actions=[
            RecapAction(text=a.text, owner=a.owner, due=a.due)
            for a in ef.actions(number)
            if reaches(a, engagement, Audience.RECAP)
        ],
        next_session=next_session,
    )
