"""The `aoi` command. A contract: scripts and acceptance checks use it.

Global options come before the command: `aoi [--data-dir DIR] COMMAND ...`.
Bad input exits non-zero with one short line on stderr, never a traceback.
Textual is imported only where the TUI is launched."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from aoi_tui import __version__, clock, i18n
from aoi_tui.durable import StoreWriteError
from aoi_tui.locations import data_dir
from aoi_tui.settings import SettingsError, load_settings
from aoi_tui.storage import StoreFileError
from aoi_tui.store import Store, StoreError, store_exists, store_present
from aoi_tui.text import clean
from aoi_tui.unlock import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    RECOVERY_ENV,
    UnlockError,
    check_new_passphrase,
    create_store,
    load_keyfile,
    open_store,
)
from aoi_tui.vocabulary import (
    PLANNED_SESSIONS,
    Audience,
    Format,
    NoteKind,
    Role,
    SessionKind,
    Status,
    Visibility,
)


class CliError(Exception):
    """Bad input: the message is shown as is."""


class _Parser(argparse.ArgumentParser):
    """Usage errors (a bad date, a missing argument) as one short line too:
    argparse's own error prints the whole usage block, which breaks the contract."""

    def error(self, message: str) -> NoReturn:
        _fail(f"{message} (see `{self.prog} --help`)", 2)


# -- helpers -------------------------------------------------------------------------


def _interactive() -> bool:
    return sys.stdin.isatty()


def _prompt(label: str) -> str:
    return getpass.getpass(label)


def _out(args: argparse.Namespace, data: Any, human: str | Callable[[], str]) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human() if callable(human) else human)


def _root(args: argparse.Namespace) -> Path:
    return data_dir(args.data_dir)


def _new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        check_new_passphrase(value)
        return value
    if not _interactive():
        raise CliError(f"no terminal to type a passphrase in: set {env}")
    print(
        "Choose a passphrase. It encrypts every note on this machine; without it (or the\n"
        "recovery code shown next) nobody, you included, can read them again.",
        file=sys.stderr,
    )
    for _ in range(3):
        first = _prompt("New passphrase: ")
        try:
            check_new_passphrase(first)
        except UnlockError as exc:
            print(str(exc).capitalize() + ".", file=sys.stderr)
            continue
        if _prompt("Same passphrase again: ") == first:
            return first
        print("The two passphrases differ; try again.", file=sys.stderr)
    raise CliError("no passphrase chosen")


def _show_recovery_code(code: str) -> None:
    print(
        "\nRecovery code (shown once; write it down and keep it apart from this machine):\n\n"
        f"    {code}\n\n"
        "It opens the store if the passphrase is forgotten: `aoi passphrase --recover`.\n",
        file=sys.stderr,
    )


def _store(args: argparse.Namespace, create: bool = False) -> Store:
    root = _root(args)
    if not store_exists(root):
        if not create:
            raise CliError(
                f"no aoi store in {root} yet: `aoi demo` creates one with a fictional "
                "engagement, `aoi engagement new` with a real one"
            )
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None:
            passphrase = _new_passphrase(PASSPHRASE_ENV)
        store, code = create_store(root, passphrase)
        print(f"Created an encrypted store in {root}.", file=sys.stderr)
        _show_recovery_code(code)
        return store
    return open_store(root, _prompt if _interactive() else None)


def _engagement_id(store: Store, prefix: str) -> str:
    return store.resolve(prefix)


def _read_note(value: str) -> str:
    """A note's text: the argument, or standard input for "-", read as UTF-8 and
    at most MAX_NOTE_CHARS characters (more bytes than that are not even read)."""
    from aoi_tui.models import MAX_NOTE_CHARS, note_too_long

    if value != "-":
        if not value.isascii() and any("\udc80" <= c <= "\udcff" for c in value):
            raise CliError("the note is not UTF-8 text: give it on standard input as UTF-8")
        text = value
    else:
        raw = sys.stdin.buffer.read(4 * MAX_NOTE_CHARS + 1)  # a character is at most 4 bytes
        if len(raw) > 4 * MAX_NOTE_CHARS:
            raise CliError(
                f"a note holds at most {MAX_NOTE_CHARS:,} characters; standard input holds "
                "more: split it into several notes"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CliError(
                f"standard input is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start}): convert it first, e.g. `iconv -f latin1 -t utf-8`"
            ) from None
    text = clean(text).rstrip()
    problem = note_too_long(text)
    if problem:
        raise CliError(problem)
    return text


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _parse_consent_date(value: str) -> date:
    from aoi_tui.models import consent_date_problem

    day = _parse_date(value)
    problem = consent_date_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, else a clear refusal
    (never a silent default in its place)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"{value!r} is not a whole number from {low} to {high}"
            )
        return number

    return parse


