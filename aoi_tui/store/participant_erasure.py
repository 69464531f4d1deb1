"""Erasing one participant of a group (a GDPR request), from every copy the
store keeps.

The engagement goes on for the others, under the same data key, so its copies
cannot be shredded with a key as a whole engagement's are (`Store.erase`):
each copy is decrypted, rid of the person, and written again. The same change
is made to the engagement file, then to every copy of it (the state after
its last write, the rotating backups, the copies `aoi doctor --repair` set
aside, the leftovers of interrupted writes, which are removed), and to the
draft of a live session. A copy that cannot be read is removed: it may hold
what is being erased.

What the change does (`scrub`):

- the participant's row goes; a reporting line to them goes;
- what concerns them alone goes: notes, actions, objectives, competencies and
  their FSAC marks, a one-to-one session with everything written in it, a
  message for the N+1 about them; what concerns them and others stays for the
  others without them; their validations go (a group item the others validated
  stays validated by the group, without their name), their attendance and a
  peer case they brought;
- their name, wherever it is left in the texts of others (in any case, with
  or without accents, the full name or its parts, or the `@prefix` that named
  them), becomes a neutral word, but the full names of the others (participants
  and N+1s: "Marc Dubois" when Marc Leroy is erased) stay whole; a
  validation that held for a text before the name left it holds for the text
  after (the people who validated it agreed to more than is left), and so does
  an agreement to the charter (the neutral word changes none of its terms);
- the export log says neither who they were nor whom they reported to: their
  name in a typed file name goes (an underscore, a hyphen or a dot ends a word
  there), and so does their own N+1's, whom no one else has; a copy made for
  them or for that N+1 no longer says for whom."""

from __future__ import annotations

import copy
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from aoi_tui.config.i18n import t
from aoi_tui.domain.concerns import MENTION
from aoi_tui.domain.models import closing_hash, text_hash
from aoi_tui.domain.participants import Charter, same_person
from aoi_tui.domain.text import FOLD_TABLE, fold
from aoi_tui.secure.storage import StoreFileError, decode, encode
from aoi_tui.store import backups
from aoi_tui.store.engagement_file import EngagementFile
from aoi_tui.store.store import QUARANTINE, Store

Doc = dict[str, Any]

_ITEM_TABLES = ("notes", "actions", "objectives", "competencies", "assessments")
_REFERENCES = frozenset(
    {
        "id",
        "v",
        "by",
        "about",
        "message_about",
        "participant",
        "attendance",
        "case_bringer",
        "competency_id",
        "reports_to",
        "text_sha256",
        "recipient",
    }
)
"""Keys whose values are ids or hashes, never typed text: left as they are."""


def _letters(word: str, space: str = r"\s+") -> str:
    """`word` as a pattern of its letters in any case, with or without accents."""
    variants: dict[str, set[str]] = {}
    for code, base in FOLD_TABLE.items():
        variants.setdefault(base.casefold(), set()).add(chr(code))
    out = []
    for ch in word:
        base = fold(ch)
        chars = {ch, ch.lower(), ch.upper(), base, base.upper(), *variants.get(base, ())}
        if ch.isspace():
            out.append(space)
        else:
            out.append("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
    return "".join(out)


def _parts(name: str) -> list[str]:
    """The full name and each of its parts of three letters or more, longest first."""
    words = [w for w in re.split(r"[\s\-']+", name) if len(w) >= 3]
    return [p for p in sorted({name.strip(), *words}, key=len, reverse=True) if p]


def name_pattern(
    name: str, shorthands: Collection[str] = (), keep: Collection[str] = ()
) -> re.Pattern[str]:
    """The participant's name as it may be typed in a text: the full name and each
    of its parts of three letters or more, whole words, in any case, with or
    without accents ("Élodie", "ELODIE", "elodie"); and each of `shorthands`
    typed after an @ (`@elo`). The full names in `keep` (the others', N+1s
    included) are matched first, as the group `keep`, to be left as they are
    (`_reword`): erasing Marc Leroy leaves Marc Dubois his name."""
    alternatives = "|".join(_letters(p) for p in _parts(name))
    at = "|".join(re.escape(q) for q in sorted(shorthands, key=len, reverse=True))
    # an @ of theirs goes whole: "@gwe" is theirs as much as "Gwendal"
    said = rf"|(?<![\w@])@(?:{at})(?![\w-])" if at else ""
    kept = "|".join(_letters(k.strip()) for k in sorted(keep, key=len, reverse=True) if k.strip())
    first = rf"(?P<keep>(?<!\w)(?:{kept})(?!\w))|" if kept else ""
    return re.compile(rf"{first}(?<!\w)(?:{alternatives})(?!\w){said}")


def _reword(pattern: re.Pattern[str], neutral: str, text: str) -> str:
    """`text` with the neutral word for each match of `pattern`, but a name it keeps."""
    if "keep" not in pattern.groupindex:
        return pattern.sub(neutral, text)
    return pattern.sub(lambda m: m.group("keep") or neutral, text)


def _kept_names(data: Doc, pid: str) -> list[str]:
    """The other people an engagement file names in fields of their own: the
    other participants and every N+1 (theirs, the engagement's)."""
    people = [p for p in _people(data) if p.get("id") != pid]
    engagements = [e for e in data.get("engagement", {}).values() if isinstance(e, dict)]
    names = [str(p.get(k) or "") for p in people for k in ("name", "sponsor")]
    return [n for n in names + [str(e.get("sponsor") or "") for e in engagements] if n.strip()]


def file_name_pattern(names: Collection[str]) -> re.Pattern[str]:
    """`names` as a file name holds them: as `name_pattern` does, but an underscore,
    a hyphen, a dot or a digit also ends a word ("recap_Eva.md", "Eva2.md",
    "Damien_Roux-notes"), and the first three join the parts of a full name."""
    parts = sorted({p for n in names for p in _parts(n)}, key=len, reverse=True)
    alternatives = "|".join(_letters(p, r"[\s_.\-]+") for p in parts)
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])")


