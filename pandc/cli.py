"""The pandc command: `pandc decode` (JSON Lines or MMC XML) and `pandc validate`."""
from __future__ import annotations

import argparse
import collections
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from . import __version__
from .api import iter_decode_items
from .errors import DecodeError, PandcError
from .io.jsonl import dumps, error_record, message_record
from .io.outdir import OutDir
from .io.sources import SourceItem, iter_sources

def _load_keys(directory: str | None):
    if directory is None:
        return None
    from .security import KeyStore
    path = Path(directory)
    if not path.is_dir():
        raise SystemExit(f"pandc: --keys: {directory} is not a directory")
    return KeyStore.from_directory(path)


def _xml_file_name(source: str) -> str:
    path, _, line = source.rpartition(":")
    return f"{Path(path).name}-{line}.xml"


def run_decode(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    keys = _load_keys(args.keys)
    if args.require_authenticated and keys is None:
        err.write("pandc decode: --require-authenticated needs --keys DIR\n")
        return 2
    failed = False
    json_lines = args.format == "json"
    if args.format == "xml" or args.validate:
        from .mmc import to_mmc
        from .mmc.validation import validate
    if args.resume and not args.out_dir:
        err.write("pandc decode: --resume needs --out-dir DIR\n")
        return 2
    outdir = OutDir(args.out_dir, resume=args.resume) if args.out_dir else None
    keys_in_order: collections.deque[str] = collections.deque()
    not_processed: list[str] = []
    written_to_stdout = 0

    def report_error(source: str, error: PandcError, prefix: str = "") -> None:
        reason = getattr(error, "reason", None) or str(error)
        not_processed.append(source)
        if outdir is not None:
            outdir.failed(current_key, f"{prefix}{reason}")
        if json_lines:
            out.write(dumps(error_record(source, error, prefix)))
        else:
            offset = getattr(error, "offset", None)
            where = f" at byte offset {offset}" if offset is not None else ""
            reason = getattr(error, "reason", None) or str(error)
            err.write(f"{source}: {prefix}error{where}: {reason}\n")

    def to_do(items: Iterator[SourceItem]) -> Iterator[SourceItem]:
        # With --resume, inputs the journal names as done are not decoded again.
        for item in items:
            key = outdir.key(item.source) if outdir is not None else item.source
            if outdir is not None and key in outdir.done:
                continue
            keys_in_order.append(key)
            yield item

    if outdir is not None:
        for entry in outdir.previous_failures():
            failed = True
            not_processed.append(entry["key"].rpartition("#")[0])
            err.write(f"{not_processed[-1]}: failed in the earlier run: "
                      f"{entry.get('reason') or entry.get('invalid')}\n")
    current_key = ""
    for item, result in iter_decode_items(to_do(iter_sources(args.paths)), keys=keys):
        current_key = keys_in_order.popleft()
        source = item.source
        if isinstance(result, DecodeError):
            failed = True
            report_error(source, result)
            continue
        if args.require_authenticated and not result.authenticated:
            failed = True
            reason = result.verification.reason if result.verification else "no keys"
            report_error(source, PandcError(f"not authenticated: {reason}"))
            continue
        document = None
        report = None
        if args.format == "xml" or args.validate:
            try:
                document = to_mmc(result)
            except PandcError as problem:
                failed = True
                report_error(source, problem, "MMC: ")
                continue
            if args.validate:
                report = validate(document, schema="mmc", schema_dir=args.schema_dir)
                if not report.valid:
                    failed = True
                    for issue in report.errors:
                        err.write(f"{source}: invalid MMC: {issue}\n")
        if json_lines:
            record = message_record(source, result, verified=keys is not None)
            if report is not None:
                record["mmc_valid"] = report.valid
            out.write(dumps(record))
        elif outdir is not None:
            assert document is not None
            try:
                outdir.write(current_key, _xml_file_name(source), document,
                             invalid=None if report is None or report.valid else "invalid MMC")
            except OSError as problem:
                failed = True
                report_error(source, PandcError(f"cannot write: {problem.strerror or problem}"),
                             "output: ")
        else:
            assert document is not None
            written_to_stdout += 1
            if written_to_stdout > 1:
                err.write(f"{source}: --format xml writes one message to stdout; "
                          "use --out-dir DIR for several\n")
                return 2
            out.write(document.decode("utf-8"))
            if not document.endswith(b"\n"):
                out.write("\n")
    if outdir is not None:
        outdir.close()
        if not_processed:
            err.write(f"pandc decode: {len(not_processed)} input(s) could not be processed: "
                      f"{', '.join(not_processed[:20])}{' ...' if len(not_processed) > 20 else ''}"
                      f" (journal: {outdir.journal_path})\n")
    return 1 if failed else 0


def run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .mmc.validation import validate_paths
    return validate_paths(args.files, args.schema, args.schema_dir, out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pandc", description=__doc__)
    parser.add_argument("--version", action="version", version=f"pandc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    decode = commands.add_parser(
        "decode", help="decode GBCS messages (hex, base64, binary or DUIS XML files)",
        description="Decode GBCS messages. A file holds one message, one per line (hex or "
                    "base64; blank lines and # comments skipped), or a DUIS Response document.")
    decode.add_argument("paths", nargs="*", metavar="PATH", help="input files; none or '-' reads stdin")
    decode.add_argument("--format", choices=("json", "xml"), default="json",
                        help="JSON Lines (default) or MMC XML")
    decode.add_argument("--out-dir", metavar="DIR", help="with --format xml: one file per message")
    decode.add_argument("--resume", action="store_true",
                        help="with --out-dir: go on with an interrupted run, skipping the inputs "
                             "its journal (DIR.pandc-journal.jsonl, beside DIR) names as done")
    decode.add_argument("--validate", action="store_true", help="validate each MMC document")
    decode.add_argument("--schema-dir", metavar="DIR",
                        help="validate against the schemas in DIR (e.g. the official XSDs)")
    decode.add_argument("--keys", metavar="DIR",
                        help="key store directory: verify MACs and signatures, decrypt payloads")
    decode.add_argument("--require-authenticated", action="store_true",
                        help="with --keys: a message that is not authenticated is an error "
                             "line (no MMC file for it) and the exit status is 1")
    decode.set_defaults(run=run_decode)

    validate = commands.add_parser("validate", help="validate MMC or DUIS XML files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--schema", choices=("mmc", "duis"), default="mmc")
    validate.add_argument("--schema-dir", metavar="DIR")
    validate.set_defaults(run=run_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "out_dir", None) and args.format != "xml":
        args.format = "xml"
    try:
        return args.run(args, sys.stdout, sys.stderr)
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