# -- commands -------------------------------------------------------------------------


def cmd_tui(args: argparse.Namespace) -> int:
    served = os.environ.get("AOI_SERVED") == "1"  # in a browser: textual-serve's own driver
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CliError("the TUI needs a terminal; `aoi --help` lists the commands")
    root = _root(args)
    # AOI_PASSPHRASE or a remembered key opens the store here, in a thread: Argon2id
    # runs while the UI is imported (it releases the GIL). Otherwise the TUI asks.
    opened: list[Store | BaseException] = []
    opener = threading.Thread(target=_open_quietly, args=(root, opened), daemon=True)
    if store_exists(root) and not served:
        opener.start()
    from aoi_tui.screens.app import run_app  # type: ignore[import-not-found,unused-ignore]

    store: Store | None = None
    if opener.is_alive() or opened:
        opener.join()
        result = opened[0] if opened else None
        if isinstance(result, Store):
            store = result
        elif (isinstance(result, UnlockError) and os.environ.get(PASSPHRASE_ENV) is not None) or (
            isinstance(result, BaseException) and not isinstance(result, UnlockError)
        ):
            raise result
    run_app(root, store, args.settings)
    return 0


def _open_quietly(root: Path, out: list[Store | BaseException]) -> None:
    try:
        out.append(open_store(root, prompt=None))
    except BaseException as exc:
        out.append(exc)


def cmd_demo(args: argparse.Namespace) -> int:
    from aoi_tui.demo import create_demo

    store = _store(args, create=True)
    eid, created = create_demo(store)
    _out(
        args,
        {"id": eid, "created": created},
        f"Demo engagement {'created' if created else 'already there'}: {eid}",
    )
    return 0


def _summary_json(store: Store, retention_days: int | None = None) -> list[dict[str, Any]]:
    today = clock.today()
    return [
        {
            "id": s.id,
            "coachee": s.coachee,
            "sponsor": s.sponsor,
            "coach": s.coach,
            "status": s.status,
            "format": s.format,
            "sessions_held": s.sessions_held,
            "planned_sessions": s.planned_sessions,
            "last_session": s.last_session.isoformat() if s.last_session else None,
            "next_session": s.next_session.isoformat() if s.next_session else None,
            "cadence_days": s.cadence_days,
            "overdue_days": s.cadence_overdue(today),
            "ended_on": s.ended_on.isoformat() if s.ended_on else None,
            "retention_due": s.retention_due(today, retention_days),
            "demo": s.demo,
        }
        for s in store.list_engagements()
    ]


def cmd_engagement_new(args: argparse.Namespace) -> int:
    from aoi_tui.models import Agreement, Engagement

    store = _store(args, create=True)
    fmt = Format(args.format or args.settings.default_format)
    engagement = Engagement(
        coachee=args.coachee,
        sponsor=args.sponsor,
        coach=args.coach or "",
        organisation=args.organisation or "",
        format=fmt,
        planned_sessions=PLANNED_SESSIONS[fmt] if args.sessions is None else args.sessions,
        cadence_days=args.cadence,
        agreement=Agreement(consent_date=args.consent_date),
        # consent given: framed, as `aoi engagement consent` and the TUI do
        status=Status.ACTIVE if args.consent_date else Status.FRAMING,
    )
    store.create_engagement(engagement)
    _out(args, {"id": engagement.id}, engagement.id)
    return 0


