"""The pure functions behind a group's screens (`screens/group_room.py`), whatever
the items, the people they concern, their visibility, validations, attendance,
consents and withdrawals: while the group (or the N+1) is in the room, nothing
about one person is listed, the debrief shows no one's validation but the
group's, and a note being typed that may concern a person is masked."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.config.i18n import t
from aoi_tui.domain.concerns import MENTION, says_the_group
from aoi_tui.domain.models import GROUP
from aoi_tui.domain.vocabulary import Room
from aoi_tui.screens.group_room import (
    choices,
    in_debrief,
    masked,
    shown,
    the_group_present,
    validation_state,
    whom,
)
from tests.test_group_confidentiality import InMemory, groups

OUT_OF_THE_ROOM = (Room.GROUP, Room.SPONSOR)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(), st.one_of(st.none(), st.integers(0, 4)))
def test_nothing_about_a_person_shows_while_the_group_or_the_n1_is_in_the_room(
    case: tuple[InMemory, list[dict[str, Any]]], validator_at: int | None
) -> None:
    ef, items = case
    e = ef.eng
    session = ef.sessions_[0]
    ids = [p.id for p in e.participants]
    validator = ids[validator_at] if validator_at is not None and validator_at < len(ids) else None
    present = the_group_present(e, session)
    for room in OUT_OF_THE_ROOM:
        for it in items:
            record = it["record"]
            if shown(record, e, room) or in_debrief(record, e, room, validator):
                assert it["about"] == [GROUP], f"an item about a person shown with {room}"
            # the table's validation words: whether the group validated it, never a count
            words = validation_state(record, e, room, validator, present)
            assert words in (t("validated"), "—")
        assert not shown(session, e, room)  # who came is not read on the screen either
    # the coach alone with one participant: their items and the group's, nobody else's
    if validator is not None:
        for it in items:
            if in_debrief(it["record"], e, Room.COACH, validator):
                assert it["about"] == [GROUP] or validator in it["about"]


texts = st.lists(
    st.sampled_from(
        [
            *("@", "@al", "@b", "@zz", "Albane", "Basile", "le", "groupe", " ", "@@", "x@y"),
            *("@groupe", "@Group", "@group-x", "@groupes"),
        ]
    ),
    max_size=6,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(), texts, st.integers(-1, 6), st.sampled_from(["news", "request", "reactions"]))
def test_a_note_being_typed_shows_to_the_group_only_if_it_concerns_the_group(
    case: tuple[InMemory, list[dict[str, Any]]], text: str, chosen_at: int, phase: str
) -> None:
    ef, _ = case
    e = ef.eng
    session = ef.sessions_[0]
    options = choices(e)
    chosen = tuple(options[chosen_at]) if 0 <= chosen_at < len(options) else None
    about = whom(text, chosen, e, session, phase)
    assert masked(Room.SPONSOR, about, text)
    if not masked(Room.GROUP, about, text):  # no @ but the group's word typed whole
        said = MENTION.findall(text)
        assert about.about == (GROUP,) and not about.problems
        assert all(says_the_group(w) for w in said) and text.count("@") == len(said)
        assert not text.endswith(("@Group", "@groupe"))  # it may yet become a name
    if about.problems:
        assert about.about == ()  # never a guess: Enter refuses it
    for pid in about.about:
        assert pid == GROUP or pid in {p.id for p in e.participants}


def readers(e: Any) -> list[Any]:
    from aoi_tui.domain.allow_list import ForParticipant, ForSponsor, sponsors
    from aoi_tui.domain.models import Audience

    return [
        Audience.SHARED,
        Audience.GROUP_RECAP,
        Audience.GROUP_ROOM,
        *(ForSponsor(n) for n in (*sponsors(e), "Anne Blanc", "Bernard Roy")),
        *(ForParticipant(p.id) for p in e.participants),
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    groups(),
    st.lists(st.integers(0, 4), unique=True),
    st.lists(st.from_regex(r"[0-9a-z]{12}", fullmatch=True), min_size=1, max_size=3),
)
def test_the_n1_s_presence_never_counts_toward_a_group_validation(
    case: tuple[InMemory, list[dict[str, Any]]], closing_by: list[int], outsiders: list[str]
) -> None:
    """Whatever the group, its items and who validated them: validations given by
    anyone who is no participant of the group (the N+1, whose id no participant
    has; an erased participant's id; the coachee's form of a validation, without
    a `by`, as the closing screen's F4 recorded it for a group) change nothing:
    no item reaches any reader more, and no screen says it is validated more."""
    from aoi_tui.domain.allow_list import reaches
    from aoi_tui.domain.items import Closing, Message
    from aoi_tui.domain.models import Validation, closing_hash
    from aoi_tui.domain.records import text_hash
    from aoi_tui.domain.validations import validate
    from aoi_tui.screens.group_room import closing_present, closing_state

    ef, _ = case
    e = ef.eng
    session = ef.sessions_[0]
    ids = {p.id for p in e.participants}
    outsiders = [o for o in outsiders if o not in ids]
    e.closing_synthesis = "Ce que le groupe a appris"
    session.sponsor_message = "Pour la N+1"
    session.message_about = [GROUP]
    for i in closing_by:  # some participants validated the review, each for themselves
        if i < len(e.participants):
            validate(Closing(e), e.participants[i], e)
    items: list[Any] = [*ef.notes_, *ef.actions_, Closing(e), Message(session)]
    present = closing_present(e, ef.sessions_)

    def seen() -> list[Any]:
        decisions = [reaches(item, e, r) for item in items for r in readers(e)]
        states = [
            closing_state(e, room, None, present) for room in (Room.COACH, Room.GROUP, Room.SPONSOR)
        ]
        return decisions + states

    before = seen()
    at = max((v.at for item in ef.notes_ + ef.actions_ for v in item.validations), default=None)
    for item in [*ef.notes_, *ef.actions_]:
        when = at or item.created_at
        item.validations = [
            *item.validations,
            *(Validation(at=when, text_sha256=text_hash(item.text), by=o) for o in outsiders),
            Validation(at=when, text_sha256=text_hash(item.text)),  # the coachee's form
        ]
    review = closing_hash(e.closing_synthesis, e.closing_next)
    now = e.closing_validations[0].at if e.closing_validations else None
    if now is not None:
        e.closing_validations = [
            *e.closing_validations,
            *(Validation(at=now, text_sha256=review, by=o) for o in outsiders),
        ]
        e.closing_validation = Validation(at=now, text_sha256=review)
        session.sponsor_message_validation = Validation(
            at=now, text_sha256=text_hash(session.sponsor_message)
        )
    assert seen() == before
    assert all(p.id in ids for p in present)  # only participants validate for the group


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_progress_and_the_closing_show_nothing_about_one_person_before_the_group_or_the_n1(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    """What the follow-up and the closing review show (`in_progress_view`): with the
    group or the N+1 in the room, only what concerns the group; before the N+1,
    only what reaches every N+1 of the group."""
    from aoi_tui.domain.allow_list import ForSponsor, reaches, sponsors
    from aoi_tui.domain.concerns import concerned
    from aoi_tui.screens.group_room import in_progress_view

    ef, items = case
    e = ef.eng
    for it in items:
        item = it["record"]
        for room in OUT_OF_THE_ROOM:
            if in_progress_view(item, e, room):
                assert concerned(item, e).group
        if in_progress_view(item, e, Room.SPONSOR):
            assert all(reaches(item, e, ForSponsor(n)) for n in sponsors(e))


def test_a_peer_groups_n1s_see_at_the_handover_what_reaches_each_of_them() -> None:
    """A peer group has no N+1 of its own: its participants' N+1s come to the
    handover. What the charter sends them and the group validated shows on the
    screen before them (it showed nothing, being checked against the engagement's
    own N+1, who does not exist); what reaches only one of them does not."""
    from aoi_tui.domain.models import (
        Agreement,
        Charter,
        Engagement,
        Form,
        Note,
        Participant,
        Session,
        SessionKind,
        Validation,
        Visibility,
    )
    from aoi_tui.domain.records import text_hash
    from tests.test_group_confidentiality import NAMES, SPONSORS, START, at

    charter = Charter(group_items_to_sponsors=True)
    people = [
        Participant(
            name=NAMES[i],
            sponsor=SPONSORS[i],
            joined_on=START,
            agreement=Agreement(consent_date=START),
            report_own_items=True,
            charter_agreement=Validation(at=at(1), text_sha256=charter.sha256()),
        )
        for i in range(2)
    ]
    e = Engagement(form=Form.PEERS, group="Pairs", participants=people, charter=charter)
    session = Session(kind=SessionKind.PEER, number=1, held_on=START)

    def note(text: str, about: list[str]) -> Note:
        return Note(
            session=session.number,
            text=text,
            phase="news",
            visibility=Visibility.SHAREABLE,
            about=about,
            created_at=at(2),
            validations=[
                Validation(at=at(3), text_sha256=text_hash(text), by=p.id) for p in people
            ],
        )

    group_note = note("Le groupe tient ses engagements", [GROUP])
    own_note = note("Albane avance", [people[0].id])
    assert shown(group_note, e, Room.SPONSOR)
    assert not shown(own_note, e, Room.SPONSOR)  # about one person: never before the group


def test_a_peer_named_in_a_case_phase_is_added_to_the_case_bringer_not_put_in_their_place() -> None:
    """A peer session's case belongs to its case-bringer: a question or a reaction
    about the case that names another peer (`@bru`) concerns both, so it reaches
    no one before the case-bringer validated it (it went to Bruno's N+1 with his
    validation alone, the case's content with it). Outside the case phases a
    mention names whom the note concerns, as before."""
    from aoi_tui.domain.models import Engagement, Form, Participant, Session, SessionKind
    from aoi_tui.screens.group_room import whom

    claire, bruno = Participant(name="Claire Moreau"), Participant(name="Bruno Petit")
    e = Engagement(form=Form.PEERS, group="Codev", participants=[claire, bruno])
    s = Session(kind=SessionKind.PEER, number=1, case_bringer=claire.id)
    text = "@bru asks what the budget allows"
    assert whom(text, None, e, s, "clarification").about == (claire.id, bruno.id)
    assert whom(text, [bruno.id], e, s, "reactions").about == (claire.id, bruno.id)
    assert whom(text, None, e, s, "news").about == (bruno.id,)
    assert whom("@cla reorganises the shifts", None, e, s, "request").about == (claire.id,)


def test_a_peer_named_in_a_one_to_one_session_is_added_to_its_participant() -> None:
    """What Claire says of Bruno alone with the coach is hers too: `@bru` in her
    one-to-one session concerns both, so it waits for her validation as well (it
    was Bruno's alone, and reached his N+1 on his word: Claire never asked). A
    note the coach says is the group's stays the group's."""
    from aoi_tui.domain.models import (
        GROUP,
        Engagement,
        Form,
        Note,
        Participant,
        Session,
        SessionKind,
    )
    from aoi_tui.screens.group_room import whom, whom_edited

    claire, bruno = Participant(name="Claire Moreau"), Participant(name="Bruno Petit")
    e = Engagement(
        form=Form.TEAM, group="Ligne 3", sponsor="Marc Dubois", participants=[claire, bruno]
    )
    s = Session(kind=SessionKind.AOI, number=2, participant=claire.id)
    text = "@bru ne lui passe pas les consignes"
    assert whom(text, None, e, s, "review").about == (claire.id, bruno.id)
    assert whom("rien de neuf", [bruno.id], e, s, "review").about == (claire.id, bruno.id)
    assert whom("@cla prend le poste de nuit", None, e, s, "review").about == (claire.id,)
    assert whom("la relève tient", [GROUP], e, s, "review").about == (GROUP,)
    mine = Note(session=2, phase="review", text="la relève", about=[claire.id])
    assert whom_edited(text, mine, e, s).about == (claire.id, bruno.id)


def test_a_case_note_edited_to_name_a_peer_keeps_the_case_bringer() -> None:
    """Editing a note of the case phases (Enter on the list) follows its `@` as a
    new note does: the peer named is added to the case-bringer. The edit used to
    put the peer in the bringer's place, the case's content then reaching that
    peer's N+1 on their validation alone."""
    from aoi_tui.domain.models import Engagement, Form, Note, Participant, Session, SessionKind
    from aoi_tui.screens.group_room import whom_edited

    claire, bruno = Participant(name="Claire Moreau"), Participant(name="Bruno Petit")
    e = Engagement(form=Form.PEERS, group="Codev", participants=[claire, bruno])
    s = Session(kind=SessionKind.PEER, number=1, case_bringer=claire.id)
    case_note = Note(session=1, phase="clarification", text="the budget", about=[claire.id])
    edited = "@bru asks what the budget allows"
    assert whom_edited(edited, case_note, e, s).about == (claire.id, bruno.id)
    news = Note(session=1, phase="news", text="back from leave", about=[claire.id])
    assert whom_edited(edited, news, e, s).about == (bruno.id,)  # not the case: as typed
    assert whom_edited(edited, case_note, e, None).about == (bruno.id,)  # no session known


def test_a_group_note_with_an_at_prefix_is_flagged_as_naming_that_person() -> None:
    """`aoi note add --about group "@cla …"`: the note is the group's by the coach's
    word, but its `@cla` names Claire: flagged for review like a name typed whole
    (the flag looked for names only, and missed it)."""
    from aoi_tui.domain.concerns import named_in
    from aoi_tui.domain.models import Participant

    # fixed ids: a drawn one starting "zz" made "@zz" name someone (8 runs in 5,000)
    claire = Participant(id="c1aire000000", name="Claire Moreau")
    bruno = Participant(id="b1un0000000a", name="Bruno Petit")
    assert named_in("@cla a proposé le tableau", [claire, bruno]) == [claire]
    assert named_in("@zz a proposé le tableau", [claire, bruno]) == []  # names no one
    assert named_in("le tableau de l'équipe", [claire, bruno]) == []


def test_a_session_opens_with_the_n1_in_the_phases_they_attend_whatever_the_room_before() -> None:
    """Every kind, each of its phases, every room it may open from (after Escape,
    after a restart, the N+1 already in): a phase the N+1 attends (a handover)
    opens in the sponsor-safe view, as F6 brings them in, and so does a team's
    kickoff or closing review; the N+1 already in the room stays. A session resumed at its handover opened with the group, or the
    coach alone."""
    from aoi_tui.domain.models import Engagement, Form, Participant, Session, SessionKind
    from aoi_tui.domain.phases import phases_for
    from aoi_tui.screens.group_room import SPONSOR_PHASES, opening_room

    people = [Participant(name="Léa Garnier"), Participant(name="Karim Benali")]
    engagements = [
        Engagement(coachee="Camille", sponsor="Marc Dubois"),
        Engagement(form=Form.TEAM, group="Ligne 2", sponsor="Sandrine Caron", participants=people),
    ]
    attended = 0
    for engagement in engagements:
        for kind in SessionKind:
            session = Session(kind=kind, number=1)
            for phase in (p.id for p in phases_for(kind.value)):
                for room in Room:
                    opened = opening_room(engagement, session, room, phase)
                    three_way = not engagement.individual and kind in (
                        SessionKind.GROUP_KICKOFF,
                        SessionKind.GROUP_CLOSING,
                    )  # held with the team's N+1 from the start, resumed or not
                    if phase in SPONSOR_PHASES or room is Room.SPONSOR or three_way:
                        assert opened is Room.SPONSOR, (kind, phase, room)
                        attended += phase in SPONSOR_PHASES
    assert attended  # the handovers were there to try


def test_at_group_says_the_group_in_either_language_unless_a_name_starts_with_it() -> None:
    """The notes list says a group note is `@group` (`@groupe` in French): typed
    in a note, in the live input, an edit or the long-note editor (all `whom`), it
    says the group's, even in a one-to-one session or a peer's case, where a note
    is someone's by default. It was refused as naming no participant. Where a
    participant's name starts with the word, `@group` is refused with both (the
    group and them), never guessed; they are named with more letters."""
    from aoi_tui.domain.concerns import concerned, spoken
    from aoi_tui.domain.models import Engagement, Form, Note, Participant, Session, SessionKind
    from aoi_tui.screens.group_room import whom_edited

    claire, bruno = Participant(name="Claire Moreau"), Participant(name="Bruno Petit")
    e = Engagement(form=Form.PEERS, group="Codev", participants=[claire, bruno])
    case = Session(kind=SessionKind.PEER, number=1, case_bringer=claire.id)
    alone = Session(kind=SessionKind.COACHING, number=2, participant=bruno.id)
    for word in ("@group", "@groupe", "@Groupe", "@GROUP"):
        for session, phase in ((case, "request"), (case, "news"), (alone, "review")):
            said = whom(f"{word} wants a shorter news round", None, e, session, phase)
            assert said.about == (GROUP,) and not said.problems, (word, phase)
        note = Note(session=1, phase="request", text="x", about=[claire.id])
        assert whom_edited(f"{word} x", note, e, case).about == (GROUP,)
    # typed whole, in front of the group, it stays on screen: it names no one
    for text, hidden in (("@groupe la relève tient", False), ("@groupe", True)):
        assert masked(Room.GROUP, whom(text, None, e, case, "news"), text) is hidden
    # a group and a person at once: whose is it? Refused, as --about is
    assert whom("@groupe @bru tension", None, e, case, "news").problems
    # the N+1 reads the group's note without the coach's shorthand
    note = Note(session=1, phase="news", text="@groupe L'équipe tient", about=[GROUP])
    assert concerned(note, e).group
    assert spoken(note.text, []) == "L'équipe tient"
    # someone whose name starts with the word: the group or them, never guessed
    gro = Participant(name="Groupil Léon")
    e = Engagement(form=Form.PEERS, group="Codev", participants=[claire, bruno, gro])
    said = whom("@group x", None, e, case, "news")
    assert said.problems and "Groupil Léon" in said.problems[0]
    assert whom("@groupi x", None, e, case, "news").about == (gro.id,)
    assert concerned(Note(session=1, phase="news", text="@group x", about=[GROUP]), e).nobody
