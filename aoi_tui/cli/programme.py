"""`aoi programme new|join|report`: a programme defined by its lead, joined by
each coach, reported from the coaches' encrypted feeds (issue 14). age (pyrage)
and the programme's code load only when one of these commands runs."""

from __future__ import annotations

import argparse
import json
import stat
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from aoi_tui.cli.common import CliError, open_the_store, out
from aoi_tui.config import i18n
from aoi_tui.domain import clock
from aoi_tui.store.store import Store

if TYPE_CHECKING:
    from aoi_tui.programme.definition import Programme
    from aoi_tui.programme.feed import Feed

MAX_FEED_BYTES = 200 * 1024 * 1024


def parse_month(value: str) -> date:
    try:
        return date.fromisoformat(value + "-01") if len(value) == 7 else date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a month (YYYY-MM)") from None


def write_guarded(
    store: Store, output: str | None, default_name: str, text: str, *, fresh: bool
) -> Path | None:
    """Write `text` to `output` (None: the default name; "-": standard output):
    never into the data folder, never over anything but a regular file, and for a
    `fresh` file never over an existing one."""
    from aoi_tui.secure.durable import write_atomic

    path = checked_target(store, output, default_name, fresh=fresh)
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    write_atomic(path, text.encode("utf-8"))
    return path


def checked_target(
    store: Store, output: str | None, default_name: str, *, fresh: bool
) -> Path | None:
    """Where `write_guarded` would write (None: standard output), refused as it
    would refuse it; checked first where something is kept before the writing."""
    from aoi_tui.exports.writing import ExportPathError, output_path

    path = output_path(store, output, default_name)
    if path is None:
        return None
    try:
        mode: int | None = path.lstat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None:
        if not stat.S_ISREG(mode):
            raise ExportPathError(path, "it is not a regular file (a link, a device, a FIFO)")
        if fresh:
            raise ExportPathError(path, "it exists already: choose another name")
    return path


def cmd_programme_new(args: argparse.Namespace) -> int:
    from aoi_tui.programme.age import new_key_pair
    from aoi_tui.programme.definition import ProgrammeError, new_programme
    from aoi_tui.store.programme_book import ProgrammeBook

    keys = new_key_pair()
    try:
        programme = new_programme(
            args.name,
            args.site,
            keys.public,
            start=args.start or clock.today(),
            period_months=args.period_months,
            min_group=args.min_group,
            referential_id=args.referential,
        )
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None
    store = open_the_store(args, create=True)  # after the checks: a refusal makes no store
    name = f"programme-{programme.id[:8]}.json"
    # the file's place is checked before the key is kept: a refused one leaves no
    # programme in the book that no file was written for
    checked_target(store, args.output, name, fresh=True)
    # the key first: a programme file without its key in the lead's store would
    # receive feeds nobody can read
    ProgrammeBook(store).lead(programme.id, programme.model_dump(mode="json"), keys.secret)
    path = write_guarded(store, args.output, name, programme.dumps(), fresh=True)
    out(
        args,
        {"id": programme.id, "file": str(path) if path else None, "lead_key": programme.lead_key},
        f"Programme {programme.name!r} ({programme.id}) written to {path or 'standard output'}; "
        "its lead key stays in this store: run `aoi programme report` here.",
    )
    return 0


def cmd_programme_join(args: argparse.Namespace) -> int:
    from aoi_tui.programme.definition import ProgrammeError, read_programme
    from aoi_tui.store.programme_book import ProgrammeBook

    try:
        programme = read_programme(Path(args.programme_file).expanduser())
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None
    store = open_the_store(args, create=True)
    try:
        _, fresh = ProgrammeBook(store).join(programme.id, programme.model_dump(mode="json"))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    sites = ", ".join(s.name for s in programme.sites)
    out(
        args,
        {
            "id": programme.id,
            "name": programme.name,
            "joined": fresh,
            "lead_key": programme.lead_key,
            "min_group": programme.min_group,
        },
        f"{'Joined' if fresh else 'Updated'} programme {programme.name!r} ({programme.id}); "
        f"its sites: {sites}. Feeds are encrypted to the lead key {programme.lead_key}: "
        "check it with the programme lead before sending the first one.",
    )
    return 0


def _read_feed(value: str) -> bytes:
    from aoi_tui.programme.definition import ProgrammeError, read_small_file

    try:
        return read_small_file(Path(value).expanduser(), MAX_FEED_BYTES, "feed")
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None


