"""The pandc command: `pandc decode` (JSON Lines or MMC XML) and `pandc validate`."""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from . import __version__
from .api import decode_with_context
from .errors import DecodeError, PandcError
from .message import Message
from .sources import SourceItem, iter_sources
from .timestatus import format_date_time

BATCH_SIZE = 512


def message_record(source: str, message: Message) -> dict:
    """The JSON object `pandc decode` writes for one message (keys fixed by the CLI contract)."""
    return {
        "source": source,
        "frame": message.frame,
        "cra": message.cra,
        "originator_counter": message.originator_counter,
        "originator": message.originator,
        "recipient": message.recipient,
        "message_code": f"0x{message.message_code:04X}",
        "use_case": message.use_case,
        "service_reference_variant": message.service_reference_variant,
        "date_time": format_date_time(message.date_time) if message.date_time else None,
        "time_status": message.time_status,
        "clock_status": message.clock_status,
        "is_from_gsme": message.is_from_gsme,
        "supplementary_remote_party_id": message.supplementary_remote_party_id,
        "supplementary_remote_party_counter": message.supplementary_remote_party_counter,
        "supplementary_originator_counter": message.supplementary_originator_counter,
        "payload_length": len(message.payload),
        "signed": message.signed,
        "warnings": list(message.warnings),
    }


def error_record(source: str, error: DecodeError) -> dict:
    return {"source": source, "error": error.reason, "offset": error.offset}


def _decoded(paths: list[str], keys) -> Iterator[tuple[str, Message | DecodeError]]:
    """(source, result) for every message of every path, decoded a batch at a time."""
    items = iter_sources(paths)
    while True:
        batch: list[SourceItem] = list(itertools.islice(items, BATCH_SIZE))
        if not batch:
            return
        readable = [item for item in batch if item.error is None]
        decoded = iter(decode_with_context(((item.data, item.context) for item in readable), keys=keys))
        for item in batch:
            yield item.source, item.error if item.error is not None else next(decoded)


def _load_keys(directory: str | None):
    if directory is None:
        return None
    from .security import KeyStore
    path = Path(directory)
    if not path.is_dir():
        raise SystemExit(f"pandc: --keys: {directory} is not a directory")
    return KeyStore.from_directory(path)


def _security_fields(message: Message) -> dict:
    return {
        "mac_valid": message.mac_valid,
        "signature_valid": message.signature_valid,
        "decrypted_parts": sum(1 for part in message.parts if part.encrypted and part.plaintext is not None),
    }


def _xml_file_name(source: str) -> str:
    path, _, line = source.rpartition(":")
    return f"{Path(path).name}-{line}.xml"


def run_decode(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    keys = _load_keys(args.keys)
    failed = False
    if args.format == "xml" or args.validate:
        from .mmc import to_mmc
        from .validation import validate
    if args.out_dir:
        Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    written_to_stdout = 0
    for source, result in _decoded(args.paths, keys):
        if isinstance(result, DecodeError):
            failed = True
            if args.format == "json":
                out.write(json.dumps(error_record(source, result)) + "\n")
            else:
                err.write(f"{source}: error at byte offset {result.offset}: {result.reason}\n")
            continue
        document = None
        report = None
        if args.format == "xml" or args.validate:
            try:
                document = to_mmc(result)
            except PandcError as problem:
                failed = True
                offset = getattr(problem, "offset", None)
                reason = getattr(problem, "reason", None) or str(problem)
                if args.format == "json":
                    out.write(json.dumps({"source": source, "error": f"MMC: {reason}", "offset": offset}) + "\n")
                else:
                    err.write(f"{source}: cannot render MMC: {reason}\n")
                continue
            if args.validate:
                report = validate(document, schema="mmc", schema_dir=args.schema_dir)
                if not report.valid:
                    failed = True
                    for issue in report.errors:
                        err.write(f"{source}: invalid MMC: {issue}\n")
        if args.format == "json":
            record = message_record(source, result)
            if keys is not None:
                record.update(_security_fields(result))
            if report is not None:
                record["mmc_valid"] = report.valid
            out.write(json.dumps(record) + "\n")
        elif args.out_dir:
            (Path(args.out_dir) / _xml_file_name(source)).write_bytes(document)
        else:
            written_to_stdout += 1
            if written_to_stdout > 1:
                err.write(f"{source}: --format xml writes one message to stdout; "
                          "use --out-dir DIR for several\n")
                return 2
            out.write(document.decode("utf-8"))
            if not document.endswith(b"\n"):
                out.write("\n")
    return 1 if failed else 0


def run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .validation import validate_paths
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
    decode.add_argument("--validate", action="store_true", help="validate each MMC document")
    decode.add_argument("--schema-dir", metavar="DIR",
                        help="validate against the schemas in DIR (e.g. the official XSDs)")
    decode.add_argument("--keys", metavar="DIR",
                        help="key store directory: verify MACs and signatures, decrypt payloads")
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
