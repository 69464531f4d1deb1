"""Pseudonymisation of typed text, for a case taken to supervision: the names
the store knows become roles, e-mail addresses and dates go, and capitalised
words that look like names of people the store does not know are flagged for
the coach to review.

Pure functions of a text, the names and the engagement's calendar; no store.

- **Names** (`Name`: a text and its role) become their role, in French or in
  English: the coachee "la personne accompagnée" / "the coachee", the
  participants "P1", "P2"…, the N+1 "le N+1" / "the N+1" (a participant's own
  N+1 "le N+1 de P2"), the coach, the organisation, the site. Found whatever
  the case ("ÉLODIE", "élodie") and the accents ("Elodie" for "Élodie" and the
  reverse, typed decomposed too), compound names whatever joins their parts
  ("Jean-Marc", "Jean Marc", "JeanMarc", "Marie Claire", "Le Goff"), every run
  of a name's parts alone (the first name, the surname, "Marc" of "Jean-Marc";
  never a particle alone: "Le", "de", "van"), surname first ("DUPONT
  Élodie"), with an initial ("Élodie D.", "J.-M. Dupont"), after a title
  ("M. Dupont", absorbed), after an elision ("d'Élodie", "l'Usine", "qu'Élodie",
  with ' or ’), inside Markdown emphasis (`**Claire**`, `_Claire_`), inside
  words joined by punctuation (a web address) and next to digits. The French
  around the role is made to fit: "d'Élodie" → "de la personne accompagnée",
  "à Marc" → "au N+1", "du Nord" → "du site", a role starting a sentence
  takes a capital. An English case says that French in English ("à Marc" →
  "to the N+1", "d'Élodie" → "of the coachee"): aoi's words are one language. Over-replacement is accepted: "Claire" the name replaces
  "claire" the adjective.
- **E-mail addresses**, all of them, become "‹courriel›" / "‹e-mail›".
- **Dates** become sessions and weeks from the start (`typed_dates`).
- **Flags**: a capitalised word in mid-sentence (or after a title: "M. X")
  that is not a known word (`KNOWN_WORDS`: days, months, roles, the
  referential's words…), not an acronym (four capitals or fewer) and was not
  replaced, is returned as looking like the name of someone the store does
  not know. It is not replaced: the coach reviews it.

What was replaced and flagged comes back apart from the text (`Preview`), for
the coach's preview only: it holds the original names, so it never goes into
the file."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from aoi_tui.exports.folding import Folded, fold, starts_sentence
from aoi_tui.exports.typed_dates import Calendar, replace_dates


class Who(StrEnum):
    """The role a name takes."""

    COACHEE = "coachee"
    GROUP = "group"  # a collective engagement's name
    PARTICIPANT = "participant"
    SPONSOR = "sponsor"
    COACH = "coach"
    ORGANISATION = "organisation"
    SITE = "site"


@dataclass(frozen=True)
class Name:
    """A name to hide and the role it takes. `number`: a participant's number
    (P1, P2…), the participant whose N+1 this is, or which organisation or
    site when there are several."""

    text: str
    who: Who
    number: int | None = None


@dataclass(frozen=True)
class Label:
    """A role as a noun phrase: its article apart, so that the French around it fits."""

    article: str  # "la ", "le ", "l'", "the " or nothing
    noun: str

    def __str__(self) -> str:
        return self.article + self.noun


def label(name: Name, lang: str) -> Label:
    n = name.number
    if lang == "fr":
        return {
            Who.COACHEE: Label("la ", "personne accompagnée"),
            Who.GROUP: Label("le ", "groupe"),
            Who.PARTICIPANT: Label("", f"P{n or 1}"),
            Who.SPONSOR: Label("le ", "N+1" if n is None else f"N+1 de P{n}"),
            Who.COACH: Label("le ", "coach"),
            Who.ORGANISATION: Label("l'", "organisation" if n is None else f"organisation {n}"),
            Who.SITE: Label("le ", "site" if n is None else f"site {n}"),
        }[name.who]
    return {
        Who.COACHEE: Label("the ", "coachee"),
        Who.GROUP: Label("the ", "group"),
        Who.PARTICIPANT: Label("", f"P{n or 1}"),
        Who.SPONSOR: Label("the ", "N+1") if n is None else Label("", f"P{n}'s N+1"),
        Who.COACH: Label("the ", "coach"),
        Who.ORGANISATION: Label("the ", "organisation")
        if n is None
        else Label("", f"organisation {n}"),
        Who.SITE: Label("the ", "site") if n is None else Label("", f"site {n}"),
    }[name.who]


EMAIL_LABEL = {"fr": "‹courriel›", "en": "‹e-mail›"}

# -- the preview --------------------------------------------------------------------------


@dataclass(frozen=True)
class Replaced:
    """One thing replaced, as typed, and what it became; `name` is the name it
    was taken for (a date or an e-mail address: empty)."""

    kind: str  # "name", "email" or "date"
    found: str
    label: str
    name: str = ""
    count: int = 1


@dataclass(frozen=True)
class Flagged:
    """A capitalised word that looks like the name of someone the store does
    not know, how often it was seen, and where first (in the pseudonymised text)."""

    word: str
    count: int
    context: str


@dataclass(frozen=True)
class Preview:
    """What the coach checks before the file leaves: never written into it."""

    replaced: tuple[Replaced, ...] = ()
    flagged: tuple[Flagged, ...] = ()

    @staticmethod
    def merge(previews: Iterable[Preview]) -> Preview:
        replaced: Counter[tuple[str, str, str, str]] = Counter()
        flagged: dict[str, Flagged] = {}
        for p in previews:
            for r in p.replaced:
                replaced[(r.kind, r.found, r.label, r.name)] += r.count
            for f in p.flagged:
                seen = flagged.get(f.word)
                flagged[f.word] = (
                    f if seen is None else Flagged(f.word, seen.count + f.count, seen.context)
                )
        return Preview(
            tuple(
                Replaced(k, found, lab, name, n) for (k, found, lab, name), n in replaced.items()
            ),
            tuple(flagged.values()),
        )

    def originals(self) -> list[str]:
        """Every name, address and date as typed: what the file must not hold."""
        return [r.found for r in self.replaced] + [r.name for r in self.replaced if r.name]


# -- names ----------------------------------------------------------------------------------

# Words that are part of a name but never replaced alone: particles, titles, the
# generic words of organisations and sites ("Usine Nord": "Nord" alone is replaced,
# "Usine" alone is not). The name whole is always replaced, whatever it holds.
_NOT_ALONE = """
    le la les de du des d l del della der den di da dos das do van von ten ter y e et and of
    al el ben bin bint ibn mac st ste saint sainte san santa sao
    m mme mlle mr mrs ms dr pr me monsieur madame mademoiselle
    usine usines site sites groupe group societe company co cie sa sas sasu sarl eurl inc ltd
    llc gmbh ag plc agence agency centre center banque bank entrepot plant factory atelier
    direction service services industries industrie international france hopital hospital
    clinique ecole school universite university mairie ville region departement
    siege bureau bureaux magasin boutique the