def shorthands_of(data: Doc, pid: str) -> set[str]:
    """The `@prefix`es typed in `data` (an engagement file's contents) that name
    participant `pid`, alone or among others (an id, a prefix of an id or of a
    name: `concerns.mentioned`): once they are erased, the prefix would name no
    one, or someone else, and still show who was meant."""
    people = [(str(p.get("id", "")), str(p.get("name", ""))) for p in _people(data)]
    found: set[str] = set()
    for text in _strings(data):
        for query in MENTION.findall(text):
            if _names(query, pid, people):
                found.add(query)
    return found


def _people(data: Doc) -> list[Doc]:
    return [p for p in data.get("participants", {}).values() if isinstance(p, dict)]


def _names(query: str, pid: str, people: list[tuple[str, str]]) -> bool:
    """Whether `@query` names `pid`, alone or as one of several candidates (an
    exact id or whole name names one person: `find_participant`)."""
    if any(i == query for i, _ in people):
        return query == pid
    exact = [i for i, n in people if same_person(n, query)]
    if len(exact) == 1:
        return exact[0] == pid
    folded = fold(query)
    return any(
        i == pid and (i.startswith(query.lower()) or fold(n).startswith(folded)) for i, n in people
    )


def _strings(value: Any, key: str = "") -> list[str]:
    if key in _REFERENCES:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    return []


def _replace_names(value: Any, pattern: re.Pattern[str], neutral: str, key: str = "") -> Any:
    if key in _REFERENCES:
        return value
    if isinstance(value, str):
        return _reword(pattern, neutral, value)
    if isinstance(value, list):
        return [_replace_names(v, pattern, neutral) for v in value]
    if isinstance(value, dict):
        return {k: _replace_names(v, pattern, neutral, k) for k, v in value.items()}
    return value


def _without_them(validations: list[Doc] | None, pid: str) -> list[Doc]:
    return [v for v in validations or [] if v.get("by") != pid]


def _rehash(validations: list[Doc], old: str, new: str) -> None:
    """Validations that held for the text before the name left it hold after."""
    for v in validations:
        if v.get("text_sha256") == old:
            v["text_sha256"] = new