def cmd_engagement_list(args: argparse.Namespace) -> int:
    if not store_exists(_root(args)):
        _out(args, [], i18n.t("cli.no_engagement"))
        return 0
    store = _store(args)
    rows = _summary_json(store, args.settings.retention_days)

    def human() -> str:
        # in the language chosen (--lang, AOI_LANG, the settings, the locale); --json keeps codes
        if not rows:
            return i18n.t("cli.no_engagement")
        lines = []
        for r in rows:
            line = i18n.t(
                "cli.engagement_line",
                id=r["id"],
                coachee=r["coachee"],
                sponsor=r["sponsor"],
                status=i18n.t(f"status.{r['status']}"),
                held=r["sessions_held"],
                planned=r["planned_sessions"],
                last=r["last_session"] or "—",
            )
            if r["overdue_days"]:
                line += "  " + i18n.t("cli.overdue", days=r["overdue_days"])
            if r["retention_due"]:
                line += "  " + i18n.t("cli.retention_due")
            lines.append(line)
        return "\n".join(lines)

    _out(args, rows, human)
    return 0


def _change_engagement(args: argparse.Namespace, change: Callable[[Any], str]) -> int:
    store = _store(args)
    ef = store.engagement(_engagement_id(store, args.engagement))
    with ef.batch():
        engagement = ef.engagement()
        message = change(engagement)
        ef.update(engagement)
    store.refresh_summary(ef.id)
    _out(args, {"id": ef.id, "status": engagement.status.value}, message)
    return 0


