"""The pandc command: `pandc decode` (JSON Lines or MMC XML) and `pandc validate`."""
from __future__ import annotations

import argparse
import collections
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from . import __version__
from .api import iter_decode_items
from .errors import DecodeError, PandcError
from .duis import DuisResponse, duis_record
from .io.jsonl import dumps, error_record, message_record
from .io.outdir import OutDir
from .io.sources import SourceItem, iter_sources

if TYPE_CHECKING:
    from .security import KeyStore

def _load_keys(directory: str | None) -> "KeyStore | None":
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


TABLE_FORMATS = ("parquet", "arrow", "csv")


class _Progress:
    """One self-overwriting status line on a terminal's stderr (never used on a pipe)."""

    def __init__(self, err: TextIO) -> None:
        import time
        self._clock = time.monotonic
        self._start = self._clock()
        self._err = err
        self.messages = self.errors = 0

    def update(self, messages: int, errors: int) -> None:
        self.messages += messages
        self.errors += errors
        rate = self.messages / max(self._clock() - self._start, 1e-9)
        self._err.write(f"\r{self.messages:,} messages, {self.errors:,} errors, {rate:,.0f} messages/s")
        self._err.flush()

    def close(self) -> None:
        self._err.write("\n")


def _table_columns(named: list[str] | None, require_authenticated: bool) -> list[str] | None:
    """The columns asked for, plus what the exit status is computed from: ``error`` always,
    ``authenticated`` with --require-authenticated."""
    if named is None:
        return None
    needed = ["error"] + (["authenticated"] if require_authenticated else [])
    return list(dict.fromkeys(named + needed))