def scrub(data: Doc, pid: str, name: str, neutral: str) -> Doc:
    """`data` (an engagement file's contents, file version 2 or later) without the
    participant `pid` (see the module's docstring). A copy; `data` is unchanged."""
    shorthands = shorthands_of(data, pid)  # while they are still among the participants
    keep = _kept_names(data, pid)
    data = copy.deepcopy(data)
    people = data.get("participants", {})
    their_n1 = _their_own_n1(data, pid)
    for key in [k for k, p in people.items() if p.get("id") == pid]:
        del people[key]
    for p in people.values():
        if p.get("reports_to") == pid:
            p["reports_to"] = None
    sessions = data.get("sessions", {})
    gone_sessions = {s.get("number") for s in sessions.values() if s.get("participant") == pid}
    for key in [k for k, s in sessions.items() if s.get("participant") == pid]:
        del sessions[key]
    for s in sessions.values():
        if s.get("attendance"):
            s["attendance"] = [i for i in s["attendance"] if i != pid]
        if s.get("case_bringer") == pid:
            s.pop("case_bringer")
        about = s.get("message_about") or []
        if pid in about:
            rest = [i for i in about if i != pid]
            if rest:
                s["message_about"] = rest
            else:  # a message about them alone
                s.pop("message_about")
                s["sponsor_message"] = ""
                s["sponsor_message_validation"] = None
                s.pop("sponsor_message_validations", None)
        if "sponsor_message_validations" in s:
            s["sponsor_message_validations"] = _without_them(s["sponsor_message_validations"], pid)
    gone_competencies: set[str] = set()
    for table in _ITEM_TABLES:
        rows = data.get(table, {})
        for key in list(rows):
            doc = rows[key]
            about = doc.get("about") or []
            alone = about == [pid]
            in_gone_session = doc.get("session") is not None and doc["session"] in gone_sessions
            if alone or in_gone_session or doc.get("competency_id") in gone_competencies:
                if table == "competencies":
                    gone_competencies.add(doc.get("id", ""))
                del rows[key]
                continue
            if pid in about:
                doc["about"] = [i for i in about if i != pid]
            if "validations" in doc:
                doc["validations"] = _without_them(doc["validations"], pid)
    requests = data.get("access_requests", {})  # how their identity was checked: theirs
    for key in [k for k, r in requests.items() if r.get("participant") == pid]:
        del requests[key]
    _out_of_the_export_log(data, pid, name, their_n1, neutral)
    for e in data.get("engagement", {}).values():
        if "closing_validations" in e:
            e["closing_validations"] = _without_them(e["closing_validations"], pid)
    pattern = name_pattern(name, shorthands, keep)
    before = copy.deepcopy(data)
    data = {
        table: (
            {k: _replace_names(doc, pattern, neutral) for k, doc in rows.items()}
            if isinstance(rows, dict) and table != "_file"
            else rows
        )
        for table, rows in data.items()
    }
    _keep_validations(before, data)
    return data


def _their_own_n1(data: Doc, pid: str) -> str | None:
    """The N+1 of participant `pid` that is no one else's (a peer's own N+1, whom
    no other participant has and who is not the engagement's): a report for them
    was about `pid`, and their name says who it was."""
    people = _people(data)
    me = next((p for p in people if p.get("id") == pid), None)
    n1 = str((me or {}).get("sponsor") or "")
    if not n1.strip():
        return None
    engagement: Doc = next(iter(data.get("engagement", {}).values()), {})
    others = [str(p.get("sponsor") or "") for p in people if p.get("id") != pid]
    if any(same_person(n1, n) for n in [str(engagement.get("sponsor") or ""), *others]):
        return None
    return n1


def _out_of_the_export_log(
    data: Doc, pid: str, name: str, their_n1: str | None, neutral: str
) -> None:
    """What left the store says neither who they are nor whom they report to: a
    file name typed with their name (or their own N+1's) has a neutral word in its
    place, and a copy made for them or for that N+1 no longer says for whom."""
    words = file_name_pattern([name, *([their_n1] if their_n1 else [])])
    for doc in data.get("exports", {}).values():
        recipient = doc.get("recipient")
        if recipient == pid or (
            their_n1 and isinstance(recipient, str) and same_person(recipient, their_n1)
        ):
            doc.pop("recipient")
        if isinstance(doc.get("filename"), str):
            doc["filename"] = words.sub(neutral, doc["filename"])


def _charter_hash(engagement: Doc) -> str | None:
    charter = engagement.get("charter")
    return Charter.model_validate(charter).sha256() if isinstance(charter, dict) else None


def _keep_validations(before: Doc, after: Doc) -> None:
    """Carry validations over the name's replacement (see the module's docstring)."""
    for table in ("notes", "actions"):
        for key, doc in after.get(table, {}).items():
            old = before[table][key].get("text", "")
            if doc.get("text") != old:
                _rehash(doc.get("validations", []), text_hash(old), text_hash(doc["text"]))
    for key, s in after.get("sessions", {}).items():
        old = before["sessions"][key].get("sponsor_message", "")
        if s.get("sponsor_message") != old:
            _rehash(
                s.get("sponsor_message_validations", []),
                text_hash(old),
                text_hash(s["sponsor_message"]),
            )
    for key, e in after.get("engagement", {}).items():
        was = before["engagement"][key]
        old = closing_hash(was.get("closing_synthesis", ""), was.get("closing_next", ""))
        new = closing_hash(e.get("closing_synthesis", ""), e.get("closing_next", ""))
        if old != new:
            _rehash(e.get("closing_validations", []), old, new)
        # the name's neutral word is no change of the charter's terms: whoever
        # agreed to it still has
        old_charter, new_charter = _charter_hash(was), _charter_hash(e)
        if old_charter and new_charter and old_charter != new_charter:
            agreements = [
                p["charter_agreement"] for p in _people(after) if p.get("charter_agreement")
            ]
            _rehash(agreements, old_charter, new_charter)


