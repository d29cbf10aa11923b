"""Expected pre-command payloads as a sequence of named segments, and the comparison that
walks a pre-command's payload against them.

A catalogue entry (``catalogue.py``) turns a DUIS request into a :class:`Template`: every byte
GBCS prescribes for that use case, in order, each run of bytes named by the GBCS field it is
and, when it carries a request value, by the request element it came from. :func:`compare`
reads the pre-command's payload segment by segment, taking each field's size from the
command's own bytes (so one wrong length does not shift everything after it), and reports a
:class:`Mismatch` per field whose bytes differ, plus anything the command carries after the
last expected field ("nothing the request did not ask for").

Segment kinds:
- constant: bytes GBCS fixes for the use case (APDU tags, class ids, OBIS codes, counts);
- value: the encoding of a request value (or a value derived from the request, e.g. the DLMS
  invoke-id from the RequestID counter, a window end from a start and a duration);
- dcc: a field GBCS lets the DCC fill that carries no substance of the request (ZCL Issuer
  Event ID, a DCC-appended certificate): only its size is checked;
- choice: one of several complete alternatives GBCS allows (e.g. single- or twin-element
  ESME variants of the same structure).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Union

from ..codec.ber import read_length
from ..errors import DecodeError
from ..values import Scalar, text

#: A reader takes the command's payload and a position and returns (end, display value);
#: it raises DecodeError when the bytes there cannot be that field.
Reader = Callable[[bytes, int], tuple[int, Any]]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One difference between the request and the pre-command.

    ``field`` names the request element (a path below the request element, or a header
    field); ``gbcs_field`` names where it sits in the GBCS message; the two values are shown
    as DUIS/MMC text.
    """

    field: str
    request_value: str
    command_value: str
    gbcs_field: str = ""

    def __str__(self) -> str:
        where = f" [{self.gbcs_field}]" if self.gbcs_field else ""
        return (f"{self.field}: request {self.request_value}, command "
                f"{self.command_value}{where}")


@dataclass(frozen=True, slots=True)
class Segment:
    gbcs_field: str
    expected: bytes
    reader: Reader
    request_path: str | None = None       # None: a constant GBCS fixes for the use case
    request_value: Any = None             # what the request said (shown in a mismatch)
    display: Callable[[bytes], Any] | None = None   # the command's bytes as a value
    dcc_filled: bool = False
    size: int | None = None               # dcc fields: their fixed size, when fixed


@dataclass(frozen=True, slots=True)
class Choice:
    gbcs_field: str
    options: tuple[tuple["Item", ...], ...]


Item = Union[Segment, Choice]


