"""`pandc flags` and `pandc restricted check|filter`: the DUIS-side commands.

pandc/cli.py adds these with :func:`add_commands`; they only wire files to pandc.duis.
"""
from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ._xml import DuisError
from .flags import FlagError, flag_decisions, reconcile
from .inventory import Inventory, InventoryDevice
from .responses import DuisResponse, duis_record, iter_duis
from .restricted import PolicyError, RestrictedPolicy
from ..errors import PandcError


def _responses(paths: list[str], err: TextIO, problems: list[int]) -> Iterator[DuisResponse]:
    for path in paths:
        for item in iter_duis(path):
            if isinstance(item, DuisError):
                problems.append(1)
                err.write(f"{path}: error: {item}\n")
                continue
            yield item


def _inventories(paths: list[str], err: TextIO, problems: list[int]) -> list[InventoryDevice]:
    devices: list[InventoryDevice] = []
    for response in _responses(paths, err, problems):
        if isinstance(response.body, Inventory):
            devices.extend(response.body.devices)
            for warning in response.warnings:
                err.write(f"warning: {warning}\n")
        else:
            err.write(f"note: skipped a {response.kind} response (line {response.line}): not an "
                      "SRV 8.2 inventory\n")
    return devices


def read_flag_csv(path: str) -> dict[str, str | None]:
    """``mpxn,flag`` lines (a header line ``mpxn,flag``, blank lines and ``#`` comments are
    skipped; an empty flag or NULL is no flag)."""
    flags: dict[str, str | None] = {}
    try:
        with open(path, newline="", encoding="utf-8") as stream:
            for number, row in enumerate(csv.reader(stream), start=1):
                if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                    continue
                if number == 1 and row[0].strip().lower() == "mpxn":
                    continue
                if len(row) > 2:
                    raise PandcError(f"{path}:{number}: expected mpxn,flag")
                flag = row[1].strip() if len(row) > 1 else ""
                flags[row[0].strip()] = flag or None
    except OSError as exc:
        raise PandcError(f"{path}: cannot read: {exc.strerror}") from None
    return flags


def run_flags(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    problems: list[int] = []
    try:
        previous: Any = None
        if args.previous:
            # Earlier flags (mpxn,flag CSV) or earlier SRV 8.2 inventories (DUIS XML).
            head = Path(args.previous).read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
            previous = (_inventories([args.previous], err, problems) if head.startswith(b"<")
                        else read_flag_csv(args.previous))
        registered = read_flag_csv(args.registration) if args.registration else None
        devices = _inventories(args.inventories, err, problems)
        decisions = flag_decisions(devices, previous)
    except (FlagError, PandcError) as error:
        err.write(f"pandc flags: {error}\n")
        return 2
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["mpxn", "flag"])
    for decision in decisions:
        writer.writerow([decision.mpxn, decision.flag or "NULL"])
    disagreements = reconcile(decisions, registered) if registered is not None else []
    if registered is not None:
        target: TextIO = open(args.disagreements, "w", encoding="utf-8", newline="") \
            if args.disagreements else err
        try:
            report = csv.writer(target, lineterminator="\n")
            report.writerow(["mpxn", "registered", "computed", "why"])
            for mpxn, was, now, why in disagreements:
                report.writerow([mpxn, was or "NULL", now or "NULL", why])
        finally:
            if target is not err:
                target.close()
    return 1 if problems or disagreements else 0


def _policy(args: argparse.Namespace) -> RestrictedPolicy:
    return RestrictedPolicy.from_toml(args.policy) if args.policy else RestrictedPolicy.default()


def run_restricted_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    problems: list[int] = []
    try:
        policy = _policy(args)
        devices = _inventories(args.inventory, err, problems)
        check = policy.check_request(args.request, devices)
    except (PolicyError, PandcError, OSError) as error:
        err.write(f"pandc restricted check: {error}\n")
        return 2
    if check.allowed:
        out.write(f"allowed: {check.reason}\n")
        return 0
    assert check.response is not None
    out.write(check.response.decode("utf-8") + "\n")
    err.write(f"rejected ({policy.rejection_code}): {check.reason}\n")
    return 1


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=str) + "\n"


def run_restricted_filter(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    problems: list[int] = []
    try:
        policy = _policy(args)
        devices = _inventories(args.inventory, err, problems)
        log = open(args.rejected_log, "a", encoding="utf-8")
    except (PolicyError, PandcError, OSError) as error:
        err.write(f"pandc restricted filter: {error}\n")
        return 2
    delivered = rejected = 0
    with log:
        # One alert at a time, so a large file streams through.
        for path in args.alerts:
            for response in _responses([path], err, problems):
                decision = policy.filter_alerts([response], devices)
                for item in decision.delivered:
                    out.write(_json(duis_record(item, f"{path}:{item.line}")))
                    delivered += 1
                for record in decision.rejected:
                    log.write(_json({"source": f"{path}:{response.line}", **record}))
                    rejected += 1
    err.write(f"{delivered} delivered, {rejected} rejected (logged to {args.rejected_log})\n")
    return 1 if problems else 0


def add_commands(commands: Any) -> None:
    """Add `flags` and `restricted` to the pandc command's subparsers."""
    flags = commands.add_parser(
        "flags", help="MP077 DCC Service Flags from SRV 8.2 inventories",
        description="Compute the DCC Service Flag (A, I, N or NULL) of every meter point of "
                    "the devices in SRV 8.2 Read Inventory responses; write mpxn,flag lines.")
    flags.add_argument("inventories", nargs="+", metavar="INVENTORY",
                       help="DUIS SRV 8.2 response files")
    flags.add_argument("--previous", metavar="FLAGS.csv",
                       help="earlier flags (mpxn,flag CSV) or an earlier SRV 8.2 inventory "
                            "file: a meter point that had a flag gets N at worst")
    flags.add_argument("--registration", metavar="REG.csv",
                       help="registration extract (mpxn,flag): report meter points whose "
                            "registered flag disagrees with the computed one, and why")
    flags.add_argument("--disagreements", metavar="FILE",
                       help="with --registration: write the disagreements here (default stderr)")
    flags.set_defaults(run=run_flags)

    restricted = commands.add_parser("restricted", help="MP169 Restricted devices: check "
                                                        "requests, filter alerts")
    actions = restricted.add_subparsers(dest="restricted_command", required=True)
    check = actions.add_parser("check", help="allowed, or the E72 DUIS Response for a request")
    check.add_argument("request", metavar="REQUEST", help="DUIS Request XML file")
    check.add_argument("--inventory", nargs="+", required=True, metavar="INV",
                       help="SRV 8.2 response files holding the target device")
    check.add_argument("--policy", metavar="FILE", help="policy TOML (default: pandc's)")
    check.set_defaults(run=run_restricted_check)
    filt = actions.add_parser("filter", help="deliver allowed alerts, log rejected ones")
    filt.add_argument("alerts", nargs="+", metavar="ALERTS", help="DUIS alert files")
    filt.add_argument("--inventory", nargs="+", required=True, metavar="INV")
    filt.add_argument("--rejected-log", required=True, metavar="FILE",
                      help="JSON Lines log of rejected alerts (appended)")
    filt.add_argument("--policy", metavar="FILE")
    filt.set_defaults(run=run_restricted_filter)

