"""The coachee's access to their data (GDPR article 15, issue 16 §2): what the
store holds about one person, for the coach to review and hand over, as a
readable HTML document and a JSON file.

Everything about them, private notes and the coach's reflections and
hypotheses included (an assessor's comments are the assessed person's data:
CJEU, Nowak, C-434/16); in a collective engagement, only what concerns them
(`concerns.concerned`: their own items, and the group's, marked as such), never
another participant's item, nor a copy sent to another participant. A cover
states the controller, the purposes, the recipients (from the export log),
the retention period, where the data came from and the person's rights.

Texts that name other people (a colleague, the N+1 speaking of a third
person) are flagged for the coach to review before sending (article 15(4)
protects others' data); the N+1's opinion of the person is theirs and is not
flagged for that. Built from the store for one participant only: the model
never holds another participant's item, so no renderer can leak one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import Field

from aoi_tui.config.i18n import t
from aoi_tui.domain.concerns import concerned
from aoi_tui.domain.items import Closing, Item, Message
from aoi_tui.domain.models import Engagement, ExportRecord, Model, Session, SessionKind, Tool
from aoi_tui.domain.participants import Participant, find_participant
from aoi_tui.domain.reflections import Reflection
from aoi_tui.exports.folding import fold
from aoi_tui.exports.markdown_parts import NBSP, kind_in_sentence
from aoi_tui.exports.markdown_safety import Document, heading, inline, item, quote
from aoi_tui.exports.pseudonyms import flags
from aoi_tui.exports.render_html import to_html
from aoi_tui.store.engagement_file import EngagementFile

ACCESS_FORMAT = "aoi-subject-access"
ACCESS_VERSION = 1


class AccessText(Model):
    """One text held about the person, where it came from, and who else it
    names (for the coach to review: article 15(4))."""

    what: str  # note, action, objective, competency, reflection, expectations…
    session: int | None = None
    phase: str | None = None
    on: date | None = None
    source: str  # "coachee", "sponsor", "coach"
    private: bool = False  # the coach's private note: theirs too
    about_the_group: bool = False  # concerns the whole group: others may be in it
    about_others_too: bool = False  # concerns other participants as well
    text: str
    names_others: list[str] = Field(default_factory=list)


class AccessRecipient(Model):
    at: datetime
    what: str  # the audience's value
    recipient: str | None = None
    format: str


class AccessFile(Model):
    person: str
    function: str = ""
    email: str = ""
    joined_on: date | None = None
    withdrawn_on: date | None = None
    consent_date: date | None = None
    controller: str
    retention_days: int | None = None
    engagement_format: str
    engagement_status: str
    sessions: list[tuple[int, str, date]] = Field(default_factory=list)
    texts: list[AccessText] = Field(default_factory=list)
    levels: list[tuple[str, str, str, date]] = Field(default_factory=list)  # FSAC marks
    recipients: list[AccessRecipient] = Field(default_factory=list)

    @property
    def flagged(self) -> list[AccessText]:
        return [x for x in self.texts if x.names_others or x.about_the_group or x.about_others_too]


class NoSuchPerson(ValueError):
    pass


def _participant(engagement: Engagement, query: str | None) -> Participant:
    if engagement.individual:
        return engagement.participants[0]
    if not query:
        raise NoSuchPerson(t("access.cli.whose_data"))
    return find_participant(engagement.participants, query)


def build_access_file(
    ef: EngagementFile,
    participant: str | None,
    controller: str | None = None,
    retention_days: int | None = None,
) -> AccessFile:
    """Everything `participant` (name or id; none in an individual engagement)
    is concerned by, and nothing else."""
    eng = ef.engagement()
    person = _participant(eng, participant)
    others = [p.name for p in eng.participants if p.id != person.id]
    others += [n for n in {eng.sponsor, *(p.sponsor for p in eng.participants)} if n]
    others += [eng.coach] if eng.coach else []

    def mine(thing: Item) -> tuple[bool, dict[str, bool]]:
        """Whether it concerns them, and whether the group or others too."""
        c = concerned(thing, eng)
        return person.id in c.people or c.group, {
            "about_the_group": c.group,
            "about_others_too": len(c.people - {person.id}) > 0,
        }

    texts: list[AccessText] = []

    def add(what: str, text: str, source: str, **kw: Any) -> None:
        if text.strip():
            texts.append(
                AccessText(
                    what=what,
                    text=text,
                    source=source,
                    names_others=_names_in(text, others, person.name),
                    **kw,
                )
            )

    if eng.individual:
        add("coachee_expectations", eng.coachee_expectations, "coachee")
        add("sponsor_expectations", eng.sponsor_expectations, "sponsor")
        add("strategy", eng.strategy, "coach")
        add("closing_synthesis", eng.closing_synthesis, "coach")
        add("closing_next", eng.closing_next, "coach")
    else:  # a group's closing review is the group's: each participant's data
        ok, group = mine(Closing(eng))
        if ok:
            add("closing_synthesis", eng.closing_synthesis, "coach", **group)
            add("closing_next", eng.closing_next, "coach", **group)
    sessions = [s for s in ef.sessions() if _attended(s, eng, person)]
    held = {s.number for s in sessions}
    for s in ef.sessions():  # what their N+1 was told about them
        ok, group = mine(Message(s))
        if ok:
            add("message", s.sponsor_message, "coach", session=s.number, **group)
    for o in ef.objectives():
        ok, group = mine(o)
        if ok:
            for part in (o.statement, o.indicator, o.expected_result):
                add("objective", part, "sponsor", **group)
    competencies = {}
    for c in ef.competencies():
        ok, group = mine(c)
        if ok:
            competencies[c.id] = c.name
            add("competency", c.name, "coach", **group)
    levels = [
        (competencies[a.competency_id], str(a.by.value), str(a.level.value), a.on)
        for a in ef.all_assessments()
        if a.competency_id in competencies and mine(a)[0]
    ]
    for n in ef.notes():
        ok, group = mine(n)
        if ok:
            add(
                "note",
                n.text,
                "coach",
                session=n.session,
                phase=n.phase,
                on=n.created_at.date(),
                private=n.visibility.value == "private",
                **group,
            )
    for a in ef.actions():
        ok, group = mine(a)
        if ok:
            add(
                "action",
                a.text,
                "coachee",
                session=a.session,
                private=a.visibility.value == "private",
                **group,
            )
    for tool in ef.all(Tool):  # a practice they took up, and how far: about them too
        ok, group = mine(tool)
        if ok:
            marks = ", ".join(f"{m.on.isoformat()} {m.level.value}" for m in tool.maturity)
            text = "\n".join(x for x in (tool.name, tool.description, marks) if x)
            add("tool", text, "coach", session=tool.introduced_session, **group)
    for r in ef.all(Reflection):
        # in a group, the coach's reflections on the person's own one-to-one
        # sessions only: elsewhere they may be about anyone
        if eng.individual or (r.session in held and _one_to_one(ef, r.session, person)):
            for part in (r.reflections, r.feelings, r.hypotheses):
                add("reflection", part, "coach", session=r.session, phase=r.phase, private=True)
    return AccessFile(
        person=person.name,
        function=person.function,
        email=person.email,
        joined_on=person.joined_on,
        withdrawn_on=person.withdrawn_on,
        consent_date=person.agreement.consent_date,
        controller=(controller or eng.coach or "").strip(),
        retention_days=retention_days,
        engagement_format=eng.format.value,
        engagement_status=eng.status.value,
        sessions=[(s.number, s.kind.value, s.held_on) for s in sessions],
        texts=texts,
        levels=levels,
        recipients=_recipients(ef.all(ExportRecord), eng, person),
    )


def _attended(s: Session, eng: Engagement, person: Participant) -> bool:
    if eng.individual:
        return True
    if s.participant:
        return s.participant == person.id
    return person.id in (s.attendance or [])


def _one_to_one(ef: EngagementFile, number: int | None, person: Participant) -> bool:
    return any(s.number == number and s.participant == person.id for s in ef.sessions())


def _recipients(
    records: Sequence[ExportRecord], eng: Engagement, person: Participant
) -> list[AccessRecipient]:
    """Who received what about the person: every export of an individual
    engagement; in a group, the reports to their N+1, the group's documents
    and their own copies, never another participant's."""
    theirs = {person.id, person.name}
    others = {p.id for p in eng.participants if p.id != person.id}
    out = []
    for r in sorted(records, key=lambda r: r.at):
        if not eng.individual and r.recipient in others:
            continue
        if r.audience.value in ("subject_access",) and r.recipient not in theirs | {None}:
            continue
        out.append(
            AccessRecipient(at=r.at, what=r.audience.value, recipient=r.recipient, format=r.format)
        )
    return out