def erase_participant(ef: EngagementFile, pid: str) -> int:
    """Erase participant `pid` from the engagement and every copy of its file.
    Returns how many copies on disk were rewritten or removed (the file itself
    not counted). KeyError if there is no such participant."""
    store = ef.store
    neutral = t("participant.erased_word")
    with ef.batch():
        engagement = ef.engagement()
        person = engagement.member(pid)
        if person is None:
            raise KeyError(f"no participant {pid}")
        if engagement.individual:
            raise ValueError(t("participant.individual_has_one"))
        name = person.name
        current = ef.storage.read() or {}
        theirs = {
            s.get("number")
            for s in current.get("sessions", {}).values()
            if s.get("participant") == pid
        }
        shorthands = shorthands_of(current, pid)  # for the draft, typed in the same words
        ef.storage.write(scrub(current, pid, name, neutral))

    def change(raw: bytes, where: Path = ef.path) -> bytes | None:
        try:
            data = decode(where, raw, ef.storage.key, ef.id)
        except StoreFileError:
            return None  # unreadable: it may hold what is erased
        there = any(p.get("id") == pid for p in data.get("participants", {}).values())
        if not there and not any(
            pattern.search(str(data)) for pattern in (name_pattern(name), file_name_pattern([name]))
        ):
            return raw  # written before they joined, and naming them nowhere
        return encode(scrub(data, pid, name, neutral), ef.storage.key, ef.id)

    count = 0
    with store.lock(ef.id):
        for leftover in sorted(ef.path.parent.glob(f".{ef.path.name}.*.tmp")):
            leftover.unlink(missing_ok=True)
            count += 1
        for copy_path in store.backups.copies(ef.path):
            backups.rewrite_or_remove(copy_path, change)
            count += 1
        folder = store.backups.folder_for(ef.path)
        for partial in sorted(folder.glob(".*.tmp")) if folder.is_dir() else []:
            partial.unlink(missing_ok=True)  # a copy cut short
            count += 1
        quarantine = store.root / QUARANTINE
        if quarantine.is_dir():
            for q in sorted(p for p in quarantine.iterdir() if p.is_file()):
                # a damaged copy of this file cannot be rewritten: it goes
                if q.name.startswith(f"{ef.path.name}.") or _opens(q, ef.storage.key, ef.id):
                    backups.rewrite_or_remove(q, change)
                    count += 1
        drafts = store.root / "drafts"
        draft = drafts / f"{ef.id}.draft"
        keep = _kept_names(current, pid)
        count += _scrub_draft(draft, ef, name_pattern(name, shorthands, keep), neutral, pid, theirs)
        for leftover in sorted(drafts.glob(f".{ef.id}.draft.*.tmp")) if drafts.is_dir() else []:
            leftover.unlink(missing_ok=True)  # a draft's write cut short
            count += 1
    _forget_in_programmes(store, f"{ef.id}/{pid}")
    count += _reword_in_supervision(store, ef.id, name, neutral)
    store.refresh_summary(ef.id)
    return count


def _forget_in_programmes(store: object, person: str) -> None:
    """Their random programme key goes: no later feed names them (issue 14)."""
    from aoi_tui.store.programme_book import BOOK, ProgrammeBook

    if isinstance(store, Store) and (store.root / BOOK).exists():
        ProgrammeBook(store).forget({person})


def _reword_in_supervision(store: object, engagement_id: str, name: str, neutral: str) -> int:
    """What the coach learned of this case in supervision is typed text: their name
    in it becomes the neutral word, in the log and every copy of it."""
    from aoi_tui.store.supervision_log import LOG, SupervisionLog

    if not isinstance(store, Store) or not (
        (store.root / LOG).exists() or store.backups.folder_for(store.root / LOG).is_dir()
    ):
        return 0
    pattern = name_pattern(name)
    return len(SupervisionLog(store).reword_case(engagement_id, lambda s: pattern.sub(neutral, s)))


def _opens(path: Path, key: bytes, file_id: str) -> bool:
    try:
        decode(path, path.read_bytes(), key, file_id)
    except (OSError, StoreFileError):
        return False
    return True


def _scrub_draft(
    path: Path,
    ef: EngagementFile,
    pattern: re.Pattern[str],
    neutral: str,
    pid: str,
    their_sessions: set[Any],
) -> int:
    """The note being typed in a live session: gone with a one-to-one session of
    theirs, or when the coach chose them as whom it concerns (ctrl+r), else
    without their name."""
    if not path.exists():
        return 0
    draft_id = f"draft:{ef.id}"

    def change(raw: bytes) -> bytes | None:
        try:
            draft = decode(path, raw, ef.storage.key, draft_id)
        except StoreFileError:
            return None
        if draft.get("session") in their_sessions or pid in (draft.get("chosen") or []):
            return None
        return encode(_replace_names(draft, pattern, neutral), ef.storage.key, draft_id)

    backups.rewrite_or_remove(path, change)
    return 1


__all__ = ["erase_participant", "file_name_pattern", "name_pattern", "scrub", "shorthands_of"]
