"""Erasing one participant of a group (issue 13 §3): everything about them
leaves every copy the store keeps (the file, the copy after its last write, the
rotating backups, the copies `aoi doctor --repair` set aside, the draft, the
leftovers of writes cut short); their name left in the others' texts becomes a
neutral word; a group item they validated stays validated by the group. The
test decrypts every file on disk with every key found there (as
`test_erasure_copies.Attacker` does, tags unchecked) and searches it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aoi_tui.domain import allow_list
from aoi_tui.domain.access_requests import AccessRequest
from aoi_tui.domain.models import (
    GROUP,
    Agreement,
    Audience,
    Engagement,
    ExportRecord,
    Form,
    Note,
    Participant,
    SessionKind,
    Visibility,
)
from aoi_tui.live.live_session import Draft, LiveSession
from aoi_tui.secure import crypto
from aoi_tui.store.doctor import run_doctor
from aoi_tui.store.participant_erasure import erase_participant
from aoi_tui.store.store import Store
from tests import test_erasure_copies as attack
from tests.support import PASSPHRASE
from tests.test_store import reopen

# ASCII: the store's JSON escapes accents, a search for "é" would find nothing
GONE = "Gwendal Kervarec"
GONE_WORDS = ["CANARY-ALONE", "CANARY-ONE-TO-ONE", "CANARY-DRAFT", "Kervarec", "Gwendal"]
KEPT_WORDS = ["KEPT-GROUP", "KEPT-OTHER", "KEPT-PAIR"]


def a_team(store: Store) -> tuple[str, str, str]:
    """A team of three, each reporting their own items; a collective session and a
    one-to-one with the one who will be erased."""
    people = [
        Participant(
            name=n, agreement=Agreement(consent_date=date(2026, 11, 2)), report_own_items=True
        )
        for n in (GONE, "Sophie Marchal", "Hugo Lenoir")
    ]
    ef = store.create_engagement(
        Engagement(form=Form.TEAM, group="Atelier 2", sponsor="Marc Dubois", participants=people)
    )
    gone, other, third = (p.id for p in people)
    ef.new_session(SessionKind.TEAM_AOI, attendance=[gone, other, third])
    ef.new_session(SessionKind.AOI, participant=gone)
    return ef.id, gone, other


def test_an_erased_participant_is_in_no_copy_and_the_group_keeps_its_items(
    store: Store, store_template: tuple[Path, bytes, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    eid, gone, other = a_team(store)
    group_note = ""
    for i in range(3):  # three processes: a backup each
        ef = reopen(store).engagement(eid)
        ef.add_note(1, f"CANARY-ALONE {i}", about=[gone])
        ef.add_note(2, f"CANARY-ONE-TO-ONE {i}")  # the one-to-one's: about them
        ef.add_note(1, f"KEPT-OTHER {i}", about=[other])
        ef.add_note(1, f"KEPT-PAIR {i} with Gwendal", about=[gone, other])
        note = ef.add_note(
            1, f"KEPT-GROUP {i}: Gwendal KERVAREC led it", visibility=Visibility.SHAREABLE
        )
        assert note.about == [GROUP]
        eng = ef.engagement()
        for p in eng.participants:
            note.validate_by(p.id)
        ef.update(note)
        group_note = note.id
        # the export log: file names as the coach typed them, their own copy
        for typed in (
            f"/srv/out/recap_Gwendal_{i}.md",
            f"/srv/Kervarec-Gwendal/rapport.{i}.md",
            f"/srv/Gwendal{i}.md",
        ):
            ef.insert(ExportRecord(audience=Audience.RECAP, format="md", filename=typed))
        ef.insert(
            ExportRecord(
                audience=Audience.RECAP, format="md", filename=f"/srv/r{i}.md", recipient=gone
            )
        )
    # a damaged file set aside by a repair, then the live session's draft
    root = store.root
    path = root / "engagements" / f"{eid}.db"
    good = path.read_bytes()
    path.write_bytes(good[:-40])
    assert run_doctor(root, lambda: reopen(store), repair=True).healthy
    live = LiveSession(reopen(store).engagement(eid), 2)
    live.take()
    live.save_draft(Draft(session=2, phase="review", text="CANARY-DRAFT about Gwendal"))
    before = attack_loot(store, store_template, monkeypatch, eid)
    assert {"CANARY-ALONE", "Kervarec", "CANARY-DRAFT"} <= set(before), "the test sees nothing"
    assert len(before["CANARY-ALONE"]) >= 3

    ef = reopen(store).engagement(eid)
    erase_participant(ef, gone)

    after = attack_loot(store, store_template, monkeypatch, eid)
    for word in GONE_WORDS:
        assert word not in after, f"{word} still in {after[word]}"
    for word in KEPT_WORDS:
        assert word in after
    fresh = reopen(store).engagement(eid)
    eng = fresh.engagement()
    assert [p.name for p in eng.participants] == ["Sophie Marchal", "Hugo Lenoir"]
    assert [s.number for s in fresh.sessions()] == [1]  # the one-to-one went with them
    texts = [n.text for n in fresh.notes()]
    assert "KEPT-PAIR 0 with someone" in texts
    assert "KEPT-GROUP 2: someone led it" in texts
    # validated by the group still: it reaches the team's N+1, naming no one
    note = fresh.get(Note, group_note)
    assert allow_list.reaches(note, eng), "the group's validation was lost"
    [pair] = [n for n in fresh.notes() if n.text.startswith("KEPT-PAIR 0")]
    assert pair.about == [other]
    log = fresh.all(ExportRecord)
    assert "/srv/out/recap_someone_0.md" in {r.filename for r in log}
    assert "/srv/someone-someone/rapport.1.md" in {r.filename for r in log}
    assert "/srv/someone2.md" in {r.filename for r in log}
    assert not any(r.recipient for r in log)


def attack_loot(
    store: Store,
    store_template: tuple[Path, bytes, str],
    monkeypatch: pytest.MonkeyPatch,
    eid: str,
) -> dict[str, list[Path]]:
    _, _, code = store_template
    monkeypatch.setattr(attack, "CANARIES", GONE_WORDS + KEPT_WORDS)
    attacker = attack.Attacker(
        {"passphrase": PASSPHRASE, "recovery code": crypto.normalise_recovery_code(code)}
    )
    return attacker.loot(store.root, [eid]).plaintext_in


def test_an_erased_participants_access_requests_go_from_every_copy(
    store: Store, store_template: tuple[Path, bytes, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request for one's data names how the person's identity was checked and what
    was withheld from them: it is about them, and goes with them; another's stays."""
    eid, gone, other = a_team(store)
    for i in range(2):  # two writes: a rotating backup holds the first
        ef = reopen(store).engagement(eid)
        ef.insert(
            AccessRequest(
                participant=gone, received=date(2026, 11, 3), identity=f"CANARY-ALONE id {i}"
            )
        )
        ef.insert(
            AccessRequest(
                participant=other, received=date(2026, 11, 3), identity=f"KEPT-OTHER id {i}"
            )
        )
    before = attack_loot(store, store_template, monkeypatch, eid)
    assert "CANARY-ALONE" in before, "the test sees nothing"

    erase_participant(reopen(store).engagement(eid), gone)

    after = attack_loot(store, store_template, monkeypatch, eid)
    assert "CANARY-ALONE" not in after, after.get("CANARY-ALONE")
    assert "KEPT-OTHER" in after
    left = reopen(store).engagement(eid).all(AccessRequest)
    assert sorted(r.identity for r in left) == ["KEPT-OTHER id 0", "KEPT-OTHER id 1"]