def run_decode_table(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """--format parquet|arrow|csv: every message a row of one table file (pandc.io.arrow)."""
    if not args.out:
        err.write(f"pandc decode: --format {args.format} needs --out FILE\n")
        return 2
    if args.validate or args.out_dir:
        err.write(f"pandc decode: --format {args.format} does not take --validate or --out-dir\n")
        return 2
    try:
        from . import tables
        from .io import arrow
    except ImportError:
        err.write(f"pandc decode: --format {args.format} needs pyarrow (pip install 'pandc[arrow]')\n")
        return 2
    keys = _load_keys(args.keys)
    if args.require_authenticated and keys is None:
        err.write("pandc decode: --require-authenticated needs --keys DIR\n")
        return 2
    columns = _table_columns(args.columns, args.require_authenticated)
    try:
        schema = arrow.table_schema(columns, keys)
    except ValueError as exc:
        err.write(f"pandc decode: --columns: {exc}\n")
        return 2
    writer = arrow.TableWriter(args.out, args.format, schema)
    progress = _Progress(err) if err.isatty() else None
    failed = False
    try:
        for path in args.paths or ["-"]:
            source = sys.stdin.buffer if path == "-" else path
            try:
                for batch in tables.iter_tables(source, keys=keys, columns=columns,
                                                workers=args.workers):
                    writer.write(batch)
                    errors = batch.num_rows - batch.column("error").null_count
                    failed = failed or errors > 0
                    if args.require_authenticated:
                        authenticated = batch.column("authenticated").to_pylist()
                        failed = failed or any(value is not True for value in authenticated)
                    if progress:
                        progress.update(batch.num_rows, errors)
            except OSError as exc:
                failed = True
                err.write(f"{path}: cannot read: {exc.strerror}\n")
    finally:
        writer.close()
        if progress:
            progress.close()
    return 1 if failed else 0


def run_decode(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.format in TABLE_FORMATS:
        return run_decode_table(args, out, err)
    if args.columns is not None:
        err.write(f"pandc decode: --columns is for --format parquet|arrow|csv, not {args.format}\n")
        return 2
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
    pending_keys: collections.defaultdict[str, collections.deque[str]] = \
        collections.defaultdict(collections.deque)
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
            what = "cannot render MMC" if prefix == "MMC: " else "error"
            err.write(f"{source}: {what}{where}: {reason}\n")

    def to_do(items: Iterator[SourceItem]) -> Iterator[SourceItem]:
        # With --resume, inputs the journal names as done are not decoded again.
        for item in items:
            key = outdir.key(item.source) if outdir is not None else item.source
            if outdir is not None and key in outdir.done:
                continue
            pending_keys[item.source].append(key)
            yield item

    if outdir is not None:
        for entry in outdir.previous_failures():
            failed = True
            not_processed.append(entry["key"].rpartition("#")[0])
            err.write(f"{not_processed[-1]}: failed in the earlier run: "
                      f"{entry.get('reason') or entry.get('invalid')}\n")
    current_key = ""
    for item, result in iter_decode_items(to_do(iter_sources(args.paths)), keys=keys,
                                          workers=args.workers):
        # A result comes from its own input, or (GBT) from the last block of a transfer.
        queued = pending_keys.get(item.source)
        current_key = queued.popleft() if queued else item.source
        if queued is not None and not queued:
            del pending_keys[item.source]
        source = item.source
        if isinstance(result, DecodeError):
            failed = True
            report_error(source, result)
            continue
        if isinstance(result, DuisResponse):
            # A DSP-generated response, acknowledgement or DCC alert: no GBCS message in it.
            if args.require_authenticated:
                failed = True
                report_error(source, PandcError(
                    "not authenticated: a DUIS response without a GBCS message (pandc does "
                    "not check DUIS XML signatures)"))
            elif json_lines:
                out.write(dumps(duis_record(result, source)))
            else:
                err.write(f"{source}: DUIS {result.kind} response {result.response_code.code}: "
                          "no GBCS message, so no MMC document\n")
            continue
        if args.require_authenticated and not result.authenticated:
            failed = True
            reason = result.verification.reason if result.verification is not None else "no keys"
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


def _correlate_record(request_path: str, precommand_path: str, sign_key: str | None,
                      duis: bool = False) -> tuple[dict[str, object], int]:
    """One pair: the JSON record and its exit status (0 correlated, 1 not, 2 bad input)."""
    from .correlate import correlate, parse_request, sign_precommand, signed_precommand_document
    record: dict[str, object] = {"request": request_path, "precommand": precommand_path}
    try:
        request = parse_request(Path(request_path))
        correlation = correlate(request, Path(precommand_path))
    except (PandcError, OSError) as problem:
        record.update(correlated=False, error=str(problem))
        return record, 2
    record.update(correlation.to_json())
    if correlation.correlated and sign_key is not None:
        try:
            signed = sign_precommand(Path(precommand_path), sign_key)
            record["signed_command"] = signed.hex().upper()
            if duis:
                record["signed_request"] = signed_precommand_document(request, signed).decode()
        except PandcError as problem:
            record["error"] = str(problem)
            return record, 2
    return record, 0 if correlation.correlated else 1


def run_correlate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.pairs is None:
        if args.request is None or args.precommand is None:
            err.write("pandc correlate: give REQUEST PRECOMMAND, or --pairs FILE\n")
            return 2
        single, status = _correlate_record(args.request, args.precommand, args.sign_key,
                                           args.duis)
        out.write(json.dumps(single) + "\n")
        return status
    worst = 0
    try:
        lines = Path(args.pairs).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as problem:
        err.write(f"pandc correlate: --pairs: {problem}\n")
        return 2
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            record: dict[str, object] = {"line": number, "correlated": False,
                                         "error": "expected 'request-path precommand-path'"}
            status = 2
        else:
            record, status = _correlate_record(parts[0], parts[1], args.sign_key, args.duis)
            record["line"] = number
        out.write(json.dumps(record) + "\n")
        worst = max(worst, status)
    return worst


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _column_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("names no column")
    return names


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pandc", description=__doc__)
    parser.add_argument("--version", action="version", version=f"pandc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    decode = commands.add_parser(
        "decode", help="decode GBCS messages (hex, base64, binary or DUIS XML files)",
        description="Decode GBCS messages. A file holds one message, one per line (hex or "
                    "base64; blank lines and # comments skipped), or a DUIS Response document.")
    decode.add_argument("paths", nargs="*", metavar="PATH", help="input files; none or '-' reads stdin")
    decode.add_argument("--format", choices=("json", "xml") + TABLE_FORMATS, default="json",
                        help="JSON Lines (default), MMC XML, or a table file (--out FILE): "
                             "Parquet, Arrow IPC or CSV, one row per message (needs pyarrow)")
    decode.add_argument("--out", metavar="FILE", help="with --format parquet|arrow|csv: the file to write")
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
    decode.add_argument("--columns", metavar="NAME,...", type=_column_list,
                        help="with --format parquet|arrow|csv: the columns to write (default: "
                             "the header columns, with --keys the pipeline columns too; error "
                             "is always written). Naming no value column (smets_data, "
                             "device_alert_content, warnings) skips decoding the values")
    decode.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                        help="decode and verify in N worker processes (default 1)")
    decode.set_defaults(run=run_decode)

    validate = commands.add_parser("validate", help="validate MMC or DUIS XML files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--schema", choices=("mmc", "duis"), default="mmc")
    validate.add_argument("--schema-dir", metavar="DIR")
    validate.set_defaults(run=run_validate)

    from .duis.cli import add_commands as add_duis_commands
    add_duis_commands(commands)
    correlate = commands.add_parser(
        "correlate", help="check a DCC pre-command against its DUIS request (and sign it)",
        description="Correlate a pre-command (GBCS hex/base64/binary, or a DUIS document "
                    "carrying it) with the DUIS request it came from. Prints one JSON object "
                    "(JSON Lines with --pairs); exit status 0 correlated, 1 not, 2 bad input.")
    correlate.add_argument("request", nargs="?", metavar="REQUEST", help="DUIS request XML")
    correlate.add_argument("precommand", nargs="?", metavar="PRECOMMAND", help="pre-command file")
    correlate.add_argument("--sign-key", metavar="FILE",
                           help="User's DS private key (PEM): sign the pre-command when it "
                                "correlates and print it as signed_command (hex)")
    correlate.add_argument("--duis", action="store_true",
                           help="with --sign-key: also print signed_request, the DUIS "
                                "SignedPreCommand request returning the signed command")
    correlate.add_argument("--pairs", metavar="FILE",
                           help="one 'request-path precommand-path' pair a line")
    correlate.set_defaults(run=run_correlate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "out_dir", None) and args.format != "xml":
        args.format = "xml"
    try:
        status: int = args.run(args, sys.stdout, sys.stderr)
        return status
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
