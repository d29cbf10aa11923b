"""What every use-case decoder shares: results, failures, clear payload content, MMC elements."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

from ..codec import dlms, zcl
from ..codec.parts import PayloadPart
from ..codec.fastdata import fast_init, reduce_by_fields
from ..errors import DecodeError
from ..values import Builder, Node, decimal_text  # noqa: F401  (decimal_text re-exported)

if TYPE_CHECKING:
    from ..codec.frame import Frame


@fast_init
@dataclass(frozen=True, slots=True)
class Content:
    """What a use-case decoder reads: the frame and its payload parts (decrypted ones in the
    clear, when the security layer had the keys)."""

    frame: "Frame"
    parts: tuple[PayloadPart, ...]

    @property
    def payload(self) -> bytes:
        return self.frame.payload


class UseCaseError(DecodeError):
    """A payload whose clear content does not have the shape its use case defines."""


@fast_init
@dataclass(frozen=True, slots=True)
class Failure:
    """A status the device reported instead of a value (ZCL status, DLMS result).

    ``protocol`` is 'zigbee', 'cosem' or 'asn1'. For ZigBee, ``cluster_id`` with
    ``attribute_id`` (a Read Attributes Response record) or ``command_id`` (a Default
    Response); for COSEM, ``kind`` ('get', 'set', 'action') and the 1-based ``position`` of
    the result; for ASN.1 (the CS-family GBCS response codes), ``element``: the MMC element
    that carries the code (MMC's DebugInfo has no ASN.1 form, so the code is rendered there).
    """

    __reduce__ = reduce_by_fields   # see pandc.codec.fastdata

    protocol: str
    code: int
    name: str
    cluster_id: int | None = None
    attribute_id: int | None = None
    command_id: int | None = None
    kind: str | None = None
    position: int | None = None
    element: str | None = None

    def __str__(self) -> str:
        if self.protocol == "asn1":
            return f"ASN.1 {self.element}: {self.name} ({self.code})"
        if self.protocol == "zigbee":
            cluster_id = self.cluster_id or 0
            cluster = zcl.CLUSTER_NAMES.get(cluster_id, "")
            where = f"cluster 0x{cluster_id:04X}" + (f" ({cluster})" if cluster else "")
            if self.attribute_id is not None:
                where += f" attribute 0x{self.attribute_id:04X}"
            else:
                where += f" command 0x{self.command_id:02X}"
            return f"{where}: {self.name} (0x{self.code:02X})"
        return f"DLMS {self.kind} result {self.position}: {self.name} ({self.code})"


@dataclass(frozen=True)
class UseCaseResult:
    """The decoded use-case value tree (to go under MMC SMETSData), what failed, warnings."""

    values: Node
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def success(self) -> bool:
        return not self.failures


def result(root: Builder, failures: tuple[Failure, ...] = (),
           warnings: tuple[str, ...] | list[str] = ()) -> UseCaseResult:
    return UseCaseResult(root.build(), tuple(failures), tuple(warnings))


def sub(parent: Builder, name: str, value: object = None, **attributes: object) -> Builder:
    """Append a child element with an optional typed value (see pandc.values)."""
    return parent.add(name, value, **attributes)  # type: ignore[arg-type]


def response_element(name: str, failures: tuple[Failure, ...] | list[Failure]) -> Builder:
    """The use-case root element with its MessageSuccess attribute."""
    return Builder(name, MessageSuccess=not failures)


def scale(value: int, multiplier: int, divisor: int) -> Decimal:
    """value × multiplier ÷ divisor, exact for the power-of-ten divisors meters use."""
    with localcontext() as context:
        context.prec = 60
        return Decimal(value) * Decimal(multiplier) / Decimal(divisor)


# ---------------------------------------------------------------------------------------
# Clear payload content

def payload_parts(message: Content) -> tuple[PayloadPart, ...]:
    return message.parts


@fast_init
@dataclass(frozen=True, slots=True)
class GbzFrame:
    """One GBZ component in the clear: its cluster and ZCL frame."""

    cluster_id: int
    frame: zcl.ZclFrame
    part_name: str


def gbz_frames(message: Content) -> list[GbzFrame] | None:
    """The ZCL frames of a GBZ payload, or None while any component is still ciphered."""
    parts = [part for part in payload_parts(message) if part.kind == "gbz"]
    if not parts:
        return None
    frames = []
    for part in parts:
        if part.plaintext is None:
            return None
        if part.cluster_id is None:
            raise UseCaseError(f"GBZ part {part.name!r} has no cluster id", None)
        try:
            frame = zcl.parse_frame(part.plaintext)
        except DecodeError as exc:
            raise _in_part(exc, part) from None
        frames.append(GbzFrame(part.cluster_id, frame, part.name))
    return frames


def _in_part(exc: DecodeError, part: PayloadPart) -> DecodeError:
    return type(exc)(exc.reason, exc.offset, exc.code, f"payload part {part.name!r}")


@fast_init
@dataclass(frozen=True, slots=True)
class DlmsContent:
    """A DLMS response in the clear: its data items (protected attributes decoded) and
    the per-access results."""

    data: tuple[dlms.DlmsValue, ...]
    failures: tuple[Failure, ...]


def dlms_content(message: Content) -> DlmsContent | None:
    """The DLMS Access-Response data of the message, or None while it is still ciphered."""
    parts = [part for part in payload_parts(message) if part.kind == "dlms"]
    if len(parts) > 1:
        raise UseCaseError(f"expected one DLMS payload part, found {len(parts)}", None)
    if parts:
        part = parts[0]
        if part.plaintext is None:
            return None
        apdu, source = part.plaintext, f"payload part {part.name!r}"
    elif message.payload[:1] == bytes([dlms.ACCESS_RESPONSE]):
        # No split available: a DLMS payload is one APDU, usable when nothing is ciphered.
        apdu, source = message.payload, "payload"
    else:
        return None
    try:
        response = dlms.access_response(apdu)
        data = []
        for item in response.data:
            protected = dlms.protected_data(item)
            if protected is None:
                data.append(item)
            elif protected.ciphered:
                return None
            else:
                # Decrypted in place: the octet string holds the A-XDR attribute values.
                data.append(dlms.decode_all(protected.content, protected.content_offset))
    except DecodeError as exc:
        raise type(exc)(exc.reason, exc.offset, exc.code, source) from None
    failures = tuple(
        Failure("cosem", result.code, result.name, kind=result.kind, position=index)
        for index, result in enumerate(response.results, start=1) if not result.ok)
    return DlmsContent(tuple(data), failures)


def require(condition: bool, reason: str, value: dlms.DlmsValue | None = None) -> None:
    """Fail with the offset of the offending DLMS value when a shape check does not hold."""
    if not condition:
        raise UseCaseError(reason, None if value is None else value.offset)


# ---------------------------------------------------------------------------------------
# Electricity (DLMS) register sets

@fast_init
@dataclass(frozen=True, slots=True)
class Register:
    """A register value, with the scaler and unit of a following scaler_unit structure."""

    value: dlms.DlmsValue
    scaler: int | None = None
    unit: int | None = None


def unwrap(value: dlms.DlmsValue) -> dlms.DlmsValue:
    """Strip one-element structures around a structure or array (the protected-attributes
    list holding a single attribute)."""
    while value.tag == dlms.STRUCTURE and len(value.value) == 1 and \
            value.value[0].tag in (dlms.STRUCTURE, dlms.ARRAY):
        value = value.value[0]
    return value


def is_scaler_unit(value: dlms.DlmsValue) -> bool:
    return (value.tag == dlms.STRUCTURE and len(value.value) == 2
            and value.value[0].tag == dlms.INTEGER and value.value[1].tag == dlms.ENUM)


def registers(value: dlms.DlmsValue) -> list[Register]:
    """Read a flat structure of register values, each optionally followed by scaler_unit."""
    items = unwrap(value).items
    found: list[Register] = []
    for item in items:
        if is_scaler_unit(item):
            require(bool(found) and found[-1].scaler is None,
                    "scaler_unit structure without a register value before it", item)
            scaler, unit = item.value
            found[-1] = Register(found[-1].value, scaler.value, unit.value)
        else:
            require(item.is_integer, f"expected a register value, found {item.type_name}", item)
            found.append(Register(item))
    return found


def register_value(register: Register) -> int:
    """The register value with its scaler applied, as a whole number (MMC xs:integer)."""
    value = register.value.value
    scaler = register.scaler or 0
    if scaler >= 0:
        return int(value * 10 ** scaler)
    divisor = 10 ** -scaler
    require(value % divisor == 0,
            f"value {value} with scaler {scaler} is not a whole number; MMC wants an integer",
            register.value)
    return int(value // divisor)
