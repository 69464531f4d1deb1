"""What every `aoi` command shares: its error, reading arguments and standard
input, opening the store, printing a result (human or `--json`), failing in one line."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from aoi_tui.access.opening import (
    PASSPHRASE_ENV,
    UnlockError,
    check_new_passphrase,
    create_store,
    open_store,
)
from aoi_tui.config.locations import data_dir
from aoi_tui.domain.text import clean
from aoi_tui.store.store import Store, store_exists


class CliError(Exception):
    """Bad input: the message is shown as is."""


class Parser(argparse.ArgumentParser):
    """Usage errors (a bad date, a missing argument) as one short line too:
    argparse's own error prints the whole usage block, which breaks the contract."""

    def error(self, message: str) -> NoReturn:
        fail(f"{message} (see `{self.prog} --help`)", 2)


def interactive() -> bool:
    return sys.stdin.isatty()


def prompt(label: str) -> str:
    return getpass.getpass(label)


def out(args: argparse.Namespace, data: Any, human: str | Callable[[], str]) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human() if callable(human) else human)


def data_root(args: argparse.Namespace) -> Path:
    return data_dir(args.data_dir)


def new_passphrase(env: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        check_new_passphrase(value)
        return value
    if not interactive():
        raise CliError(f"no terminal to type a passphrase in: set {env}")
    print(
        "Choose a passphrase. It encrypts every note on this machine; without it (or the\n"
        "recovery code shown next) nobody, you included, can read them again.",
        file=sys.stderr,
    )
    for _ in range(3):
        first = prompt("New passphrase: ")
        try:
            check_new_passphrase(first)
        except UnlockError as exc:
            print(str(exc).capitalize() + ".", file=sys.stderr)
            continue
        if prompt("Same passphrase again: ") == first:
            return first
        print("The two passphrases differ; try again.", file=sys.stderr)
    raise CliError("no passphrase chosen")


def show_recovery_code(code: str) -> None:
    print(
        "\nRecovery code (shown once; write it down and keep it apart from this machine):\n\n"
        f"    {code}\n\n"
        "It opens the store if the passphrase is forgotten: `aoi passphrase --recover`.\n",
        file=sys.stderr,
    )


def open_the_store(args: argparse.Namespace, create: bool = False) -> Store:
    root = data_root(args)
    if not store_exists(root):
        if not create:
            raise CliError(
                f"no aoi store in {root} yet: `aoi demo` creates one with a fictional "
                "engagement, `aoi engagement new` with a real one"
            )
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if passphrase is None:
            passphrase = new_passphrase(PASSPHRASE_ENV)
        store, code = create_store(root, passphrase)
        print(f"Created an encrypted store in {root}.", file=sys.stderr)
        show_recovery_code(code)
        return store
    return open_store(root, prompt if interactive() else None)


def engagement_id(store: Store, prefix: str) -> str:
    return store.resolve(prefix)


def read_note(value: str) -> str:
    """A note's text: the argument, or standard input for "-", read as UTF-8 and
    at most MAX_NOTE_CHARS characters (more bytes than that are not even read)."""
    from aoi_tui.domain.models import MAX_NOTE_CHARS, note_too_long

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


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_consent_date(value: str) -> date:
    from aoi_tui.domain.models import consent_date_problem

    day = parse_date(value)
    problem = consent_date_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


def whole_number(low: int, high: int) -> Callable[[str], int]:
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


def yes_no(value: str) -> bool:
    """An argparse type: yes or no (oui/non too), nothing else."""
    folded = value.strip().lower()
    if folded in ("yes", "oui"):
        return True
    if folded in ("no", "non"):
        return False
    raise argparse.ArgumentTypeError(f"{value!r}: say yes or no")


def fail(message: str, code: int = 1) -> NoReturn:
    print(f"aoi: {message}", file=sys.stderr)
    raise SystemExit(code)