def _lead_feeds(store: Store, paths: list[str]) -> tuple[Programme, list[tuple[str, Feed]]]:
    """The feeds, decrypted with the lead key this store keeps, and checked."""
    from aoi_tui.programme.definition import Programme, ProgrammeError
    from aoi_tui.programme.report import read_feeds
    from aoi_tui.store.programme_book import ProgrammeBook

    book = ProgrammeBook(store)

    def programme_for(programme_id: str) -> tuple[Programme, str]:
        led = book.led(programme_id)
        if led is None:
            raise ProgrammeError(
                f"this store does not lead programme {programme_id!r}: run this in "
                "the store where `aoi programme new` made it"
            )
        return Programme.model_validate(led[0]), led[1]

    try:
        programme, _, feeds = read_feeds(paths, _read_feed, programme_for)
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None
    return programme, feeds


def cmd_programme_decrypt(args: argparse.Namespace) -> int:
    """The feeds in clear, for the firm's own tools (JSON Schema in docs/)."""
    from aoi_tui.programme.feed import dumps

    store = open_the_store(args)
    programme, feeds = _lead_feeds(store, list(args.feeds))
    docs = [json.loads(dumps(feed)) for _, feed in feeds]
    text = json.dumps(docs, ensure_ascii=False, indent=1) + "\n"
    name = f"aoi-feeds-{programme.id[:8]}-{clock.today().isoformat()}.json"
    path = write_guarded(store, args.output, name, text, fresh=False)
    if path is not None:
        print(
            f"{len(docs)} feed(s) of programme {programme.name!r} written in clear to {path}: "
            "pseudonymised personal data, keep it as such.",
            file=sys.stderr,
        )
    return 0


def cmd_programme_report(args: argparse.Namespace) -> int:
    from aoi_tui.programme.definition import ProgrammeError
    from aoi_tui.programme.render import render
    from aoi_tui.programme.report import build_report
    from aoi_tui.store.programme_book import ProgrammeBook

    store = open_the_store(args)
    book = ProgrammeBook(store)
    programme, feeds = _lead_feeds(store, list(args.feeds))
    try:
        report, entry = build_report(programme, feeds, book.register(programme.id), clock.today())
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None
    text = render(report, args.format, i18n.language())
    # registered before it is written: the next report is checked against it even
    # if the writing fails (safe), never the other way round
    book.add_to_register(programme.id, entry)
    name = f"aoi-programme-{programme.id[:8]}-{report.made_on.isoformat()}.{args.format}"
    path = write_guarded(store, args.output, name, text, fresh=False)
    if path is not None:
        print(
            f"Programme report written to {path} ({report.decision.count} figure(s) suppressed).",
            file=sys.stderr,
        )
    return 0


# -- a coach's side: which engagements are in a programme, and the feed ---------