def cmd_engagement_consent(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        e.agreement = e.agreement.model_copy(update={"consent_date": args.date})
        if e.status is Status.FRAMING:
            e.status = Status.ACTIVE
        return f"Consent recorded on {args.date.isoformat()}."

    return _change_engagement(args, change)


def cmd_engagement_close(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        if e.status is Status.WITHDRAWN:
            raise CliError("this engagement was withdrawn; it cannot be closed")
        e.status = Status.CLOSED
        e.closed_on = clock.today()
        return "Engagement closed. Follow-up sessions can still be added."

    return _change_engagement(args, change)


def cmd_engagement_withdraw(args: argparse.Namespace) -> int:
    def change(e: Any) -> str:
        if e.status in (Status.WITHDRAWN, Status.CLOSED):
            raise CliError(f"this engagement is already {e.status.value}")
        e.status = Status.WITHDRAWN
        e.withdrawn_on = clock.today()
        return (
            "Engagement marked withdrawn. Nothing more reaches the sponsor than what "
            "was already validated."
        )

    return _change_engagement(args, change)


def cmd_session_new(args: argparse.Namespace) -> int:
    store = _store(args)
    ef = store.engagement(_engagement_id(store, args.engagement))
    engagement = ef.engagement()
    if engagement.status is Status.WITHDRAWN:
        raise CliError("the coachee withdrew from this engagement: no new session")
    kind = SessionKind(args.kind) if args.kind else _default_kind(engagement.format)
    session = ef.new_session(kind, args.settings.phase_minutes)
    _out(args, {"number": session.number}, f"Session {session.number} ({kind.value}) created.")
    return 0


def _default_kind(fmt: Format) -> SessionKind:
    return SessionKind.AOI if fmt is Format.AOI else SessionKind.COACHING


def cmd_note_add(args: argparse.Namespace) -> int:
    store = _store(args)
    ef = store.engagement(_engagement_id(store, args.engagement))
    # Standard input ends with a newline (echo, a heredoc, an editor): trailing
    # whitespace is no part of the note, and would end up in every export.
    text = _read_note(args.text)
    try:
        ef.session(args.session)
    except KeyError:
        raise CliError(f"no session {args.session} in this engagement") from None
    note = ef.add_note(
        args.session,
        text,
        phase=args.phase,
        role=Role(args.role) if args.role else None,
        kind=NoteKind(args.kind),
        visibility=Visibility.SHAREABLE if args.shareable else Visibility.PRIVATE,
    )
    _out(args, {"id": note.id}, note.id)
    return 0


def cmd_note_list(args: argparse.Namespace) -> int:
    store = _store(args)
    ef = store.engagement(_engagement_id(store, args.engagement))
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
        from aoi_tui.phases import phases_for

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

    _out(args, rows, human)
    return 0


def cmd_note_validate(args: argparse.Namespace) -> int:
    from aoi_tui.allow_list import validation_open
    from aoi_tui.models import Note

    store = _store(args)
    ef = store.engagement(_engagement_id(store, args.engagement))
    with ef.batch():
        if not validation_open(ef.engagement()):
            raise CliError("the coachee withdrew: nothing more is validated for the sponsor")
        try:
            note = ef.get(Note, args.note)
        except KeyError:
            raise CliError(f"no note {args.note} in this engagement") from None
        if note.visibility is not Visibility.SHAREABLE:
            raise CliError(
                "this note is private: make it shareable before the coachee validates it"
            )
        note.validate_by_coachee()
        ef.update(note)
    _out(args, {"id": note.id, "validated": True}, "Validated by the coachee.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from aoi_tui.export import ExportNotRecorded, build_export, shown, write_export

    store = _store(args)
    eid = _engagement_id(store, args.engagement)
    if args.recap:
        if args.shared or args.confidential:
            raise CliError("choose one export: --shared, --confidential, or --session N --recap")
        if args.session is None:
            raise CliError("--recap is the recap of one session: add --session N")
        audience = Audience.RECAP
    elif args.session is not None:
        raise CliError("--session goes with --recap (the recap of one session)")
    elif args.shared or args.confidential:
        audience = Audience.SHARED if args.shared else Audience.CONFIDENTIAL
    else:
        raise CliError("say what to export: --shared, --confidential, or --session N --recap")
    export = build_export(store, eid, audience, args.format, i18n.language(), args.session)
    try:
        path = write_export(store, eid, export, args.output)
    except ExportNotRecorded as exc:
        raise CliError(str(exc)) from None  # written: not "nothing was changed"
    if path is not None:
        print(i18n.t("export.written", path=shown(path)), file=sys.stderr)  # one line
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    store = _store(args)
    eid = _engagement_id(store, args.engagement)
    summary = store.summary(eid)
    if not args.yes:
        if not _interactive():
            raise CliError("erasing is for good: add --yes to confirm")
        answer = input(
            f"Erase everything about {summary.coachee} (engagement {eid}), backups included? "
            "Type the engagement id to confirm: "
        )
        if answer.strip() != eid:
            raise CliError("not confirmed; nothing erased")
    removed = store.erase(eid)
    _out(
        args,
        {"id": eid, "erased": True, "files_removed": len(removed)},
        f"Erased engagement {eid}: its key (in every copy of the key file), its file and "
        f"every copy of it (backups, quarantine, draft), {len(removed)} file(s) in all.",
    )
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    root = _root(args)
    if args.recover:
        keyfile = load_keyfile(root)
        code = os.environ.get(RECOVERY_ENV)
        if code is None:
            if not _interactive():
                raise CliError(f"no terminal to type the recovery code in: set {RECOVERY_ENV}")
            code = _prompt("Recovery code: ")
        from aoi_tui.keyfile import WrongSecret

        try:
            master = keyfile.unlock_with_recovery(code)
        except WrongSecret:
            raise CliError("this recovery code does not open the store") from None
        store = Store(root, keyfile, master)
    else:
        store = _store(args)
    new = _new_passphrase(NEW_PASSPHRASE_ENV)
    from aoi_tui.passphrase import change_passphrase

    change_passphrase(store, new)
    _out(args, {"changed": True}, "Passphrase changed (the notes were not re-encrypted).")
    return 0


def cmd_keyring(args: argparse.Namespace) -> int:
    from aoi_tui import keyring_access

    if args.action == "remember":
        store = _store(args)
        try:
            keyring_access.remember(store.keyfile.store_id, store.master)
        except keyring_access.NoKeyring as exc:
            raise CliError(f"no usable keyring here ({exc}); type the passphrase instead") from None
        _out(args, {"remembered": True}, "The OS keyring now remembers this store's key.")
    else:
        keyfile = load_keyfile(_root(args))
        try:
            removed = keyring_access.forget(keyfile.store_id)
        except keyring_access.NoKeyring as exc:
            raise CliError(f"no usable keyring here ({exc})") from None
        _out(
            args,
            {"forgotten": removed},
            "The keyring no longer holds this store's key."
            if removed
            else "The keyring held no key for this store.",
        )
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from aoi_tui.doctor import run_doctor

    root = _root(args)
    if not store_present(root):  # a store without its key file is the doctor's to repair
        raise CliError(f"no aoi store in {root}")
    report = run_doctor(
        root,
        unlock=lambda: open_store(root, _prompt if _interactive() else None),
        repair=args.repair,
    )
    _out(args, report.to_json(), report.human)
    return 0 if report.healthy else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from aoi_tui.serve import serve

    if not 0 < args.port < 65536:
        raise CliError(f"{args.port} is not a port number")
    store_exists(_root(args))  # a store without its key file is refused here, not in the browser
    serve(_root(args), args.host, args.port, args.lang)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from aoi_tui.search import search_store

    if not store_exists(_root(args)):
        _out(args, [], "No match.")
        return 0
    store = _store(args)
    ids = [_engagement_id(store, args.engagement)] if args.engagement else None
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

    _out(args, [h.to_json() for h in hits], human)
    return 0


# -- parser ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="aoi",
        description="aoi: guide coaching sessions, keep notes encrypted, export the "
        "confidential file and the sponsor's report separately. With no command: the TUI.",
        epilog="Note text given as an argument lands in shell history: prefer `-` and "
        "standard input.",
    )
    p.add_argument("--version", action="version", version=f"aoi {__version__}")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data folder (default: $AOI_DATA_DIR, else the platform's user data folder)",
    )
    p.add_argument("--lang", choices=i18n.LANGUAGES, help="language of the UI and exports")
    p.set_defaults(func=cmd_tui)
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help: str,
        parent: Any = sub,
        json_flag: bool = True,
    ) -> argparse.ArgumentParser:
        sp: argparse.ArgumentParser = parent.add_parser(name, help=help, description=help)
        sp.set_defaults(func=func)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="print JSON")
        return sp

    command("demo", cmd_demo, "create the fictional demo engagement (once)")

    eng = sub.add_parser("engagement", help="create, list, close engagements")
    eng_sub = eng.add_subparsers(title="engagement commands", metavar="ACTION", required=True)
    sp = command("new", cmd_engagement_new, "frame a new engagement", eng_sub)
    sp.add_argument("--coachee", required=True, help="the person coached")
    sp.add_argument("--sponsor", required=True, help="the N+1 / sponsor")
    sp.add_argument("--coach", help="the coach's name")
    sp.add_argument("--organisation", help="the company or site")
    sp.add_argument(
        "--format",
        choices=[f.value for f in Format],
        help="default: the settings' default_format, else aoi",
    )
    sp.add_argument(
        "--sessions",
        type=_whole_number(1, 60),
        metavar="N",
        help="planned sessions, 1 to 60 (default by format)",
    )
    sp.add_argument(
        "--cadence",
        type=_whole_number(1, 365),
        default=21,
        metavar="DAYS",
        help="at most DAYS days between sessions (1 to 365)",
    )
    sp.add_argument("--consent-date", type=_parse_consent_date, metavar="YYYY-MM-DD")
    command("list", cmd_engagement_list, "list engagements", eng_sub)
    for name, func, help_text in (
        ("close", cmd_engagement_close, "close (follow-up sessions can still be added)"),
        ("withdraw", cmd_engagement_withdraw, "the coachee withdraws: mark it withdrawn"),
    ):
        sp = command(name, func, help_text, eng_sub)
        sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp = command("consent", cmd_engagement_consent, "record the coachee's consent", eng_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--date", type=_parse_consent_date, required=True, metavar="YYYY-MM-DD")

    ses = sub.add_parser("session", help="sessions")
    ses_sub = ses.add_subparsers(title="session commands", metavar="ACTION", required=True)
    sp = command("new", cmd_session_new, "start a new session", ses_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--kind", choices=[k.value for k in SessionKind])

    note = sub.add_parser("note", help="notes")
    note_sub = note.add_subparsers(title="note commands", metavar="ACTION", required=True)
    sp = command("add", cmd_note_add, "add a note (private unless --shareable)", note_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--session", type=int, required=True, metavar="N")
    sp.add_argument("--phase", help="phase id (default: the session's first)")
    sp.add_argument("--role", choices=[r.value for r in Role])
    sp.add_argument("--kind", choices=[k.value for k in NoteKind], default="observation")
    sp.add_argument("--shareable", action="store_true", help="may be shared once validated")
    sp.add_argument("text", metavar="TEXT", help="the note, or - to read standard input")
    sp = command("list", cmd_note_list, "list notes", note_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--session", type=int, metavar="N")
    sp = command("validate", cmd_note_validate, "record the coachee's validation", note_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("note", metavar="NOTE_ID")

    sp = command(
        "export",
        cmd_export,
        "export the sponsor's report or the confidential file",
        json_flag=False,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    who = sp.add_mutually_exclusive_group()
    who.add_argument("--shared", action="store_true", help="the report for the sponsor")
    who.add_argument("--confidential", action="store_true", help="the coach's full file")
    sp.add_argument("--recap", action="store_true", help="the coachee's recap of one session")
    sp.add_argument("--session", type=int, metavar="N", help="the session of the recap")
    sp.add_argument("--format", choices=["md", "html", "json"], default="md")
    sp.add_argument("-o", "--output", metavar="FILE", help="file to write, or - for stdout")

    sp = command("erase", cmd_erase, "erase an engagement for good, backups included")
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--yes", action="store_true", help="confirm without asking")

    sp = command("passphrase", cmd_passphrase, f"change the passphrase (${NEW_PASSPHRASE_ENV})")
    sp.add_argument(
        "--recover",
        action="store_true",
        help=f"use the recovery code (${RECOVERY_ENV}) instead of the current passphrase",
    )

    sp = command("keyring", cmd_keyring, "remember or forget the key in the OS keyring")
    sp.add_argument("action", choices=["remember", "forget"])

    sp = command(
        "serve",
        cmd_serve,
        "serve the TUI in a browser (loopback, token, passphrase)",
        json_flag=False,
    )
    sp.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sp.add_argument("--port", type=int, default=8765, help="port (default 8765)")

    sp = command("search", cmd_search, "search notes, actions and messages (accents ignored)")
    sp.add_argument("text", metavar="TEXT", help="words that must all appear")
    sp.add_argument("--engagement", metavar="ENGAGEMENT", help="only this engagement")

    sp = command("doctor", cmd_doctor, "check the store; --repair restores from backups")
    sp.add_argument("--repair", action="store_true", help="restore damaged files from backups")
    return p


def _fail(message: str, code: int = 1) -> NoReturn:
    print(f"aoi: {message}", file=sys.stderr)
    raise SystemExit(code)


def _validation_message(exc: Any) -> str:
    """The first problem of a pydantic ValidationError (a ValueError with .errors())."""
    first = exc.errors()[0]
    where = ".".join(str(x) for x in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.settings = load_settings()
    except SettingsError as exc:
        _fail(str(exc))
    # --lang, then AOI_LANG, then the settings file, then the locale
    i18n.set_language(args.lang or os.environ.get(i18n.LANG_ENV) or args.settings.language)
    try:
        result: int = args.func(args)
        return result
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except (CliError, StoreError, UnlockError, SettingsError) as exc:
        _fail(str(exc))
    except StoreFileError as exc:
        _fail(f"{exc}; `aoi doctor` checks the store and can restore from a backup")
    except StoreWriteError as exc:
        _fail(f"{exc}; nothing was changed")
    except ValueError as exc:
        # pydantic's ValidationError is a ValueError; not imported here, so that
        # the CLI and the first screen start without loading pydantic
        _fail(_validation_message(exc) if callable(getattr(exc, "errors", None)) else str(exc))
    except OSError as exc:
        _fail(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
    except Exception as exc:
        if os.environ.get("AOI_DEBUG"):
            raise
        _fail(f"unexpected error ({type(exc).__name__}: {exc}); AOI_DEBUG=1 shows the details")


if __name__ == "__main__":
    sys.exit(main())
