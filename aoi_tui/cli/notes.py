"""`aoi note add|list|validate` and `aoi search`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from aoi_tui.cli.common import (
    CliError,
    data_root,
    engagement_id,
    open_the_store,
    out,
    read_note,
)
from aoi_tui.config import i18n
from aoi_tui.domain.vocabulary import (
    NoteKind,
    Role,
    Visibility,
)
from aoi_tui.store.store import store_exists


def cmd_note_add(args: argparse.Namespace) -> int:
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    # Standard input ends with a newline (echo, a heredoc, an editor): trailing
    # whitespace is no part of the note, and would end up in every export.
    text = read_note(args.text)
    try:
        session = ef.session(args.session)
    except KeyError:
        raise CliError(f"no session {args.session} in this engagement") from None
    engagement = ef.engagement()
    named = _mentions(engagement, text)
    chosen = _about(engagement, args.about) if args.about else None
    about = as_named = _named_first(chosen, named)
    if about:
        from aoi_tui.domain.concerns import with_the_case_bringer

        about = with_the_case_bringer(about, session, args.phase)
    note = ef.add_note(
        args.session,
        text,
        phase=args.phase,
        role=Role(args.role) if args.role else None,
        kind=NoteKind(args.kind),
        visibility=Visibility.SHAREABLE if args.shareable else Visibility.PRIVATE,
        about=about,
    )
    _flag_names(engagement, note)
    if chosen is not None and as_named != chosen:  # the @ said otherwise: said back
        who = ", ".join(p.name for p in engagement.participants if p.id in (as_named or []))
        print(f"aoi: {i18n.t('note.about_as_named', id=note.id, names=who)}", file=sys.stderr)
    out(args, {"id": note.id}, note.id)
    return 0


def _named_first(chosen: list[str] | None, named: list[str] | None) -> list[str] | None:
    """Whom a group's note concerns when its text names people with `@` (`named`)
    and `--about` said something (`chosen`), as in a live session, where the @
    wins over the person or the group chosen with one key: the @'s people, never
    the group (the shorthand would reach the group's recap, and an N+1, on the
    group's word alone). `--about` naming people keeps them too (only more
    validations are asked)."""
    from aoi_tui.domain.models import GROUP

    if named == [GROUP] and chosen not in (None, [GROUP]):
        raise CliError(i18n.t("about.group_and_people"))  # @group, --about someone
    if not named or chosen is None:
        return chosen or named
    if chosen == [GROUP]:
        return named
    return [*chosen, *(i for i in named if i not in chosen)]


def _mentions(engagement: Any, text: str) -> list[str] | None:
    """In a group, people named in the text as in a live session (`@cla`): whom
    the note concerns; none: `--about`, else the session's default
    (`concerns.default_about`). A name that matches no one, or several, is
    refused with the candidates, `--about` given or not (a live session's Enter
    refuses it too). `@group` (`@groupe`) says the group."""
    from aoi_tui.domain.concerns import mentioned, names_the_group
    from aoi_tui.domain.models import GROUP

    if engagement.individual:
        return None
    found, problems = mentioned(text, engagement.participants)
    group = names_the_group(text, engagement.participants)
    if group and found:
        problems.append(i18n.t("about.group_and_people"))
    if problems:
        raise CliError(problems[0])
    if group:  # @group, @groupe: the group's, as the notes list says it
        return [GROUP]
    return [p.id for p in found] or None


def _flag_names(engagement: Any, note: Any) -> None:
    """A group item whose text names a participant is flagged: it may be about them."""
    from aoi_tui.domain.concerns import concerned, named_in

    if engagement.individual or not concerned(note, engagement).group:
        return
    names = named_in(note.text, engagement.participants)
    if names:
        print(
            f"aoi: note {note.id} concerns the group but names "
            f"{', '.join(p.name for p in names)}: if it is about them, say so with --about",
            file=sys.stderr,
        )


def _about(engagement: Any, given: list[str]) -> list[str]:
    """`--about`, as ids: the group, or participants each named by id or prefix."""
    from aoi_tui.cli.participants import named
    from aoi_tui.domain.models import GROUP

    if engagement.individual:
        raise CliError(
            "--about is for a collective engagement: every note of an individual one "
            "concerns its coachee"
        )
    if any(g.strip().lower() == GROUP for g in given):
        if len(given) > 1:
            raise CliError("a note concerns the group, or some participants, not both")
        return [GROUP]
    ids = [named(engagement, g).id for g in given]
    if len(set(ids)) != len(ids):
        raise CliError("a participant is named twice in --about")
    return ids


def cmd_note_list(args: argparse.Namespace) -> int:
    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    notes = ef.notes(args.session)
    rows: list[dict[str, Any]] = [
        {
            "id": n.id,
            "session": n.session,
            "phase": n.phase,
            "role": n.role.value if n.role else None,
            "kind": n.kind.value,
            "visibility": n.visibility.value,
            "validated": n.validated,
            "text": n.text,
        }
        for n in notes
    ]

    def human() -> str:
        # in the language chosen, as the engagements list; --json keeps the codes
        if not rows:
            return i18n.t("cli.no_note")
        from aoi_tui.domain.phases import phases_for

        kinds = {s.number: s.kind.value for s in ef.sessions()}
        lang = i18n.language()

        def phase(r: dict[str, Any]) -> str:
            try:
                found = [p for p in phases_for(kinds[r["session"]]) if p.id == r["phase"]]
            except KeyError:
                found = []
            return found[0].label(lang) if found else str(r["phase"])

        shown = [
            (
                r,
                phase(r),
                i18n.t(f"visibility.{r['visibility']}")
                + (f" {i18n.t('validated')}" if r["validated"] else ""),
            )
            for r in rows
        ]
        phase_width = max(len(p) for _, p, _ in shown)
        state_width = max(len(v) for _, _, v in shown)
        return "\n".join(
            f"{r['id']}  s{r['session']} {p:<{phase_width}}  {v:<{state_width}}  "
            f"{r['text'].splitlines()[0] if r['text'] else ''}"
            for r, p, v in shown
        )

    out(args, rows, human)
    return 0


def cmd_note_validate(args: argparse.Namespace) -> int:
    from aoi_tui.domain.allow_list import validation_open
    from aoi_tui.domain.models import Note

    store = open_the_store(args)
    ef = store.engagement(engagement_id(store, args.engagement))
    if not ef.engagement().individual:
        return _validate_in_group(args, ef)
    with ef.batch():
        if args.by:
            from aoi_tui.cli.participants import named

            coachee = ef.engagement().participants[0]
            if any(named(ef.engagement(), b).id != coachee.id for b in args.by):
                raise CliError("in an individual engagement only the coachee validates")
        if not validation_open(ef.engagement()):
            raise CliError("the coachee withdrew: nothing more is validated for the sponsor")
        try:
            note = ef.get(Note, args.note)
        except KeyError:
            raise CliError(f"no note {args.note} in this engagement") from None
        if note.visibility is not Visibility.SHAREABLE:
            raise CliError(i18n.t("cli_said.private_note_validate"))
        note.validate_by_coachee()
        ef.update(note)
    out(args, {"id": note.id, "validated": True}, i18n.t("cli_said.validated_by_coachee"))
    return 0


def _validate_in_group(args: argparse.Namespace, ef: Any) -> int:
    """`--by` each participant who validates the note, one to one. The note
    reaches anyone only once everyone it concerns has (`allow_list.reaches`)."""
    from aoi_tui.cli.participants import named
    from aoi_tui.domain.allow_list import validation_open_for
    from aoi_tui.domain.concerns import concerned
    from aoi_tui.domain.models import Note
    from aoi_tui.domain.validations import validate

    if not args.by:
        raise CliError(i18n.t("group_cli.validate_by_needed"))
    with ef.batch():
        engagement = ef.engagement()
        try:
            note = ef.get(Note, args.note)
        except KeyError:
            raise CliError(i18n.t("group_cli.no_note", id=args.note)) from None
        if note.visibility is not Visibility.SHAREABLE:
            raise CliError(i18n.t("group_cli.private_first"))
        people = [named(engagement, b) for b in args.by]
        concern = concerned(note, engagement)
        for p in people:
            if not concern.group and p.id not in concern.people:
                raise CliError(i18n.t("group_cli.not_theirs", name=p.name))
            if not validation_open_for(p, engagement):
                raise CliError(i18n.t("group_cli.withdrew", name=p.name))
            validate(note, p, engagement)
        ef.update(note)
    names = ", ".join(p.name for p in people)
    out(
        args,
        {"id": note.id, "validated_by": [p.id for p in people]},
        i18n.t("group_cli.validated_by", names=names),
    )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from aoi_tui.store.note_search import search_store

    if not store_exists(data_root(args)):
        out(args, [], "No match.")
        return 0
    store = open_the_store(args)
    ids = [engagement_id(store, args.engagement)] if args.engagement else None
    hits, problems = search_store(store, args.text, ids)
    for problem in problems:
        print(f"aoi: skipped {problem}", file=sys.stderr)

    def human() -> str:
        if not hits:
            return "No match."
        return "\n".join(
            f"{h.engagement_id}  {h.coachee}  "
            + (f"s{h.session} " if h.session else "")
            + f"{h.kind}{' ' + h.phase if h.phase else ''}  {h.snippet(args.text)}"
            for h in hits
        )

    out(args, [h.to_json() for h in hits], human)
    return 0
