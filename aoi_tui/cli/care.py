"""Taking care of the store: `aoi erase`, `aoi passphrase`, `aoi keyring`, `aoi doctor`."""

from __future__ import annotations

import argparse
import os

from aoi_tui.access.opening import (
    NEW_PASSPHRASE_ENV,
    RECOVERY_ENV,
    load_keyfile,
    open_store,
)
from aoi_tui.cli.common import (
    CliError,
    data_root,
    engagement_id,
    interactive,
    new_passphrase,
    open_the_store,
    out,
    prompt,
)
from aoi_tui.config.i18n import t
from aoi_tui.store.store import Store, store_present


def cmd_erase(args: argparse.Namespace) -> int:
    store = open_the_store(args)
    eid = engagement_id(store, args.engagement)
    summary = store.summary(eid)
    if not args.yes:
        if not interactive():
            raise CliError("erasing is for good: add --yes to confirm")
        answer = input(
            f"Erase everything about {summary.coachee} (engagement {eid}), backups included? "
            "Type the engagement id to confirm: "
        )
        if answer.strip() != eid:
            raise CliError("not confirmed; nothing erased")
    removed = store.erase(eid)
    out(
        args,
        {"id": eid, "erased": True, "files_removed": len(removed)},
        f"Erased engagement {eid}: its key (in every copy of the key file), its file and "
        f"every copy of it (backups, quarantine, draft), {len(removed)} file(s) in all; "
        "in the supervision log, its case and what was learned from it (the hours stay). "
        + t("hours.erase_keeps"),
    )
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    root = data_root(args)
    if args.recover:
        keyfile = load_keyfile(root)
        code = os.environ.get(RECOVERY_ENV)
        if code is None:
            if not interactive():
                raise CliError(f"no terminal to type the recovery code in: set {RECOVERY_ENV}")
            code = prompt("Recovery code: ")
        from aoi_tui.secure.keyfile import WrongSecret

        try:
            master = keyfile.unlock_with_recovery(code)
        except WrongSecret:
            raise CliError("this recovery code does not open the store") from None
        store = Store(root, keyfile, master)
    else:
        store = open_the_store(args)
    new = new_passphrase(NEW_PASSPHRASE_ENV)
    from aoi_tui.access.passphrase import change_passphrase

    change_passphrase(store, new)
    out(args, {"changed": True}, "Passphrase changed (the notes were not re-encrypted).")
    return 0


def cmd_keyring(args: argparse.Namespace) -> int:
    from aoi_tui.access import keyring_access

    if args.action == "remember":
        store = open_the_store(args)
        try:
            keyring_access.remember(store.keyfile.store_id, store.master)
        except keyring_access.NoKeyring as exc:
            raise CliError(f"no usable keyring here ({exc}); type the passphrase instead") from None
        out(args, {"remembered": True}, "The OS keyring now remembers this store's key.")
    else:
        keyfile = load_keyfile(data_root(args))
        try:
            removed = keyring_access.forget(keyfile.store_id)
        except keyring_access.NoKeyring as exc:
            raise CliError(f"no usable keyring here ({exc})") from None
        out(
            args,
            {"forgotten": removed},
            "The keyring no longer holds this store's key."
            if removed
            else "The keyring held no key for this store.",
        )
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    from aoi_tui.store.doctor import run_doctor

    root = data_root(args)
    if not store_present(root):  # a store without its key file is the doctor's to repair
        raise CliError(f"no aoi store in {root}")
    report = run_doctor(
        root,
        unlock=lambda: open_store(root, prompt if interactive() else None),
        repair=args.repair,
    )
    out(args, report.to_json(), report.human)
    return 0 if report.healthy else 1