"""
NOT_ALONE = frozenset(_NOT_ALONE.split())
_TITLES = r"monsieur|madame|mademoiselle|mme|mlle|mrs|mr|ms|dr|pr|me|m"
_ELISIONS = r"jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[dljnmstc]"
_LEADS = r"de|du|des|au|aux|le|la|les|the|a"  # "a" is "à" folded: checked in the original
_LETTER = r"[^\W\d_]"
# What may join the parts of a name as typed: nothing ("JeanMarc"), spaces, a
# dash, an apostrophe, a dot, an underscore, up to three of them.
_JOIN = r"[ \t\-'._&+/]{0,3}"
_PARTS = re.compile(r"[^\W_]+")
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~\-]+@[\w\-]+(?:\.[\w\-]+)+")


@dataclass(frozen=True)
class _Entity:
    name: Name
    label: Label
    forms: frozenset[str]  # each run of parts, folded, joined by one space
    whole: str  # the name whole, folded, joined by one space
    initials: frozenset[str]
    pattern: re.Pattern[str]


def _entity(name: Name, lang: str) -> _Entity | None:
    parts = _PARTS.findall(fold(name.text))
    if not parts:
        return None
    forms = set()
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            run = parts[i:j]
            if len(run) == len(parts) or any(len(p) > 1 and p not in NOT_ALONE for p in run):
                forms.add(" ".join(run))
    return _Entity(
        name=name,
        label=label(name, lang),
        forms=frozenset(forms),
        whole=" ".join(parts),
        initials=frozenset(p[0] for p in parts),
        pattern=re.compile(_alternation(forms)),
    )


def _form_pattern(form: str) -> str:
    return _JOIN.join(re.escape(part) for part in form.split(" "))


def _alternation(forms: Iterable[str]) -> str:
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    return "(?:" + "|".join(_form_pattern(f) for f in ordered) + ")"


@dataclass(frozen=True)
class _Match:
    start: int  # in the original text
    end: int
    entity: _Entity
    lead: str = ""  # "de", "à", "du", "le", "the"… (folded, "à" kept), or empty
    gap: str = ""  # as typed, between the lead and the name: " ", " **"
    elision: str = ""  # as typed: "d", "D", "qu"…, or empty


class Pseudonymiser:
    """The names of one engagement, compiled once, for each of its texts."""

    def __init__(self, names: Sequence[Name], lang: str, calendar: Calendar | None) -> None:
        self.lang = lang
        self.calendar = calendar
        entities = [e for e in (_entity(n, lang) for n in names if n.text.strip()) if e]
        self.entities = tuple(entities)
        forms = {f for e in entities for f in e.forms}
        self._names = (
            re.compile(
                rf"(?<!{_LETTER})"
                rf"(?:(?P<lead>{_LEADS})(?P<gap>\s+[*_]{{0,3}}))?"
                rf"(?:(?P<title>{_TITLES})(?:\.\s*|\s+))?"
                rf"(?:(?P<elision>{_ELISIONS})')?"
                rf"(?P<name>{_alternation(forms)})"
                rf"(?!{_LETTER})"
            )
            if forms
            else None
        )

    def apply(self, text: str) -> tuple[str, Preview]:
        """The text pseudonymised, and what was replaced and flagged in it."""
        replaced: list[Replaced] = []
        text = _EMAIL.sub(lambda m: self._email(m, replaced), text)
        text, dates = replace_dates(text, self.calendar, self.lang)
        replaced += [Replaced("date", d.found, d.label) for d in dates]
        text = self._replace_names(text, replaced)
        return text, Preview.merge([Preview(tuple(replaced), tuple(flags(text)))])

    def _email(self, match: re.Match[str], replaced: list[Replaced]) -> str:
        found = match.group(0).rstrip(".")
        replaced.append(Replaced("email", found, EMAIL_LABEL[self.lang]))
        return EMAIL_LABEL[self.lang] + match.group(0)[len(found) :]

    # -- names --

    def _replace_names(self, text: str, replaced: list[Replaced]) -> str:
        if self._names is None:
            return text
        folded = Folded.of(text)
        matches = _merged(text, [self._match(folded, m) for m in self._names.finditer(folded.text)])
        out: list[str] = []
        last = 0
        for m in matches:
            start, end = self._with_initials(folded, m)
            phrase = told = self._phrase(m)
            if text[start : start + 1].isupper() and starts_sentence(text, start):
                told = phrase[0].upper() + phrase[1:]
            out += [text[last:start], told]
            replaced.append(Replaced("name", text[start:end], phrase, m.entity.name.text))
            last = end
        out.append(text[last:])
        return "".join(out)

    def _match(self, folded: Folded, m: re.Match[str]) -> _Match:
        """A match, its entity decided. An elision is part of the name where
        the name has it ("N'Diaye", "D'Souza"); "a" is a lead only as "à"."""
        name, elision = m.group("name"), m.group("elision")
        name_start = m.start("name")
        if elision and self._entity_of(f"{elision}'{name}"):
            name, name_start, elision = f"{elision}'{name}", m.start("elision"), None
        entity = self._entity_of(name)
        assert entity is not None  # the pattern is made of the entities' forms
        lead, gap = m.group("lead") or "", ""
        if lead:
            lead_start = folded.start(m.start("lead"))
            if lead == "a":
                lead = "à" if folded.original[lead_start] in "àÀ" else ""
            gap_start, gap_end = folded.span(m.start("gap"), m.end("gap"))
            gap = folded.original[gap_start:gap_end]
        start = (
            m.start()
            if lead
            else m.start("title")
            if m.group("title")
            else m.start("elision")
            if elision
            else name_start
        )
        orig_start, orig_end = folded.span(start, m.end())
        elision_text = ""
        if elision:
            e_start, e_end = folded.span(m.start("elision"), m.end("elision"))
            elision_text = folded.original[e_start:e_end]
        return _Match(orig_start, orig_end, entity, lead, gap, elision_text)

    def _entity_of(self, typed: str) -> _Entity | None:
        """The entity a matched name is: the one whose whole name it is first,
        then the first (in the order given) of whose parts it is a run."""
        found = [e for e in self.entities if e.pattern.fullmatch(typed)]
        for e in found:
            if re.fullmatch(_form_pattern(e.whole), typed):
                return e
        return found[0] if found else None

    def _with_initials(self, folded: Folded, m: _Match) -> tuple[int, int]:
        """A match widened over the initials of the same name around it:
        "Élodie D.", "J.-M. Dupont"."""
        start, end = m.start, m.end
        after = re.match(rf"[ \t]+({_LETTER})\.(?!{_LETTER})", folded.original[end:])
        if after and fold(after.group(1)) in m.entity.initials:
            end += after.end()
        if not (m.lead or m.elision):
            before = re.search(
                rf"(?<!{_LETTER})(?:{_LETTER}\.[ \t-]*)+$",
                folded.original[max(0, start - 12) : start],
            )
            if before and all(
                fold(c) in m.entity.initials for c in re.findall(_LETTER, before.group(0))
            ):
                start -= len(before.group(0))
        return start, end

    def _phrase(self, m: _Match) -> str:
        """The role, with the French around it made to fit: "d'Élodie" → "de la
        personne accompagnée", "de l'Usine" → "du site", "à Marc" → "au N+1",
        "à **Marc**" → "au **N+1**", "le Marc" → "le N+1"."""
        lab = m.entity.label
        elision = fold(m.elision)
        if self.lang != "fr":
            return self._english_phrase(m, lab, elision)
        if elision and elision not in ("d", "l"):
            return f"{m.elision}e {lab}"  # "qu'Élodie" → "que la personne accompagnée"
        preposition = (
            "de"
            if elision == "d" or m.lead in ("de", "du", "des")
            else "à"
            if m.lead in ("à", "au", "aux")
            else ""
        )
        if preposition and lab.article == "le ":
            head, rest = ("du" if preposition == "de" else "au"), lab.noun
        elif preposition:
            head, rest = preposition, str(lab)
        elif m.lead == "the" and lab.article == "the ":
            head, rest = "the", lab.noun
        else:  # "le", "la", "les" before a role that has its own article: dropped
            return m.gap.lstrip() + str(lab)
        return head + (m.gap or " ") + rest

    @staticmethod
    def _english_phrase(m: _Match, lab: Label, elision: str) -> str:
        """The role in an English case, where the French typed around a name
        ("à Marc", "d'Élodie", "qu'Élodie") is not made to fit in French: what
        the match took of it is said in English ("to the N+1", "of the
        coachee", "that the coachee"), so that the words aoi writes are all
        English (it wrote "à the N+1", "de the coachee")."""
        if m.lead == "the" or m.lead in ("le", "la", "les") or elision in ("l", ""):
            head = _ENGLISH_LEADS.get(m.lead, "")
        else:
            head = _ENGLISH_ELISIONS.get(elision, "")
        if not head:  # "le Marc", "l'Usine", "the Marc": the role has its own article
            return m.gap.lstrip() + str(lab)
        return head + (m.gap or " ") + str(lab)


# What an English case says for the French around a name (`_LEADS`, `_ELISIONS`).
_ENGLISH_LEADS = {"de": "of", "du": "of", "des": "of", "à": "to", "au": "to", "aux": "to"}
_ENGLISH_ELISIONS = {
    "d": "of",
    "qu": "that",
    "jusqu": "until",
    "lorsqu": "when",
    "puisqu": "since",
    "quoiqu": "although",
    "presqu": "almost",
}


def _merged(text: str, matches: list[_Match]) -> list[_Match]:
    """Two runs of the same name next to each other are one ("DUPONT Élodie",
    "Dupont, Élodie"), unless the second has its own "de" or elision."""
    out: list[_Match] = []
    for m in matches:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.entity is m.entity
            and not (m.lead or m.elision)
            and re.fullmatch(r"[ \t,\-]*", text[prev.end : m.start])
        ):
            out[-1] = _Match(prev.start, m.end, prev.entity, prev.lead, prev.elision)
        else:
            out.append(m)
    return out


# -- flags ----------------------------------------------------------------------------------

_KNOWN_WORDS = """
    lundi mardi mercredi jeudi vendredi samedi dimanche
    monday tuesday wednesday thursday friday saturday sunday
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    january february march april may june july august september october november december
    monsieur madame mademoiselle mme mlle mr mrs ms dr pr
    coach coachee coaché coachée manager managers directeur directrice président présidente
    responsable superviseur superviseure supervisor sponsor commanditaire équipe team
    miroir éperon modérateur intégrateur mirror spur moderator integrator
    sécurité qualité coûts délais motivation environnement posture
    safety quality costs deadlines environment
    séance séances session sessions objectif objectifs objective objectives
    fsac aoi kickoff bilan débriefing debriefing retour application passage relais
    phase phases action actions note notes feedback accord agreement contrat contract
    i i'm i've i'd i'll ok okay oui non yes no
    english french anglais français france europe internet
    teams zoom excel word powerpoint outlook linkedin google
    noël pâques easter christmas
"""
KNOWN_WORDS = frozenset(fold(w) for w in _KNOWN_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ELIDED = re.compile(rf"(?:{_ELISIONS})['’](?={_LETTER})", re.IGNORECASE)
_AFTER_TITLE = re.compile(rf"(?<!{_LETTER})(?:{_TITLES})\.?[ \t]+$", re.IGNORECASE)


def flags(text: str) -> list[Flagged]:
    """The capitalised words of a (pseudonymised) text that look like names of
    people: in mid-sentence or after a title, not a known word, not an acronym."""
    counts: Counter[str] = Counter()
    contexts: dict[str, str] = {}
    for m in _WORD.finditer(text):
        word, start = m.group(0), m.start()
        elided = _ELIDED.match(word)
        if elided:
            word, start = word[elided.end() :], start + elided.end()
        letters = word.replace("-", "").replace("'", "").replace("’", "")
        if (
            len(letters) < 2
            or not word[0].isupper()
            or (letters.isupper() and len(letters) <= 4)
            or fold(word) in KNOWN_WORDS
            or all(fold(part) in KNOWN_WORDS for part in re.split(r"[-'’]", word))
        ):
            continue
        after_title = bool(_AFTER_TITLE.search(text, max(0, start - 14), start))
        if starts_sentence(text, start) and not after_title:
            continue
        counts[word] += 1
        contexts.setdefault(word, _context(text, start, start + len(word)))
    return [Flagged(word, n, contexts[word]) for word, n in counts.items()]


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    before = " ".join(text[max(0, start - width) : start].split())
    after = " ".join(text[end : end + width].split())
    return f"{'…' if start > width else ''}{before} {text[start:end]} {after}{'…' if end + width < len(text) else ''}".strip()


def pseudonymise(
    text: str, names: Sequence[Name], lang: str, calendar: Calendar | None = None
) -> tuple[str, Preview]:
    """One text pseudonymised, and its preview (for many texts of one
    engagement, compile the names once: `Pseudonymiser`)."""
    return Pseudonymiser(names, lang, calendar).apply(text)


__all__ = [
    "EMAIL_LABEL",
    "KNOWN_WORDS",
    "NOT_ALONE",
    "Calendar",
    "Flagged",
    "Label",
    "Name",
    "Preview",
    "Pseudonymiser",
    "Replaced",
    "Who",
    "flags",
    "label",
    "pseudonymise",
]