def joined_programme(store: Store, query: str) -> Programme:
    """A programme this store has joined, by its name (case ignored) or a prefix of
    its id; a name matching none or several is refused with the candidates."""
    from aoi_tui.programme.definition import Programme
    from aoi_tui.store.programme_book import ProgrammeBook

    book = ProgrammeBook(store)
    joined = [Programme.model_validate(book.joined(pid)) for pid in book.joined_ids()]
    if not joined:
        raise CliError(
            "this store has joined no programme: `aoi programme join PROGRAMME_FILE` first"
        )
    wanted = " ".join(query.split()).casefold()
    found = [p for p in joined if p.name.casefold() == wanted]
    found = found or [p for p in joined if wanted and p.id.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    names = ", ".join(f"{p.name!r} ({p.id})" for p in joined)
    if not found:
        raise CliError(f"no programme {query!r} joined here: choose one of {names}")
    raise CliError(f"{query!r} names several programmes: give its id ({names})")


def site_of(programme: Programme, site: str | None, across: bool) -> str | None:
    """The site's code, chosen from the programme file's list (never a name typed
    freely), or None for a peer group across sites."""
    from aoi_tui.programme.definition import ProgrammeError

    if across:
        if site:
            raise CliError("give --site NAME or --across-sites, not both")
        return None
    if not site:
        names = ", ".join(s.name for s in programme.sites)
        raise CliError(f"give the engagement's site (--site NAME): one of {names}")
    try:
        return programme.site_code(site)
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None


def enrol_engagement(
    store: Store, engagement_id: str, programme: Programme, site: str | None, *, form: str
) -> str | None:
    """Put an engagement in a joined programme; the id of the programme it left."""
    from aoi_tui.store.programme_book import ProgrammeBook

    if site is None and form != "peers":
        raise CliError("only a group of peers may span several sites (--across-sites)")
    return ProgrammeBook(store).enrol(programme.id, engagement_id, site)


def membership_for_new(
    store: Store, programme: str | None, site: str | None, across: bool, form: str
) -> tuple[Programme, str | None] | None:
    """`aoi engagement new ... --programme NAME --site NAME`: the programme and
    the site's code, checked before the engagement is made (a refusal makes
    nothing); None without --programme."""
    if not programme:
        if site or across:
            raise CliError("--site and --across-sites go with --programme NAME")
        return None
    chosen = joined_programme(store, programme)
    code = site_of(chosen, site, across)
    if code is None and form != "peers":
        raise CliError("only a group of peers may span several sites (--across-sites)")
    return chosen, code


def enrol_new(store: Store, engagement_id: str, programme: Programme, site: str | None) -> None:
    """A new engagement put in the programme at the site `membership_for_new` checked."""
    from aoi_tui.programme.sending import keep_referential_ids
    from aoi_tui.store.programme_book import ProgrammeBook

    ProgrammeBook(store).enrol(programme.id, engagement_id, site)
    keep_referential_ids(store, engagement_id)


def cmd_programme_enrol(args: argparse.Namespace) -> int:
    from aoi_tui.store.programme_book import ProgrammeBook

    store = open_the_store(args)
    eid = store.resolve(args.engagement)
    if args.leave:
        if args.programme or args.site or args.across_sites:
            raise CliError("--leave takes no programme or site")
        left = ProgrammeBook(store).leave(eid)
        out(
            args,
            {"id": eid, "left": left},
            f"Engagement {eid} left its programme; its next feed leaves it out."
            if left
            else f"Engagement {eid} is in no programme.",
        )
        return 0
    if not args.programme:
        raise CliError("give the programme (--programme NAME), or --leave")
    programme = joined_programme(store, args.programme)
    site = site_of(programme, args.site, args.across_sites)
    from aoi_tui.programme.sending import keep_referential_ids

    form = store.engagement(eid).engagement().form.value
    left = enrol_engagement(store, eid, programme, site, form=form)
    keep_referential_ids(store, eid)
    where = programme.site_name(site) if site else "across sites"
    out(
        args,
        {"id": eid, "programme": programme.id, "site": site, "left": left},
        f"Engagement {eid} is in programme {programme.name!r}, site {where}"
        + (f" (it left programme {left})" if left else "")
        + ". Only its participants who agreed to programme statistics reach a feed.",
    )
    return 0


def cmd_programme_feed(args: argparse.Namespace) -> int:
    from aoi_tui.programme.definition import ProgrammeError
    from aoi_tui.programme.feed import clear_text, seal_feed
    from aoi_tui.programme.sending import build_coach_feed, record_feed

    store = open_the_store(args)
    programme = joined_programme(store, args.programme)
    try:
        feed, covered = build_coach_feed(store, programme)
    except ProgrammeError as exc:
        raise CliError(str(exc)) from None
    if args.show:
        # what would leave, in clear, on this terminal only: nothing written, nothing recorded
        sys.stdout.write(clear_text(feed))
        return 0
    sealed = seal_feed(feed, programme)
    name = f"aoi-feed-{programme.id[:8]}-{clock.today().isoformat()}.age"
    path = write_guarded(store, args.output, name, sealed.decode("ascii"), fresh=False)
    record_feed(store, programme, covered, path or "-")
    people = sum(len(e.participants) for e in feed.engagements)
    print(
        f"Feed for programme {programme.name!r} written to {path or 'standard output'}: "
        f"{len(feed.engagements)} engagement(s), {people} person(s) who agreed to programme "
        "statistics; encrypted to the programme lead alone.",
        file=sys.stderr,
    )
    return 0


def cmd_programme_list(args: argparse.Namespace) -> int:
    """The programmes this store leads or has joined, with its engagements in each."""
    from aoi_tui.programme.definition import Programme
    from aoi_tui.store.programme_book import ProgrammeBook

    store = open_the_store(args)
    book = ProgrammeBook(store)
    data = book.read()
    rows: list[dict[str, object]] = []
    for pid, entry in sorted(data["led"].items()):
        p = Programme.model_validate(entry["programme"])
        rows.append({"id": pid, "name": p.name, "role": "lead", "engagements": {}})
    for pid, entry in sorted(data["joined"].items()):
        p = Programme.model_validate(entry["programme"])
        members = {
            eid: (p.site_name(code) if code in p.site_codes else None)
            for eid, code in entry.get("engagements", {}).items()
        }
        feeds = entry.get("feeds", [])
        rows.append(
            {
                "id": pid,
                "name": p.name,
                "role": "coach",
                "engagements": members,
                "last_feed": feeds[-1]["at"] if feeds else None,
            }
        )

    def human() -> str:
        if not rows:
            return (
                "No programme here: `aoi programme new` (a lead) or `aoi programme join` (a coach)."
            )
        lines = []
        for r in rows:
            lines.append(f"{r['id']}  {r['name']}  ({r['role']})")
            members = r["engagements"]
            assert isinstance(members, dict)
            for eid, site in sorted(members.items()):
                lines.append(f"    {eid}  {site or 'across sites'}")
            if r.get("last_feed"):
                lines.append(f"    last feed: {r['last_feed']}")
        return "\n".join(lines)

    out(args, rows, human)
    return 0