def show(value: Any) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, (bool, int, Decimal, str, datetime, date, time, bytes)):
        return text(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


# --- readers -----------------------------------------------------------------------------

def fixed(size: int) -> Reader:
    def read(data: bytes, pos: int) -> tuple[int, Any]:
        if pos + size > len(data):
            raise DecodeError(f"field of {size} byte(s) runs past the end of the payload", pos)
        return pos + size, data[pos:pos + size]
    return read


def ber_sized(header: int) -> Reader:
    """``header`` fixed bytes (tags), then a BER length and that many bytes."""
    def read(data: bytes, pos: int) -> tuple[int, Any]:
        if pos + header > len(data):
            raise DecodeError("field runs past the end of the payload", pos)
        length, start = read_length(data, pos + header)
        if start + length > len(data):
            raise DecodeError("field runs past the end of the payload", pos)
        return start + length, data[pos:start + length]
    return read


# --- building ------------------------------------------------------------------------------

@dataclass
class Template:
    """The expected payload of one pre-command, built by a catalogue entry."""

    items: list[Item] = field(default_factory=list)
    unsupported: list[Mismatch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def const(self, octets: bytes | str, gbcs_field: str) -> None:
        raw = bytes.fromhex(octets) if isinstance(octets, str) else octets
        self.items.append(Segment(gbcs_field, raw, fixed(len(raw))))

    def value(self, gbcs_field: str, request_path: str, request_value: Any, encoded: bytes,
              reader: Reader | None = None, display: Callable[[bytes], Any] | None = None
              ) -> None:
        self.items.append(Segment(gbcs_field, encoded, reader or fixed(len(encoded)),
                                  request_path, request_value, display))

    def dcc(self, gbcs_field: str, size: int | None = None, reader: Reader | None = None
            ) -> None:
        """A field the DCC fills without substance from the request: only its size counts."""
        if reader is None:
            assert size is not None
            reader = fixed(size)
        self.items.append(Segment(gbcs_field, b"", reader, None, None, None, True, size))

    def size(self) -> int:
        """The expected payload size (for length fields GBCS derives from the content)."""
        total = 0
        for item in self.items:
            if isinstance(item, Choice):
                raise ValueError("a length over a choice is not defined")
            if item.dcc_filled:
                if item.size is None:
                    raise ValueError(f"{item.gbcs_field}: variable-size DCC field")
                total += item.size
            else:
                total += len(item.expected)
        return total

    def choice(self, gbcs_field: str, *options: "Template") -> None:
        self.items.append(Choice(gbcs_field, tuple(tuple(o.items) for o in options)))
        for option in options:
            self.unsupported.extend(option.unsupported)
            self.notes.extend(option.notes)

    def extend(self, other: "Template") -> None:
        self.items.extend(other.items)
        self.unsupported.extend(other.unsupported)
        self.notes.extend(other.notes)

    def note(self, request_path: str, request_value: Any, why: str) -> None:
        """A request value GBCS does not carry in this use case's command: said, not
        silently dropped (it becomes a warning of the correlation)."""
        self.notes.append(f"{request_path} = {show(request_value)}: not carried by the "
                          f"command ({why})")

    def not_supported(self, request_path: str, request_value: Any, why: str) -> None:
        """A request value this entry cannot encode: a mismatch, never a silent pass."""
        self.unsupported.append(Mismatch(request_path, show(request_value),
                                         f"(not checked: {why})", "use case not supported"))


# --- comparing -----------------------------------------------------------------------------

def _walk(items: Sequence[Item], data: bytes, pos: int, out: list[Mismatch]) -> tuple[int, bool]:
    """Compare ``items`` from ``pos``; append mismatches; return (position, still aligned)."""
    # Iterative over nesting of choices: each stack frame is (items, index).
    for item in items:
        if isinstance(item, Choice):
            best: tuple[int, list[Mismatch], int, bool] | None = None
            for option in item.options:
                trial: list[Mismatch] = []
                end, aligned = _walk_flat(option, data, pos, trial)
                if not trial and aligned:
                    best = (0, trial, end, aligned)
                    break
                if best is None:
                    best = (len(trial), trial, end, aligned)
            assert best is not None
            out.extend(best[1])
            pos = best[2]
            if not best[3]:
                return pos, False
            continue
        pos, aligned = _segment(item, data, pos, out)
        if not aligned:
            return pos, False
    return pos, True


def _walk_flat(items: Sequence[Item], data: bytes, pos: int,
               out: list[Mismatch]) -> tuple[int, bool]:
    # Choices hold only segments (catalogue entries never nest choices), which bounds depth.
    for item in items:
        if isinstance(item, Choice):
            raise TypeError("nested choices are not supported")
        pos, aligned = _segment(item, data, pos, out)
        if not aligned:
            return pos, False
    return pos, True


def _segment(seg: Segment, data: bytes, pos: int, out: list[Mismatch]) -> tuple[int, bool]:
    name = seg.request_path or "(constant)"
    try:
        end, shown = seg.reader(data, pos)
    except DecodeError as problem:
        got = "(missing)" if pos >= len(data) else f"unreadable at payload offset {pos}: " \
                                                     f"{problem.reason}"
        out.append(Mismatch(name, _expected_text(seg), got, seg.gbcs_field))
        return pos, False
    if seg.dcc_filled:
        return end, True
    actual = data[pos:end]
    if actual != seg.expected:
        if seg.display is not None:
            try:
                command_value = show(seg.display(actual))
            except Exception:  # noqa: BLE001 - display only: unexpected bytes are shown as hex
                command_value = actual.hex().upper()
        else:
            command_value = actual.hex().upper()
        out.append(Mismatch(name, _expected_text(seg), command_value, seg.gbcs_field))
    return end, True


def _expected_text(seg: Segment) -> str:
    if seg.request_path is None:
        return seg.expected.hex().upper()
    return show(seg.request_value)


def compare(template: Template, payload: bytes) -> list[Mismatch]:
    mismatches: list[Mismatch] = list(template.unsupported)
    end, aligned = _walk(template.items, payload, 0, mismatches)
    if aligned and end < len(payload):
        mismatches.append(Mismatch("(nothing)", "(absent)",
                                   f"{len(payload) - end} more byte(s): "
                                   f"{payload[end:end + 16].hex().upper()}"
                                   f"{'...' if len(payload) - end > 16 else ''}",
                                   "payload beyond what the request asked for"))
    # One field may be encoded several times (e.g. an execution date-time per attribute):
    # report each distinct difference once.
    unique: dict[tuple[str, str, str, str], Mismatch] = {}
    for m in mismatches:
        unique.setdefault((m.field, m.request_value, m.command_value, m.gbcs_field), m)
    return list(unique.values())
