"""Confidentiality inside a group (issue 13 §3, §5), as properties of what is
rendered: whatever the participants, their consents, reporting flags,
withdrawals and N+1s, who came and who brought a peer case, whatever the items, whom they concern, their sharing and
who validated them, the report for each N+1, the group's recap and each
participant's recap, in Markdown, HTML and JSON:

(a) hold nothing about a participant that they did not validate and agree to
    have reported (an item about the group: validated by everyone in the group
    that day);
(b) name no participant who did not consent, or withdrew, and show no item
    someone it concerns did not validate (nothing withheld shows);
(c) hold, in the report for one N+1, nothing about a participant whose N+1 is
    someone else.

Each item's text and each name is a word found nowhere else, so its presence
in a document is read by searching for it. The oracle here is written from
the issue's words, not from `allow_list`: it only says what must *not* be
there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.domain.allow_list import reaches
from aoi_tui.domain.models import (
    GROUP,
    Action,
    Agreement,
    Audience,
    Charter,
    Engagement,
    ExportRecord,
    Form,
    Note,
    Owner,
    Participant,
    Session,
    SessionKind,
    Validation,
    Visibility,
    text_hash,
)
from aoi_tui.exports import group_documents as docs
from aoi_tui.exports.group_export import group_documents, group_export_of
from aoi_tui.exports.group_markdown import (
    group_recap_markdown,
    group_report_markdown,
    participant_recap_markdown,
)
from aoi_tui.exports.render_html import to_html
from aoi_tui.store.store import Store

START = date(2026, 9, 1)
NAMES = ("Albane Quirin", "Basile Ortolan", "Cyprien Vallet", "Doriane Umbert", "Eulalie Torves")
SPONSORS = ("Anne Blanc", "Bernard Roy")


def at(day: int) -> datetime:
    return datetime.combine(START + timedelta(days=day), datetime.min.time(), UTC) + timedelta(
        hours=10
    )


@dataclass
class InMemory:
    """What the builders read of an engagement file, held in memory."""

    eng: Engagement
    sessions_: list[Session]
    notes_: list[Note]
    actions_: list[Action] = field(default_factory=list)
    id: str = "zetagroup000"  # the engagement's id, as a file name holds it

    def engagement(self) -> Engagement:
        return self.eng

    def sessions(self) -> list[Session]:
        return self.sessions_

    def session(self, number: int) -> Session:
        return next(s for s in self.sessions_ if s.number == number)

    def notes(self, session: int | None = None) -> list[Note]:
        return [n for n in self.notes_ if session in (None, n.session)]

    def actions(self, session: int | None = None) -> list[Action]:
        return [a for a in self.actions_ if session in (None, a.session)]

    def objectives(self) -> list[Any]:
        return []

    def competencies(self) -> list[Any]:
        return []

    def all_assessments(self) -> list[Any]:
        return []

    def all(self, cls: type[Any]) -> list[Any]:
        assert cls is ExportRecord
        return []


person = st.fixed_dictionaries(
    {
        "consent": st.one_of(st.none(), st.integers(0, 20)),
        "withdrawn": st.one_of(st.none(), st.integers(5, 40)),
        "own": st.booleans(),
        "attendance": st.booleans(),
        "sponsor": st.sampled_from((*SPONSORS, "")),
        "charter": st.booleans(),
    }
)


@st.composite
def groups(draw: st.DrawFn, named_at: bool = False) -> tuple[InMemory, list[dict[str, Any]]]:
    """A group, its session and its items; with `named_at`, an item's text may name a
    participant with an `@prefix` (leading, or inside a sentence) whoever the
    record says it concerns, as a command line or an older version wrote it."""
    form = draw(st.sampled_from((Form.TEAM, Form.PEERS)))
    specs = draw(st.lists(person, min_size=1, max_size=5))
    charter = Charter(group_items_to_sponsors=draw(st.booleans()))
    participants = []
    for i, spec in enumerate(specs):
        p = Participant(
            name=NAMES[i],
            sponsor=spec["sponsor"] if form is Form.PEERS else "",
            joined_on=START,
            agreement=Agreement(
                consent_date=None
                if spec["consent"] is None
                else START + timedelta(spec["consent"]),
                report_attendance=spec["attendance"],
            ),
            report_own_items=spec["own"],
        )
        if spec["withdrawn"] is not None:
            p.withdrawn_on = START + timedelta(spec["withdrawn"])
        if spec["charter"]:
            p.charter_agreement = Validation(at=at(21), text_sha256=charter.sha256())
        participants.append(p)
    ids = [p.id for p in participants]
    eng = Engagement(
        form=form,
        group="Zeta Groupe",
        sponsor=SPONSORS[0] if form is Form.TEAM else "",
        participants=participants,
        charter=charter,
    )
    attendance = draw(st.lists(st.sampled_from(ids), unique=True))
    bringer = None
    if form is Form.PEERS and attendance:  # anyone there, consented or not (a file may hold it)
        bringer = draw(st.one_of(st.none(), st.sampled_from(attendance)))
    session = Session(
        kind=SessionKind.TEAM_AOI if form is Form.TEAM else SessionKind.PEER,
        number=1,
        held_on=START + timedelta(days=22),
        attendance=attendance,
        case_bringer=bringer,
    )
    notes: list[Note] = []
    actions: list[Action] = []
    items = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "about": st.one_of(
                        st.just([GROUP]), st.lists(st.sampled_from(ids), min_size=1, unique=True)
                    ),
                    "shareable": st.booleans(),
                    "by": st.lists(st.sampled_from(ids), unique=True),
                    "day": st.integers(0, 45),
                    "action": st.booleans(),
                    "owner": st.sampled_from(list(Owner)),
                    "edited": st.booleans(),
                    "at": st.one_of(st.none(), st.sampled_from(participants))
                    if named_at
                    else st.none(),
                    "lead": st.booleans(),
                }
            ),
            max_size=8,
        )
    )
    meta = []
    for k, it in enumerate(items):
        text = canary = f"Canary{k:02d}word"
        if it["at"] is not None:  # Albane: @alb
            said = f"@{it['at'].name[:3].lower()}"
            text = f"{said} {canary}" if it["lead"] else f"{canary} avec {said} ce matin"
        kind = Action if it["action"] else Note
        extra: dict[str, Any] = {"owner": it["owner"]} if kind is Action else {"phase": "news"}
        record = kind(
            session=1,
            text=text,
            visibility=Visibility.SHAREABLE if it["shareable"] else Visibility.PRIVATE,
            about=it["about"],
            created_at=at(22),
            validations=[
                Validation(at=at(it["day"]), text_sha256=text_hash(text), by=b) for b in it["by"]
            ],
            **extra,
        )
        if it["edited"] and record.validations:
            # edited after the validations, without them being cleared (as a file could hold)
            record.__dict__["text"] = text + "x"
            text += "x"
        (actions if kind is Action else notes).append(record)  # type: ignore[arg-type]
        meta.append({**it, "text": text, "canary": canary, "record": record})
    return InMemory(eng, [session], notes, actions), meta


def rendered(markdown: str, model: Any) -> list[str]:
    return [markdown, to_html(markdown, "t", "en"), model.model_dump_json()]


def held(p: Participant, day: date) -> bool:
    """Their agreement held that day: consented on or before, not withdrawn yet."""
    c = p.agreement.consent_date
    return c is not None and c <= day and (p.withdrawn_on is None or day < p.withdrawn_on)


def validated(it: dict[str, Any], p: Participant) -> date | None:
    """The day `p` validated the item's current text, if they did."""
    record = it["record"]
    for v in record.validations:
        if v.by == p.id and v.text_sha256 == text_hash(record.text):
            return v.at.date()
    return None