def test_a_draft_the_coach_chose_to_be_about_them_goes_with_them(store: Store) -> None:
    """The note being typed in a collective session, about them by ctrl+r (their
    name nowhere in it): theirs, so it goes; one about someone else stays."""
    for theirs in (True, False):
        eid, gone, other = a_team(store)
        live = LiveSession(reopen(store).engagement(eid), 1)
        live.take()
        chosen = [gone] if theirs else [other]
        live.save_draft(Draft(session=1, phase="review", text="hésite encore", chosen=chosen))
        erase_participant(reopen(store).engagement(eid), gone)
        draft = LiveSession(reopen(store).engagement(eid), 1).load_draft()
        assert (draft is None) is theirs


def test_what_the_coach_learned_of_them_in_supervision_no_longer_names_them(
    store: Store, store_template: tuple[Path, bytes, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervision log names its case by the engagement's id, but what the coach
    learned is typed, names and all: erasing one participant leaves their name in no
    entry of that case nor in any copy of the log (it stayed, word for word); the
    entry and what was learned stay for the group, another case's entry is untouched."""
    from decimal import Decimal

    from aoi_tui.domain.supervision import SupervisionEntry
    from aoi_tui.store.supervision_log import SupervisionLog

    eid, gone, _ = a_team(store)
    for i in range(2):  # two writes: a rotating copy holds the first
        SupervisionLog(reopen(store)).add(
            SupervisionEntry(
                on=date(2026, 11, 10 + i),
                supervisor="Dr Sup",
                hours=Decimal(1),
                case=eid,
                learned=f"KEPT-GROUP {i}: GWENDAL freezes when Kervarec is praised",
            )
        )
    before = attack_loot(store, store_template, monkeypatch, eid)
    assert "Kervarec" in before, "the test sees nothing"

    erase_participant(reopen(store).engagement(eid), gone)

    after = attack_loot(store, store_template, monkeypatch, eid)
    for word in ("Kervarec", "Gwendal", "GWENDAL"):
        assert word not in after, after.get(word)
    learned = [e.learned for e in SupervisionLog(reopen(store)).entries()]
    assert learned == [f"KEPT-GROUP {i}: someone freezes when someone is praised" for i in (0, 1)]


def test_the_at_that_named_them_in_the_others_texts_becomes_the_neutral_word(
    store: Store,
) -> None:
    """`@gwe` in a note kept for Sophie was Gwendal's shorthand: once he is erased
    it showed who was meant in Sophie's N+1 report (the name went, the @ stayed).
    It becomes the neutral word, Sophie's validation still holds, her @ stays."""
    from aoi_tui.exports.group_documents import build_group_report
    from aoi_tui.exports.group_markdown import group_report_markdown

    eid, gone, other = a_team(store)
    ef = reopen(store).engagement(eid)
    note = ef.add_note(
        1,
        "Un désaccord entre @gwe et @sop sur les relèves",
        about=[gone, other],
        visibility=Visibility.SHAREABLE,
    )
    note.validate_by(other)
    ef.update(note)
    erase_participant(ef, gone)
    fresh = reopen(store).engagement(eid)
    [kept] = fresh.notes()
    assert kept.text == "Un désaccord entre someone et @sop sur les relèves"
    report = group_report_markdown(build_group_report(fresh, None), "en")
    assert "Un désaccord entre someone et Sophie Marchal sur les relèves" in report


def test_erasing_a_peer_named_in_the_charter_leaves_everyone_agreed_and_their_n1_unsaid(
    store: Store,
) -> None:
    """The charter says "Dan Four keeps the minutes" and everyone agreed to it. Erasing
    Dan rewrites it "someone keeps the minutes": not a change of its terms, so the
    others still agree and the group's items still go to their N+1s (they read
    "Agreed to the charter: no" and lost the group's items). The export log no longer
    says whom Dan reported to: a report for their own N+1, whom no one else has,
    keeps no recipient, and that N+1's name leaves the file names typed with it."""
    from aoi_tui.domain.models import Charter
    from aoi_tui.domain.participants import agree_to_charter

    charter = Charter(confidentiality="Dan Four keeps the minutes", group_items_to_sponsors=True)
    agreed = Agreement(consent_date=date(2026, 11, 2))
    team = [
        Participant(name=n, sponsor=s, agreement=agreed, report_own_items=True)
        for n, s in (("Dan Four", "Thomas Chef"), ("Léa Morin", "Anne Blanc"), ("Yann Roy", ""))
    ]
    for p in team:
        agree_to_charter(p, charter)
    ef = store.create_engagement(
        Engagement(form=Form.PEERS, group="Codév", participants=team, charter=charter)
    )
    dan, lea, yann = (p.id for p in team)
    ef.new_session(SessionKind.PEER, attendance=[dan, lea, yann])
    note = ef.add_note(1, "KEPT-GROUP", about=[GROUP], visibility=Visibility.SHAREABLE)
    for p in team:
        note.validate_by(p.id)
    ef.update(note)
    for typed, to in (("Thomas_Chef_about_Dan Four.md", "Thomas Chef"), ("anne.md", "Anne Blanc")):
        ef.insert(ExportRecord(audience=Audience.SHARED, format="md", filename=typed, recipient=to))
    assert allow_list.reaches(
        ef.get(Note, note.id), ef.engagement(), allow_list.ForSponsor("Anne Blanc")
    )

    erase_participant(reopen(store).engagement(eid := ef.id), dan)

    fresh = reopen(store).engagement(eid)
    eng = fresh.engagement()
    assert eng.charter is not None and eng.charter.confidentiality == "someone keeps the minutes"
    assert all(p.agreed_to(eng.charter) for p in eng.participants), "agreements voided"
    reached = allow_list.reaches(fresh.get(Note, note.id), eng, allow_list.ForSponsor("Anne Blanc"))
    assert reached, "the group's item left Léa's N+1's report"
    log = {r.filename: r.recipient for r in fresh.all(ExportRecord)}
    assert log == {"someone_about_someone.md": None, "anne.md": "Anne Blanc"}


def test_an_at_that_is_someone_elses_whole_name_is_not_the_erased_ones() -> None:
    """`@Eva` names Eva (a whole name names one person), not Eva Martin: erasing Eva
    Martin leaves it as typed; `@ev`, which named either, goes with her."""
    from aoi_tui.store.participant_erasure import shorthands_of

    data = {
        "participants": {
            "1": {"id": "aaaa", "name": "Eva"},
            "2": {"id": "bbbb", "name": "Eva Martin"},
        },
        "notes": {"1": {"text": "@Eva aide @ev sur le planning"}},
    }
    assert shorthands_of(data, "bbbb") == {"ev"}
    assert shorthands_of(data, "aaaa") == {"Eva", "ev"}


def test_erasing_marc_leroy_leaves_marc_dubois_and_marc_dupont_their_names(
    store: Store,
) -> None:
    """The erased one's first name is also the team's N+1's and another
    participant's: their names, in their own fields and in the texts, stay whole
    (the N+1 became 'someone Dubois', no longer the N+1 of any report, and Marc
    Dupont 'someone Dupont'); the erased one's, whole or in part, goes."""
    from aoi_tui.exports.group_documents import build_group_report

    agreed = Agreement(consent_date=date(2026, 11, 2))
    team = [
        Participant(name=n, agreement=agreed, report_own_items=True)
        for n in ("Marc Leroy", "Marc Dupont", "Léa Morin")
    ]
    ef = store.create_engagement(
        Engagement(form=Form.TEAM, group="Atelier 2", sponsor="Marc Dubois", participants=team)
    )
    ef.new_session(SessionKind.TEAM_AOI, attendance=[p.id for p in team])
    ef.add_note(1, "Marc Dupont et Marc Leroy en parlent à Marc Dubois ; Marc aussi")
    erase_participant(reopen(store).engagement(ef.id), team[0].id)
    fresh = reopen(store).engagement(ef.id)
    eng = fresh.engagement()
    assert eng.sponsor == "Marc Dubois"
    assert [p.name for p in eng.participants] == ["Marc Dupont", "Léa Morin"]
    [note] = fresh.notes()
    assert note.text == "Marc Dupont et someone en parlent à Marc Dubois ; someone aussi"
    assert build_group_report(fresh, "Marc Dubois").sponsor == "Marc Dubois"
