"""The `aoi` command. A contract: scripts and acceptance checks use it.

Global options come before the command: `aoi [--data-dir DIR] COMMAND ...`.
Bad input exits non-zero with one short line on stderr, never a traceback.
Textual is imported only where the TUI is launched."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from aoi_tui import __version__
from aoi_tui.access.opening import (
    NEW_PASSPHRASE_ENV,
    RECOVERY_ENV,
    UnlockError,
)
from aoi_tui.cli.access import add_access_options, add_access_request_commands
from aoi_tui.cli.agenda import add_agenda_commands
from aoi_tui.cli.cases import add_case_options, add_supervised_command
from aoi_tui.cli.common import (
    CliError,
    Parser,
    fail,
    parse_consent_date,
    parse_date,
    whole_number,
    yes_no,
)
from aoi_tui.cli.tui import (
    cmd_serve,
    cmd_tui,
)
from aoi_tui.config import i18n
from aoi_tui.config.settings import SettingsError, load_settings
from aoi_tui.domain.vocabulary import (
    Format,
    NoteKind,
    Role,
    SessionKind,
)
from aoi_tui.secure.durable import StoreWriteError
from aoi_tui.secure.storage import StoreFileError
from aoi_tui.store.store import StoreError

Command = Callable[[argparse.Namespace], int]


def later(group: str, name: str) -> Command:
    """A command of `aoi_tui.cli.<group>`, imported when it runs: `aoi` alone (the
    TUI) loads none of the other commands before its first screen."""

    def run(args: argparse.Namespace) -> int:
        found: Command = getattr(importlib.import_module(f"aoi_tui.cli.{group}"), name)
        return found(args)

    run.__name__ = name
    return run


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
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

    sp = command(
        "demo", later("engagements", "cmd_demo"), "create the fictional demo engagement (once)"
    )
    sp.add_argument(
        "--group", action="store_true", help="print the team demo's id (made with the others)"
    )

    eng = sub.add_parser("engagement", help="create, list, close engagements")
    eng_sub = eng.add_subparsers(title="engagement commands", metavar="ACTION", required=True)
    sp = command(
        "new", later("engagements", "cmd_engagement_new"), "frame a new engagement", eng_sub
    )
    sp.add_argument("--coachee", help="the person coached (an individual engagement)")
    sp.add_argument("--sponsor", help="the N+1 / sponsor (a peer group's: none by default)")
    sp.add_argument("--group", metavar="NAME", help="a collective engagement's name")
    sp.add_argument("--form", choices=["team", "peers"], help="with --group: a team or peers")
    sp.add_argument(
        "--participant", action="append", metavar="NAME", help="with --group: repeatable"
    )
    sp.add_argument("--programme", metavar="NAME", help="a programme joined here (issue 14)")
    sp.add_argument("--site", metavar="NAME", help="with --programme: one of its sites")
    sp.add_argument("--across-sites", action="store_true", help="with --programme: a peer group's")
    sp.add_argument("--coach", help="the coach's name")
    sp.add_argument("--organisation", help="the company or site")
    sp.add_argument(
        "--format",
        choices=[f.value for f in Format],
        help="default: the settings' default_format, else aoi",
    )
    sp.add_argument(
        "--sessions",
        type=whole_number(1, 60),
        metavar="N",
        help="planned sessions, 1 to 60 (default by format)",
    )
    sp.add_argument(
        "--cadence",
        type=whole_number(1, 365),
        default=21,
        metavar="DAYS",
        help="at most DAYS days between sessions (1 to 365)",
    )
    sp.add_argument("--consent-date", type=parse_consent_date, metavar="YYYY-MM-DD")
    command("list", later("engagements", "cmd_engagement_list"), "list engagements", eng_sub)
    for name, func, help_text in (
        (
            "close",
            later("engagements", "cmd_engagement_close"),
            "close (follow-up sessions can still be added)",
        ),
        (
            "withdraw",
            later("engagements", "cmd_engagement_withdraw"),
            "the coachee withdraws: mark it withdrawn",
        ),
    ):
        sp = command(name, func, help_text, eng_sub)
        sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp = command(
        "consent",
        later("engagements", "cmd_engagement_consent"),
        "record the coachee's consent",
        eng_sub,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--date", type=parse_consent_date, required=True, metavar="YYYY-MM-DD")
    add_supervised_command(eng_sub, command)
    add_agenda_commands(sub, eng_sub, command)

    ses = sub.add_parser("session", help="sessions")
    ses_sub = ses.add_subparsers(title="session commands", metavar="ACTION", required=True)
    sp = command("new", later("engagements", "cmd_session_new"), "start a new session", ses_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--kind", choices=[k.value for k in SessionKind])
    sp.add_argument(
        "--participant", metavar="PARTICIPANT", help="in a group: a one-to-one session with them"
    )
    sp.add_argument(
        "--present", action="append", metavar="PARTICIPANT", help="in a group: who came"
    )
    sp.add_argument("--case-bringer", metavar="PARTICIPANT", help="a peer session's case")

    note = sub.add_parser("note", help="notes")
    note_sub = note.add_subparsers(title="note commands", metavar="ACTION", required=True)
    sp = command(
        "add", later("notes", "cmd_note_add"), "add a note (private unless --shareable)", note_sub
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--session", type=int, required=True, metavar="N")
    sp.add_argument("--phase", help="phase id (default: the session's first)")
    sp.add_argument("--role", choices=[r.value for r in Role])
    sp.add_argument("--kind", choices=[k.value for k in NoteKind], default="observation")
    sp.add_argument("--shareable", action="store_true", help="may be shared once validated")
    sp.add_argument(
        "--about",
        action="append",
        metavar="PARTICIPANT|group",
        help="in a group: whom the note concerns (repeatable)",
    )
    sp.add_argument("text", metavar="TEXT", help="the note, or - to read standard input")
    sp = command("list", later("notes", "cmd_note_list"), "list notes", note_sub)
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--session", type=int, metavar="N")
    sp = command(
        "validate",
        later("notes", "cmd_note_validate"),
        "record the coachee's validation",
        note_sub,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("note", metavar="NOTE_ID")
    sp.add_argument(
        "--by", action="append", metavar="PARTICIPANT", help="in a group: who validates"
    )

    sp = command(
        "export",
        later("exports", "cmd_export"),
        "export the sponsor's report or the confidential file",
        json_flag=False,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    who = sp.add_mutually_exclusive_group()
    who.add_argument("--shared", action="store_true", help="the report for the sponsor")
    who.add_argument("--confidential", action="store_true", help="the coach's full file")
    add_case_options(sp, who)
    add_access_options(who)
    sp.add_argument("--recap", action="store_true", help="the coachee's recap of one session")
    sp.add_argument("--session", type=int, metavar="N", help="the session of the recap")
    sp.add_argument("--for-sponsor", metavar="NAME", help="in a group: the report for this N+1")
    sp.add_argument(
        "--participant", metavar="PARTICIPANT", help="in a group: this participant's recap"
    )
    sp.add_argument(
        "--format",
        choices=["md", "html", "json", "docx"],
        default="md",
        help="docx: a Word file, written to a file only (-o FILE or the default name)",
    )
    sp.add_argument("-o", "--output", metavar="FILE", help="file to write, or - for stdout")

    add_participant_commands(sub, command)
    add_access_request_commands(sub, command)
    sp = command(
        "charter",
        later("participants", "cmd_engagement_charter"),
        "a group's charter (each participant then agrees to it)",
        eng_sub,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    for flag in ("--confidentiality", "--attendance", "--recipients", "--leaving"):
        sp.add_argument(flag, metavar="TEXT")
    sp.add_argument("--group-items-to-sponsors", type=yes_no, metavar="yes|no")

    sp = command(
        "erase", later("care", "cmd_erase"), "erase an engagement for good, backups included"
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--yes", action="store_true", help="confirm without asking")

    sp = command(
        "passphrase",
        later("care", "cmd_passphrase"),
        f"change the passphrase (${NEW_PASSPHRASE_ENV})",
    )
    sp.add_argument(
        "--recover",
        action="store_true",
        help=f"use the recovery code (${RECOVERY_ENV}) instead of the current passphrase",
    )

    sp = command(
        "keyring", later("care", "cmd_keyring"), "remember or forget the key in the OS keyring"
    )
    sp.add_argument("action", choices=["remember", "forget"])

    sp = command(
        "serve",
        cmd_serve,
        "serve the TUI in a browser (loopback, token, passphrase)",
        json_flag=False,
    )
    sp.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sp.add_argument("--port", type=int, default=8765, help="port (default 8765)")

    sp = command(
        "search",
        later("notes", "cmd_search"),
        "search notes, actions and messages (accents ignored)",
    )
    sp.add_argument("text", metavar="TEXT", help="words that must all appear")
    sp.add_argument("--engagement", metavar="ENGAGEMENT", help="only this engagement")

    sup = sub.add_parser("supervision", help="the coach's supervision log")
    sup_sub = sup.add_subparsers(title="supervision commands", metavar="ACTION", required=True)
    sp = command("add", later("supervision", "cmd_supervision_add"), "log a supervision", sup_sub)
    sp.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day it took place")
    sp.add_argument("--supervisor", required=True, metavar="NAME", help="who supervised")
    sp.add_argument("--hours", required=True, metavar="H", help="1.5, 1h30 or 90min")
    sp.add_argument("--group", action="store_true", help="group supervision (default: individual)")
    sp.add_argument(
        "--case", metavar="ENGAGEMENT_ID", help="the case: an engagement's id, never a name"
    )
    sp.add_argument("--learned", metavar="TEXT", help="what you learned, or - for standard input")
    sp = command(
        "list", later("supervision", "cmd_supervision_list"), "list the log and its totals", sup_sub
    )
    sp.add_argument("--from", dest="start", type=parse_date, metavar="YYYY-MM-DD")
    sp.add_argument("--to", dest="end", type=parse_date, metavar="YYYY-MM-DD")

    sp = command(
        "doctor", later("care", "cmd_doctor"), "check the store; --repair restores from backups"
    )
    sp.add_argument("--repair", action="store_true", help="restore damaged files from backups")
    prog = sub.add_parser("programme", help="programmes: many engagements, figures for HR")
    prog_sub = prog.add_subparsers(title="programme commands", metavar="ACTION", required=True)
    sp = command("new", later("programme", "cmd_programme_new"), "define a programme", prog_sub)
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("--site", action="append", required=True, metavar="NAME", help="repeatable")
    sp.add_argument("--period-months", type=whole_number(1, 12), default=3, metavar="N")
    sp.add_argument("--min-group", type=whole_number(3, 100), default=5, metavar="K")
    sp.add_argument("--start", type=later_month, metavar="YYYY-MM", help="first period's month")
    sp.add_argument("--referential", default="first-line-manager", metavar="ID")
    sp.add_argument("-o", "--output", required=True, metavar="PROGRAMME_FILE")
    sp = command("join", later("programme", "cmd_programme_join"), "join a programme", prog_sub)
    sp.add_argument("programme_file", metavar="PROGRAMME_FILE")
    sp = command(
        "report",
        later("programme", "cmd_programme_report"),
        "the programme's figures from the coaches' feeds (in the lead's store)",
        prog_sub,
        json_flag=False,
    )
    sp.add_argument("feeds", nargs="+", metavar="FEED")
    sp.add_argument("--format", choices=["html", "md", "json", "csv"], default="html")
    sp.add_argument("-o", "--output", metavar="FILE", help="file to write, or - for stdout")
    sp = command(
        "enrol",
        later("programme", "cmd_programme_enrol"),
        "put an engagement in a joined programme, at one of its sites",
        prog_sub,
    )
    sp.add_argument("engagement", metavar="ENGAGEMENT")
    sp.add_argument("--programme", metavar="NAME", help="a programme joined here (name or id)")
    sp.add_argument("--site", metavar="NAME", help="one of the programme file's sites")
    sp.add_argument("--across-sites", action="store_true", help="a peer group over several sites")
    sp.add_argument("--leave", action="store_true", help="take it out of its programme")
    sp = command(
        "feed",
        later("programme", "cmd_programme_feed"),
        "what this store sends the programme lead, encrypted to the lead",
        prog_sub,
        json_flag=False,
    )
    sp.add_argument("programme", metavar="NAME")
    sp.add_argument(
        "--show", action="store_true", help="print the feed in clear here; write nothing"
    )
    sp.add_argument("-o", "--output", metavar="FILE", help="file to write, or - for stdout")
    sp = command(
        "decrypt",
        later("programme", "cmd_programme_decrypt"),
        "the feeds in clear as JSON, for the firm's own tools (in the lead's store)",
        prog_sub,
        json_flag=False,
    )
    sp.add_argument("feeds", nargs="+", metavar="FEED")
    sp.add_argument("-o", "--output", required=True, metavar="FILE", help="file, or - for stdout")
    sp = command("list", later("programme", "cmd_programme_list"), "programmes here", prog_sub)
    return p


def add_participant_commands(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """`aoi participant ...`: the people of a collective engagement."""
    par = sub.add_parser("participant", help="the participants of a collective engagement")
    par_sub = par.add_subparsers(title="participant commands", metavar="ACTION", required=True)

    def one(name: str, help_text: str, whom: bool = True) -> argparse.ArgumentParser:
        sp = command(name, later("participants", f"cmd_participant_{name}"), help_text, par_sub)
        sp.add_argument("engagement", metavar="ENGAGEMENT")
        if whom:
            sp.add_argument(
                "participant", metavar="PARTICIPANT", help="id, or prefix of id or name"
            )
        return sp

    sp = one("add", "add a participant to a group", whom=False)
    sp.add_argument("name", metavar="NAME")
    sp.add_argument("--function", metavar="TEXT", help="their job")
    sp.add_argument("--sponsor", metavar="NAME", help="their own N+1 (a peer group's)")
    sp.add_argument("--reports-to", metavar="PARTICIPANT", help="their line manager, in the group")
    one("list", "list the participants (ids with --json)", whom=False)
    sp = one("consent", "record a participant's consent")
    sp.add_argument("--date", type=parse_consent_date, required=True, metavar="YYYY-MM-DD")
    sp = one("report", "what may be reported about a participant (off until agreed)")
    for flag in (
        "--own-items",
        "--attendance",
        "--objectives",  # objectives' progress
        "--competencies",
        "--programme-statistics",
    ):
        # a flag not given keeps what the participant agreed to (all start off)
        sp.add_argument(flag, type=yes_no, metavar="yes|no", help="left as it is if not given")
    sp = one("withdraw", "a participant withdraws (nothing of theirs reported after)")
    sp.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="default today")
    one("charter", "a participant agrees to the group's charter as it is now")
    sp = one("erase", "erase a participant for good, backups included")
    sp.add_argument("--yes", action="store_true", help="confirm without asking")


def later_month(value: str) -> Any:
    """--start: parsed by the programme module, loaded only then."""
    parse: Callable[[str], Any] = importlib.import_module("aoi_tui.cli.programme").parse_month
    return parse(value)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except BrokenPipeError:
        # `aoi … | head`: the reader has what it wanted. Python would still flush
        # stdout at exit and print the error: stdout goes nowhere from now on.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell says of a program stopped by SIGPIPE


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.settings = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    # --lang, then AOI_LANG, then the settings file, then the locale
    i18n.set_language(args.lang or os.environ.get(i18n.LANG_ENV) or args.settings.language)
    try:
        result: int = args.func(args)
        return result
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except (CliError, StoreError, UnlockError, SettingsError) as exc:
        fail(str(exc))
    except StoreFileError as exc:
        fail(i18n.t("store_file.see_doctor", problem=exc))
    except StoreWriteError as exc:
        fail(i18n.t("write.nothing_changed", reason=exc))
    except ValueError as exc:
        # pydantic's ValidationError is a ValueError; neither pydantic nor the words
        # for its problems are imported before one: the CLI starts without them
        from aoi_tui.domain.problems import Invalid, first_problem

        fail(first_problem(exc).plainly() if isinstance(exc, Invalid) else str(exc))
    except BrokenPipeError:
        raise  # said nothing of: `main`
    except OSError as exc:
        fail(f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
    except Exception as exc:
        if os.environ.get("AOI_DEBUG"):
            raise
        fail(f"unexpected error ({type(exc).__name__}: {exc}); AOI_DEBUG=1 shows the details")


if __name__ == "__main__":
    sys.exit(main())