def members_on(eng: Engagement, day: date) -> list[Participant]:
    return [p for p in eng.participants if p.withdrawn_on is None or day < p.withdrawn_on]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_each_reader_gets_only_what_everyone_concerned_validated_and_agreed_to(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    ef, items = case
    eng = ef.eng
    people = {p.id: p for p in eng.participants}
    item_day = START + timedelta(days=22)

    # -- the report for each N+1 (and for someone who is none) --------------------------
    for n1 in (*SPONSORS, "Carole Stranger"):
        try:
            report = docs.build_group_report(ef, n1)  # type: ignore[arg-type]
        except docs.NoSuchRecipient:
            consented = any(p.agreement.consent_date for p in eng.participants)
            assert n1 not in docs.sponsors(eng) or not consented
            continue
        outputs = rendered(group_report_markdown(report, "en"), report)
        for p in eng.participants:
            theirs = (eng.sponsor if eng.form is Form.TEAM else p.sponsor) == n1
            shown = p.agreement.consent_date is not None and p.withdrawn_on is None and theirs
            if not shown:  # (b), (c): not named
                for out in outputs:
                    assert p.name not in out and p.name.split()[1] not in out
        for it in items:
            if not any(it["text"] in out for out in outputs):
                continue
            assert it["shareable"], "a private item reached an N+1"
            if it["about"] == [GROUP]:
                assert eng.form is Form.TEAM or (
                    eng.charter is not None
                    and eng.charter.group_items_to_sponsors
                    and all(p.agreed_to(eng.charter) for p in members_on(eng, date.max))
                )
                for p in members_on(eng, item_day):
                    day = validated(it, p)
                    assert day is not None and held(p, day), "(a) a group item not validated by all"
            else:
                for pid in it["about"]:  # (a), (c)
                    p = people[pid]
                    day = validated(it, p)
                    assert day is not None and held(p, day), "(a) not validated by whom it concerns"
                    assert p.report_own_items and p.withdrawn_on is None
                    assert (eng.sponsor if eng.form is Form.TEAM else p.sponsor) == n1, "(c)"

    # -- the group's recap: the group's items only, no one named ---------------------------
    recap = docs.build_group_recap(ef, 1)  # type: ignore[arg-type]
    outputs = rendered(group_recap_markdown(recap, "en"), recap)
    for p in eng.participants:
        assert all(p.name.split()[1] not in out for out in outputs)
    for it in items:
        if any(it["text"] in out for out in outputs):
            assert it["about"] == [GROUP]
            own_action = it["action"] and it["owner"] is Owner.COACHEE
            if not own_action:
                for p in members_on(eng, item_day):
                    assert validated(it, p) is not None, "a group item the group did not validate"

    # -- each participant's recap -----------------------------------------------------------
    for me in eng.participants:
        mine = docs.build_participant_recap(ef, 1, me.id)  # type: ignore[arg-type]
        outputs = rendered(participant_recap_markdown(mine, "en"), mine)
        for it in items:
            if not any(it["text"] in out for out in outputs):
                continue
            own_action = it["action"] and it["owner"] is Owner.COACHEE
            if it["about"] == [GROUP]:
                if not own_action:
                    assert all(validated(it, p) for p in members_on(eng, item_day))
                continue
            assert me.id in it["about"], "an item about others reached a participant"
            if own_action and it["about"] == [me.id]:
                continue
            for pid in it["about"]:
                assert validated(it, people[pid]) is not None, "withheld by someone it concerns"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(named_at=True))