def _names_in(text: str, others: Sequence[str], own: str) -> list[str]:
    """Names of other people in a text: those the store knows, and capitalised
    words that look like names (`pseudonyms.flags`), the person's own excepted.
    Compared folded (case, accents, typography): "kale" names Kalé."""
    folded = fold(text)
    found = [n for n in others if n and any(part in folded for part in _parts(n))]
    known = _parts(own).union(*(_parts(n) for n in found))  # "Bruno" of "Bruno Petit" once
    found += [f.word for f in flags(text) if fold(f.word) not in known]
    return sorted(set(found))


def _parts(name: str) -> set[str]:
    return {w for w in fold(name).replace("-", " ").split() if len(w) > 2}


# -- rendering ----------------------------------------------------------------------------------


def word(key: str, lang: str, **values: object) -> str:
    """The document's own words, from the catalogs (`export.access`)."""
    return t(f"export.access.{key}", lang, **values)


def access_markdown(af: AccessFile, lang: str, review: bool = True) -> str:
    """The readable document. With `review`, what names others is listed first,
    for the coach: a copy for the person is the same without that list."""
    doc = Document()
    doc.add(heading(1, word("title", lang)))
    doc.add(heading(2, word("cover", lang)))
    doc.lines(
        [
            f"- {_label('controller', lang)}{inline(af.controller) or '—'}",
            f"- {_label('purposes', lang)}{word('purposes_text', lang)}",
            f"- {_label('retention', lang)}"
            + (
                word("retention_days", lang, days=af.retention_days)
                if af.retention_days
                else word("retention_none", lang)
            ),
            f"- {_label('sources', lang)}{word('sources_text', lang)}",
            f"- {_label('rights', lang)}{word('rights_text', lang)}",
        ]
    )
    doc.add(heading(3, word("recipients", lang)))
    if af.recipients:
        doc.lines(
            [
                item(
                    f"{r.at.date().isoformat()} — ",
                    f"{t(f'audience.{r.what}', lang)} ({r.format})"
                    + (f" → {r.recipient}" if r.recipient else ""),
                )
                for r in af.recipients
            ]
        )
    else:
        doc.add(word("no_recipient", lang))
    if review and af.flagged:
        doc.add(heading(2, word("review", lang)))
        doc.lines(
            [
                item(
                    _what(x, lang) + (f" s{x.session}" if x.session else "") + " — ",
                    ", ".join(x.names_others) or word("group", lang),
                )
                for x in af.flagged
            ]
        )
    doc.add(heading(2, word("you", lang)))
    facts = [item("", af.person)]
    if af.function:
        facts.append(item("", af.function))
    if af.email:
        facts.append(item("", af.email))
    for key, value in (
        ("joined", af.joined_on),
        ("consent", af.consent_date),
        ("withdrawn", af.withdrawn_on),
    ):
        if value:
            facts.append(f"- {word(key, lang)} {value.isoformat()}")
    doc.lines(facts)
    if af.sessions:
        doc.add(heading(2, word("sessions", lang)))
        doc.lines(
            [
                f"- {word('session', lang, number=n, kind=kind_in_sentence(SessionKind(kind), lang), day=day.isoformat())}"
                for n, kind, day in af.sessions
            ]
        )
    if af.levels:
        doc.add(heading(2, word("levels", lang)))
        doc.lines(
            [item(f"{day.isoformat()} — ", f"{c}: {lv} ({by})") for c, by, lv, day in af.levels]
        )
    doc.add(heading(2, word("texts", lang)))
    for x in af.texts:
        tags = [_what(x, lang)]
        if x.session:
            tags.append(f"s{x.session}")
        tags.append(word(f"source.{x.source}", lang))
        if x.private:
            tags.append(word("private", lang))
        if x.about_the_group:
            tags.append(word("group", lang))
        doc.add(f"_{' · '.join(tags)}_", quote(x.text))
    return doc.text()


def _label(key: str, lang: str) -> str:
    """A label in bold and its colon, outside the bold (French: a no-break space before)."""
    return f"**{word(key, lang)}**" + (f"{NBSP}: " if lang == "fr" else ": ")


def _what(x: AccessText, lang: str) -> str:
    return word(f"what.{x.what}", lang)


def access_html(af: AccessFile, lang: str) -> str:
    return to_html(access_markdown(af, lang), word("title", lang), lang)


def access_json(af: AccessFile, lang: str) -> str:
    body = {"format": ACCESS_FORMAT, "version": ACCESS_VERSION, "lang": lang}
    body |= af.model_dump(mode="json")
    body["to_review"] = [x.model_dump(mode="json") for x in af.flagged]
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "ACCESS_FORMAT",
    "AccessFile",
    "AccessText",
    "NoSuchPerson",
    "access_html",
    "access_json",
    "access_markdown",
    "build_access_file",
]