def test_someone_a_text_names_with_an_at_validated_it_and_no_reader_reads_the_at(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    """Whatever whom a record says it concerns (`--about group "@alb …"` as a
    command line wrote it): a text that names a participant with @ reaches an N+1
    only once they validated it while their agreement held, agreed to the
    reporting of their own items and have that N+1; never the group's recap;
    another participant only once they validated it; and no reader reads the
    shorthand."""
    ef, items = case
    eng = ef.eng
    outputs: list[tuple[str, list[str]]] = []
    for n1 in SPONSORS:
        try:
            report = docs.build_group_report(ef, n1)  # type: ignore[arg-type]
        except docs.NoSuchRecipient:
            continue
        outputs.append((f"n1:{n1}", rendered(group_report_markdown(report, "en"), report)))
    recap = docs.build_group_recap(ef, 1)  # type: ignore[arg-type]
    outputs.append(("group", rendered(group_recap_markdown(recap, "en"), recap)))
    for me in eng.participants:
        mine = docs.build_participant_recap(ef, 1, me.id)  # type: ignore[arg-type]
        outputs.append((me.id, rendered(participant_recap_markdown(mine, "en"), mine)))
    for reader, outs in outputs:
        for it in items:
            p = it["at"]
            if p is None or not any(it["canary"] in out for out in outs):
                continue
            assert all(f"@{p.name[:3].lower()}" not in out for out in outs), "a shorthand read"
            assert reader != "group", "a text naming someone in the group's recap"
            own_action = it["action"] and it["owner"] is Owner.COACHEE
            if own_action and reader == p.id:
                continue
            day = validated(it, p)
            assert day is not None, "not validated by whom its @ names"
            if reader.startswith("n1:"):
                assert held(p, day) and p.report_own_items and p.withdrawn_on is None
                assert (eng.sponsor if eng.form is Form.TEAM else p.sponsor) == reader[3:]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_no_file_the_export_screen_writes_holds_a_private_item_or_someone_who_never_consented(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    """Every document the export screen offers a group (`group_documents`; the
    confidential file aside, the coach's own), built as the screen and `aoi
    export` build it (`group_export_of`), in md, html and json: no private item
    (but a reader's own action, theirs whatever the coach shares), and nothing
    of a participant who never consented, in a document for anyone else: not
    their name, not an item about them."""
    ef, items = case
    eng = ef.eng
    never = [p for p in eng.participants if p.agreement.consent_date is None]
    for document in group_documents(eng):
        if document.audience is Audience.CONFIDENTIAL:
            continue
        for fmt in ("md", "html", "json"):
            try:
                content = group_export_of(
                    ef,  # type: ignore[arg-type]
                    document.audience,
                    fmt,
                    "en",
                    1,
                    for_sponsor=document.for_sponsor,
                    participant=document.participant,
                ).content
            except docs.NoConsentYet:
                assert document.for_sponsor is not None and len(never) == len(eng.participants)
                continue
            reader = document.participant
            for it in items:
                if it["text"] not in content:
                    continue
                if not it["shareable"]:
                    own_action = it["action"] and it["owner"] is Owner.COACHEE
                    assert own_action and document.audience is Audience.RECAP, "private item"
                    assert it["about"] in ([GROUP], [reader]), "someone else's private action"
                for p in never:
                    if p.id != reader:
                        assert p.id not in it["about"], "an item about someone who never consented"
            for p in never:
                if p.id != reader:
                    assert p.name.split()[1] not in content, "someone who never consented named"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_the_group_safe_view_shows_only_what_concerns_the_group(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    """The pure function behind the group-safe view (`Audience.GROUP_ROOM`): while
    the group is in the room, nothing about one person shows, private or not,
    validated or not, and not who came to a session."""
    ef, items = case
    for it in items:
        shown = reaches(it["record"], ef.eng, Audience.GROUP_ROOM)
        assert shown == (it["about"] == [GROUP])
    for session in ef.sessions_:
        assert not reaches(session, ef.eng, Audience.GROUP_ROOM)


def test_names_and_texts_typed_for_a_group_forge_no_structure() -> None:
    """A participant's or a group's name, an N+1's, a note: shown as typed, never a
    list item, a heading, raw HTML or a live javascript: link of their own."""
    evil = "- [Actions](javascript:x) <img src=x onerror=alert(1)>"
    people = [
        Participant(
            name=evil,
            joined_on=START,
            agreement=Agreement(consent_date=START, report_attendance=True),
            report_own_items=True,
        ),
        Participant(
            name="1. Basile",
            joined_on=START,
            agreement=Agreement(consent_date=START, report_attendance=True),
            report_own_items=True,
        ),
    ]
    eng = Engagement(
        form=Form.TEAM, group="# Evil <script>x</script>", sponsor="Anne Blanc", participants=people
    )
    text = "## Actions\n- forged <b>x</b> [l](javascript:y)"
    note = Note(
        session=1,
        phase="team_review",
        text=text,
        about=[people[0].id],
        visibility=Visibility.SHAREABLE,
        created_at=at(22),
        validations=[Validation(at=at(22), text_sha256=text_hash(text), by=people[0].id)],
    )
    session = Session(
        kind=SessionKind.TEAM_AOI,
        number=1,
        held_on=START + timedelta(days=22),
        attendance=[p.id for p in people],
    )
    ef = InMemory(eng, [session], [note])
    report = docs.build_group_report(ef, "Anne Blanc")  # type: ignore[arg-type]
    assert report.participants and report.notes
    recap = docs.build_participant_recap(ef, 1, people[0].id)  # type: ignore[arg-type]
    for markdown, headings in (
        (group_report_markdown(report, "en"), 0),  # no action: no heading of that name
        (participant_recap_markdown(recap, "en"), 1),  # its own "Actions"
    ):
        page = to_html(markdown, "t", "en")
        assert "<li>[Actions]" not in page and "<ul>\n<li>\n<ul>" not in page
        assert "<script" not in page and "<img" not in page and "<b>" not in page
        assert 'href="javascript' not in page
        assert page.count("<h2>Actions</h2>") == headings and "<ol" not in page


def test_a_groups_confidential_file_holds_every_text_typed_by_person_and_for_the_group(
    store: Store,
) -> None:
    """The coach's file is everything (issue 13 §4): each participant and their
    agreement, the charter, the framing, objectives, competencies and FSAC marks,
    tools, every session's facts, every note and action under whom it concerns."""
    from aoi_tui.domain.models import Assessment, Assessor, Competency, Objective, Tool
    from aoi_tui.exports.group_export import build_group_export

    people = [
        Participant(name="Albane Quirin", function="CANARY-FUNCTION", joined_on=START),
        Participant(name="Basile Ortolan", joined_on=START),
    ]
    eng = Engagement(
        form=Form.TEAM,
        group="Zeta",
        sponsor="Anne Blanc",
        participants=people,
        charter=Charter(confidentiality="CANARY-CHARTER"),
        coachee_expectations="CANARY-EXPECT",
        strategy="CANARY-STRATEGY",
        closing_synthesis="CANARY-SYNTHESIS",
    )
    ef = store.create_engagement(eng)
    a, b = (p.id for p in people)
    session = ef.new_session(SessionKind.TEAM_AOI, attendance=[a, b])
    session.coachee_log = "CANARY-LOG"
    session.feeling_note = "CANARY-FEELING"
    session.feeling = 3
    ef.update(session)
    competency = Competency(name="CANARY-COMPETENCY", behaviours=["CANARY-BEHAVIOUR"], about=[a])
    with ef.batch():
        ef.insert(Objective(statement="CANARY-OBJECTIVE", about=[GROUP]))
        ef.insert(competency)
        ef.insert(Assessment(competency_id=competency.id, level=2, by=Assessor.COACH, about=[a]))
        ef.insert(Tool(name="CANARY-TOOL", description="CANARY-TOOLTEXT"))
        ef.insert(Action(session=1, text="CANARY-ACTION", about=[a, b]))
    ef.add_note(1, "CANARY-GROUPNOTE")
    ef.add_note(1, "CANARY-ALBANE", about=[a])
    for fmt in ("md", "html"):
        content = build_group_export(store, ef.id, Audience.CONFIDENTIAL, fmt, "en").content
        for word in (
            "CANARY-FUNCTION",
            "CANARY-CHARTER",
            "CANARY-EXPECT",
            "CANARY-STRATEGY",
            "CANARY-SYNTHESIS",
            "CANARY-LOG",
            "CANARY-FEELING",
            "CANARY-OBJECTIVE",
            "CANARY-COMPETENCY",
            "CANARY-BEHAVIOUR",
            "CANARY-TOOL",
            "CANARY-TOOLTEXT",
            "CANARY-ACTION",
            "CANARY-GROUPNOTE",
            "CANARY-ALBANE",
            "Basile Ortolan",
        ):
            assert word in content, (fmt, word)
    md = build_group_export(store, ef.id, Audience.CONFIDENTIAL, "md", "en").content
    about_albane = md[md.index("## About Albane Quirin") : md.index("## About Basile Ortolan")]
    assert "CANARY-ALBANE" in about_albane and "CANARY-ACTION" in about_albane
    assert "CANARY-GROUPNOTE" not in about_albane


def test_no_report_leaves_for_an_n1_before_anyone_consented() -> None:
    people = [Participant(name="Albane Quirin", joined_on=START)]
    eng = Engagement(form=Form.TEAM, group="Zeta", sponsor="Anne Blanc", participants=people)
    ef = InMemory(eng, [], [])
    with pytest.raises(docs.NoSuchRecipient, match="consented"):
        docs.build_group_report(ef, "Anne Blanc")  # type: ignore[arg-type]
