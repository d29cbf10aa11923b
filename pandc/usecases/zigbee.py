"""The GBZ walker: a gas response's ZCL frames → its MMC value tree, by the catalogue.

Every use case in :data:`pandc.usecases.catalogue.gbz.USE_CASES` is registered here. The
walker reads each GBZ component's ZCL frame (Read Attributes Response, Default Response, or a
cluster-specific command by its :data:`pandc.codec.zcl.COMMANDS` layout) within one
:class:`~pandc.codec.limits.Budget` per message, turns every non-success status into a
:class:`Failure` (MMC ``MessageSuccess="false"`` and ``DebugInfo``), and places values by the
catalogue's rows and row templates. What it reads but cannot place is a warning, never silent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from ..codec import zcl
from ..codec.frame import format_eui
from ..codec.limits import Budget
from ..errors import DecodeError
from ..values import Builder, Scalar
from . import register
from .base import Content, Failure, UseCaseError, UseCaseResult, gbz_frames, scale
from .catalogue import gbz as catalogue
from .catalogue.gbz import GbzUseCase, GbzValue, Template

ZCL_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)    # ZCL UTCTime counts seconds from here
UTC_INVALID = 0xFFFFFFFF
ONE_DAY = timedelta(days=1)
SAMPLE_INTERVAL_DAILY = 0xFFFF     # GBCS GCS61: a day does not fit the uint16 seconds [?]
NOT_FOUND = 0x8B
RAW_UNITS = ("values are in the meter's register units: the response carries no "
             "Multiplier/Divisor to scale them")


@dataclass
class Readout:
    """What the ZCL frames of one response carry."""

    attributes: dict[tuple[int, int], zcl.ZclAttribute] = field(default_factory=dict)
    failed: set[tuple[int, int]] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)
    not_found: list[Failure] = field(default_factory=list)
    commands: list[tuple[int, zcl.ZclCommand]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def value(self, cluster_id: int, attribute_id: int) -> Any:
        attribute = self.attributes.get((cluster_id, attribute_id))
        return None if attribute is None else attribute.value

    def commands_named(self, cluster_id: int, name: str) -> list[zcl.ZclCommand]:
        return [command for cluster, command in self.commands
                if cluster == cluster_id and command.name == name]


def read(message: Content, use_case: GbzUseCase) -> Readout | None:
    """Read every ZCL frame of the response (None while a component is still ciphered)."""
    frames = gbz_frames(message)
    if frames is None:
        return None
    budget = Budget()
    readout = Readout()
    for item in frames:
        frame, cluster = item.frame, item.cluster_id
        try:
            if frame.profile_wide and frame.command_id == zcl.COMMAND_READ_ATTRIBUTES_RESPONSE:
                for record in zcl.read_attributes_response(frame.payload, frame.payload_offset,
                                                           budget, readout.warnings):
                    if record.ok:
                        readout.attributes[(cluster, record.attribute_id)] = record
                    else:
                        readout.failed.add((cluster, record.attribute_id))
                        readout.failures.append(Failure(
                            "zigbee", record.status, record.status_name, cluster_id=cluster,
                            attribute_id=record.attribute_id))
            elif frame.profile_wide and frame.command_id == zcl.COMMAND_DEFAULT_RESPONSE:
                response = zcl.default_response(frame.payload, frame.payload_offset)
                if response.status != zcl.SUCCESS:
                    failure = Failure("zigbee", response.status, response.status_name,
                                      cluster_id=cluster, command_id=response.command_id)
                    if use_case.log and response.status == NOT_FOUND:
                        readout.not_found.append(failure)     # an empty log slot
                    else:
                        readout.failures.append(failure)
            elif not frame.profile_wide and _expected(use_case, cluster, frame):
                command = zcl.cluster_command(cluster, frame, budget, readout.warnings)
                readout.commands.append((cluster, command))
                _command_status(cluster, frame, command, readout)
            else:
                layout = None if frame.profile_wide else zcl.command_layout(cluster, frame)
                named = f"{layout.name}, " if layout else ""
                raise UseCaseError(
                    f"{use_case.use_case}: expected a ZCL Read Attributes Response, Default "
                    f"Response or {', '.join(expected_commands(use_case)) or 'no other command'}; "
                    f"found command 0x{frame.command_id:02X} ({named}frame control "
                    f"0x{frame.frame_control:02X})", frame.payload_offset - 1)
        except DecodeError as exc:
            raise type(exc)(exc.reason, exc.offset, exc.code,
                            f"payload part {item.part_name!r}") from None
    if readout.not_found and not readout.commands and not readout.attributes:
        # Every slot empty: the device found nothing, which the User must see.
        readout.failures.extend(readout.not_found)
    return readout


def expected_commands(use_case: GbzUseCase) -> tuple[str, ...]:
    """The ZSE commands the use case's response may carry: its templates' and its own."""
    names = catalogue.SHAPES.get(use_case.shape, (use_case.shape,))
    own = tuple(catalogue.TEMPLATES[name].command for name in names if name in catalogue.TEMPLATES)
    if "non_disablement_calendar" in names:
        own += tuple(command for command, _, _ in catalogue.NON_DISABLEMENT_PARTS)
    return own + use_case.commands


def _expected(use_case: GbzUseCase, cluster: int, frame: zcl.ZclFrame) -> bool:
    layout = zcl.command_layout(cluster, frame)
    return layout is not None and layout.name in expected_commands(use_case)


def _command_status(cluster: int, frame: zcl.ZclFrame, command: zcl.ZclCommand,
                    readout: Readout) -> None:
    """Commands that carry their own outcome (ZSE ConsumerTopUpResponse ResultType)."""
    if command.name == "ConsumerTopUpResponse":
        result = command.fields["ResultType"]
        if result not in catalogue.TOP_UP_ACCEPTED:
            readout.failures.append(Failure(
                "zigbee", result, catalogue.TOP_UP_RESULTS.get(result, f"TOP_UP_RESULT_0x{result:02X}"),
                cluster_id=cluster, command_id=frame.command_id))
    elif command.name == "GetProfileResponse":
        status = command.fields["Status"]
        if status:
            readout.failures.append(Failure(
                "zigbee", status, catalogue.PROFILE_STATUSES.get(status, f"PROFILE_STATUS_0x{status:02X}"),
                cluster_id=cluster, command_id=frame.command_id))
    elif command.name == "StartSamplingResponse":
        if command.fields["SampleID"] == catalogue.SAMPLING_NOT_STARTED:
            readout.failures.append(Failure(
                "zigbee", catalogue.SAMPLING_NOT_STARTED, "SAMPLING_NOT_STARTED",
                cluster_id=cluster, command_id=frame.command_id))


def decode(message: Content) -> UseCaseResult | None:
    use_case = catalogue.BY_CODE[message.frame.message_code]
    readout = read(message, use_case)
    if readout is None:
        return None
    root = Builder(use_case.mmc_type, MessageSuccess=not readout.failures)
    for path in use_case.always:
        _place(root, path, None, leaf=False)
    warnings = readout.warnings
    for name in catalogue.SHAPES.get(use_case.shape, (use_case.shape,)):
        if name == "attributes":
            _attributes(use_case, readout, root, warnings)
        elif name != "ack":
            _template(name, catalogue.TEMPLATES[name], readout, root, warnings)
    if use_case.shape != "ack":
        _unplaced(use_case, readout, warnings)
    return UseCaseResult(root.build(), tuple(readout.failures), tuple(warnings))


register(*catalogue.BY_CODE)(decode)


# ---------------------------------------------------------------------------------------
# Placing values

def _place(root: Builder, path: str, value: Scalar | None, leaf: bool = True) -> Builder:
    """Put ``value`` at ``path`` below ``root``: intermediate elements are found (the last of
    that name) or made; the last element is always new when ``leaf``."""
    node = root
    names = path.split("/")
    for depth, step in enumerate(names):
        name, attributes = _step(step)
        last = depth == len(names) - 1
        if not (last and leaf):
            found = [c for c in node.children if isinstance(c, Builder) and c.name == name
                     and c.attributes == attributes]
            if found:
                node = found[-1]
                continue
        node = node.add(name, value if last else None, **attributes)
    return node


def _step(step: str) -> tuple[str, dict[str, Scalar]]:
    if not step.endswith("]"):
        return step, {}
    name, _, inner = step[:-1].partition("[")
    key, _, value = inner.partition("=")
    return name, {key: int(value)}


def _has(root: Builder, path: str) -> bool:
    node: Builder | None = root
    for step in path.split("/"):
        name, attributes = _step(step)
        matches = [c for c in node.children if isinstance(c, Builder) and c.name == name
                   and c.attributes == attributes] if node else []
        node = matches[-1] if matches else None
        if node is None:
            return False
    return True


def utc_time(seconds: int) -> datetime | None:
    """ZCL UTCTime (seconds since 2000-01-01 00:00:00 UTC); 0xFFFFFFFF is 'invalid'."""
    if seconds == UTC_INVALID:
        return None
    return ZCL_EPOCH + timedelta(seconds=seconds)


# ---------------------------------------------------------------------------------------
# Read Attributes Responses

def _attributes(use_case: GbzUseCase, readout: Readout, root: Builder,
                warnings: list[str]) -> None:
    rows = catalogue.VALUES_BY_USE_CASE.get(use_case.use_case, ())
    failed_clusters = {cluster for cluster, _ in readout.failed} | {
        f.cluster_id for f in readout.failures}
    for row in rows:
        key = (row.cluster, row.attribute)
        attribute = readout.attributes.get(key)
        if attribute is None:
            if key not in readout.failed and row.cluster not in failed_clusters:
                warnings.append(f"cluster 0x{row.cluster:04X} attribute 0x{row.attribute:04X} "
                                "is missing from the response")
            continue
        if attribute.data_type not in row.zcl_types:
            warnings.append(
                f"cluster 0x{row.cluster:04X} attribute 0x{row.attribute:04X} is "
                f"{_type_name(attribute.data_type)}, "
                f"not {'/'.join(zcl.TYPE_NAMES[t] for t in row.zcl_types)}; left out")
            continue
        if row.needs and not _has(root, row.needs):
            continue
        _apply(row, attribute.value, readout, root, warnings)


def _type_name(data_type: int | None) -> str:
    """A ZCL data type as the warnings name it (the ZCL short name, else its hex code)."""
    code = data_type or 0
    return zcl.TYPE_NAMES.get(code, hex(code))


def _apply(row: GbzValue, raw: Any, readout: Readout, root: Builder, warnings: list[str]) -> None:
    where = f"cluster 0x{row.cluster:04X} attribute 0x{row.attribute:04X}"
    if raw is None:
        warnings.append(f"{where}: the device reports the value as invalid; left out")
        return
    rule = row.rule
    value: Scalar | None
    if rule == "integer":
        value = raw
    elif rule in ("metering", "flow"):
        cluster, multiplier_id, divisor_id = row.argument or (
            catalogue.METERING, 0x0301, 0x0302)
        multiplier = readout.value(cluster, multiplier_id)
        divisor = readout.value(cluster, divisor_id)
        for attribute_id, found in ((multiplier_id, multiplier), (divisor_id, divisor)):
            if found is None and (cluster, attribute_id) not in readout.failed:
                _warn_once(warnings, f"cluster 0x{cluster:04X} attribute 0x{attribute_id:04X} "
                                     "is missing from the response")
            elif found is not None and not isinstance(found, int):
                data_type = readout.attributes[(cluster, attribute_id)].data_type
                _warn_once(warnings, f"cluster 0x{cluster:04X} attribute 0x{attribute_id:04X} is "
                                     f"{_type_name(data_type)}, not an integer: the values it "
                                     "scales are left out")
        if not isinstance(multiplier, int) or not isinstance(divisor, int):
            return
        if divisor == 0:
            _warn_once(warnings, "Metering Divisor is 0: consumption values cannot be scaled")
            return
        value = scale(raw, multiplier, divisor)
    elif rule == "trailing":
        cluster, digit_id = row.argument
        found = readout.attributes.get((cluster, digit_id))
        if found is None:
            warnings.append(f"{where}: trailing-digit attribute 0x{digit_id:04X} missing; left out")
            return
        if found.data_type != zcl.MAP8 or not isinstance(found.value, int):
            # ZSE Price: the trailing digit is the high nibble of a map8; any wider value
            # would scale by a power of ten no decimal can hold
            warnings.append(f"{where}: trailing-digit attribute 0x{digit_id:04X} is "
                            f"{_type_name(found.data_type)}, not map8; left out")
            return
        value = Decimal(raw).scaleb(-(found.value >> 4))
    elif rule == "unit_m3":
        if raw != 0x01:
            warnings.append(f"Metering UnitOfMeasure 0x{raw:02X} is not m3; MMC has no unit for it")
            return
        value = "m3"
    elif rule == "enum":
        if raw not in row.mapping:
            warnings.append(f"{where}: value {raw} has no MMC enumeration; left out")
            return
        value = row.mapping[raw]
    elif rule in ("text", "octets_text"):
        value = _text(raw, where, warnings)
        if value is None:
            return
    elif rule == "model":
        _model(row, raw, where, root, warnings)
        return
    else:
        raise ValueError(f"catalogue rule {rule!r} unknown")     # a catalogue bug
    if row.max_length and isinstance(value, str) and len(value) > row.max_length:
        warnings.append(f"{where}: {len(value)} characters, MMC allows {row.max_length}; left out")
        return
    _place(root, row.mmc, value)


def _text(raw: Any, where: str, warnings: list[str]) -> str | None:
    """Printable text (trailing NUL padding dropped), or None with a warning: MMC strings
    cannot hold control characters, and XML cannot hold most of them at all."""
    if isinstance(raw, str):
        text = raw.rstrip("\x00")
    else:
        try:
            text = bytes(raw).rstrip(b"\x00").decode("ascii")
        except UnicodeDecodeError:
            text = ""
    if text.isprintable() and text:
        return text
    octets = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    warnings.append(f"{where}: octets {octets.hex().upper()} are not printable text; left out")
    return None


def _model(row: GbzValue, raw: Any, where: str, root: Builder, warnings: list[str]) -> None:
    """Basic ModelIdentifier: model type (8 characters), then, when 16 octets long, the
    device's EUI-64 (MMC DeviceIdentifier comes before ModelType) [?]."""
    octets = raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)
    if len(octets) == 16:
        _place(root, "DeviceIdentifier", format_eui(octets[8:]))
        octets = octets[:8]
    model = _text(octets.rstrip(b" "), where, warnings)     # a space-padded 8-octet field
    if model is None:
        return
    if len(model) > row.max_length:
        warnings.append(f"{where}: model type of {len(model)} characters, MMC allows "
                        f"{row.max_length}; left out")
        return
    _place(root, row.mmc, model)


def _warn_once(warnings: list[str], text: str) -> None:
    if text not in warnings:
        warnings.append(text)


def _unplaced(use_case: GbzUseCase, readout: Readout, warnings: list[str]) -> None:
    """Say what the response carried that the catalogue does not place."""
    rows = catalogue.VALUES_BY_USE_CASE.get(use_case.use_case, ())
    placed = {(row.cluster, row.attribute) for row in rows}
    for key in readout.attributes:
        if key not in placed and key not in catalogue.CONTEXT_ATTRIBUTES:
            warnings.append(f"cluster 0x{key[0]:04X} attribute 0x{key[1]:04X}: no MMC element "
                            f"for it in the {use_case.use_case} catalogue; left out")
    used = {(t.cluster, command) for name in catalogue.SHAPES.get(use_case.shape, (use_case.shape,))
            for t in [catalogue.TEMPLATES.get(name)] if t is not None
            for command in expected_commands(use_case)}
    for cluster, command in readout.commands:
        if (cluster, command.name) not in used:
            _warn_once(warnings, f"cluster 0x{cluster:04X} {command.name}: not written to MMC "
                                 f"(the {use_case.use_case} catalogue has no row for it)")


# ---------------------------------------------------------------------------------------
# Row templates: repeated shapes from cluster-specific commands

def _template(name: str, template: Template, readout: Readout, root: Builder,
              warnings: list[str]) -> None:
    if name == "non_disablement_calendar":
        _non_disablement_calendar(template, readout, root, warnings)
        return
    commands = readout.commands_named(template.cluster, template.command)
    entries: list[dict[str, Any]] = []
    for command in commands:
        entries.extend(_entries(name, command, warnings))
    if len(entries) > template.limit:
        warnings.append(f"{template.command}: {len(entries)} entries, MMC holds "
                        f"{template.limit}; the rest are left out")
        entries = entries[:template.limit]
    if name == "event_configuration":
        _event_configuration(template, entries, root, warnings)
        return
    for source in entries:
        if template.entry:
            path = f"{template.container}/{template.entry}" if template.container else template.entry
            entry = _place(root, path, None)
        else:
            entry = _place(root, template.container, None, leaf=False) if template.container else root
        _entry_fields(template, source, entry, warnings)


def _entry_fields(template: Template, source: dict[str, Any], entry: Builder,
                  warnings: list[str]) -> None:
    for item in template.fields:
        raw = source.get(item.source)
        if raw is None:
            continue
        rule = item.rule
        if rule == "integer":
            _place(entry, item.mmc, raw)
        elif rule == "raw_decimal":
            _warn_once(warnings, RAW_UNITS)
            _place(entry, item.mmc, Decimal(raw))
        elif rule == "indexed_decimal":
            _warn_once(warnings, RAW_UNITS)
            values = list(raw)
            if len(values) > 4:
                warnings.append(f"{item.source}: {len(values)} values, MMC holds 4; the rest "
                                "are left out")
            for index, value in enumerate(values[:4], start=1):
                _place(entry, f"{item.mmc}[index={index}]", Decimal(value))
        elif rule == "utc":
            moment = raw if isinstance(raw, datetime) else utc_time(raw)
            if moment is None:
                warnings.append(f"{template.command} {item.source}: invalid UTC time "
                                "(0xFFFFFFFF); left out")
            else:
                _place(entry, item.mmc, moment)
        elif rule == "hex16":
            _place(entry, item.mmc, raw.to_bytes(2, "big"))
        elif rule == "octets_nonempty":
            if raw:
                _place(entry, item.mmc, bytes(raw))
        elif rule == "text":
            _place(entry, item.mmc, raw)
        else:
            raise ValueError(f"catalogue rule {rule!r} unknown")     # a catalogue bug


def _entries(name: str, command: zcl.ZclCommand, warnings: list[str]) -> list[dict[str, Any]]:
    """The template's entries in one command, with derived fields (sample times, snapshot
    payload registers) added."""
    fields = command.fields
    if command.name == "GetSampledDataResponse":
        interval = fields["SampleRequestInterval"]
        step = ONE_DAY if (name == "daily_consumption_log" and interval == SAMPLE_INTERVAL_DAILY) \
            else timedelta(seconds=interval)
        start = utc_time(fields["SampleStartTime"])
        if fields["NumberOfSamples"] != len(command.entries):
            warnings.append(f"GetSampledDataResponse announces {fields['NumberOfSamples']} samples, "
                            f"carries {len(command.entries)}")
        return [{"Sample": entry["Sample"],
                 "SampleTime": None if start is None else start + index * step}
                for index, entry in enumerate(command.entries)]
    if command.name == "GetProfileResponse":
        seconds = catalogue.PROFILE_INTERVAL_SECONDS.get(fields["ProfileIntervalPeriod"])
        end = utc_time(fields["EndTime"])
        if seconds is None:
            warnings.append(f"GetProfileResponse: interval period {fields['ProfileIntervalPeriod']} "
                            "is not a ZSE one; interval times left out")
        if end is None:
            warnings.append("GetProfileResponse: EndTime invalid (0xFFFFFFFF); interval times "
                            "left out")
        if fields["NumberOfPeriodsDelivered"] != len(command.entries):
            warnings.append(f"GetProfileResponse announces {fields['NumberOfPeriodsDelivered']} "
                            f"intervals, carries {len(command.entries)}")
        return [{"Interval": entry["Interval"],
                 "IntervalEnd": None if end is None or seconds is None
                 else end - timedelta(seconds=index * seconds)}
                for index, entry in enumerate(command.entries)]
    if command.name == "PublishSnapshot":
        registers = _snapshot_registers(command, warnings)
        return [] if registers is None else [{"SnapshotTime": fields["SnapshotTime"], **registers}]
    if command.name == "PublishPrepaySnapshot":
        status = _prepay_snapshot(command, warnings)
        return [] if status is None else [{"SnapshotTime": fields["SnapshotTime"], **status}]
    if command.name == "PublishBillingPeriod":
        # MMC GasBillingCalendar needs both its elements: without either, none is written.
        duration_type, duration = fields["BillingPeriodDurationType"], fields["BillingPeriodDuration"]
        periodicity = catalogue.PERIODICITY.get((duration_type & 0x0F, duration))
        start = utc_time(fields["BillingPeriodStartTime"])
        if periodicity is None or start is None:
            warnings.append(
                f"PublishBillingPeriod: duration {duration} (type 0x{duration_type:02X}) or start "
                f"0x{fields['BillingPeriodStartTime']:08X} has no MMC GasBillingCalendar form; "
                "billing calendar left out")
            return []
        return [{"BillingPeriodStartTime": start, "Periodicity": periodicity}]
    if command.name == "StartSamplingResponse":
        return [] if fields["SampleID"] == catalogue.SAMPLING_NOT_STARTED else [dict(fields)]
    return [dict(entry) for entry in command.entries]


def _snapshot_registers(command: zcl.ZclCommand, warnings: list[str]) -> dict[str, Any] | None:
    """ZSE PublishSnapshot payloads of delivered registers (types 0, 2, 4, 6)."""
    payload_type = command.fields["SnapshotPayloadType"]
    known = catalogue.SNAPSHOT_PAYLOADS.get(payload_type)
    if known is None:
        warnings.append(f"PublishSnapshot payload type {payload_type} is not one pandc reads; "
                        "snapshot left out")
        return None
    _, billing, blocks = known
    data, base, budget = command.rest, command.rest_offset, Budget()
    values: dict[str, Any] = {}
    fields: list[tuple[str, int]] = [("CurrentSummationDelivered", zcl.UINT48)]
    if billing:
        fields += [("BillToDateDelivered", zcl.UINT32), ("BillToDateTimeStampDelivered", zcl.UTC_TIME),
                   ("ProjectedBillDelivered", zcl.UINT32),
                   ("ProjectedBillTimeStampDelivered", zcl.UTC_TIME),
                   ("BillDeliveredTrailingDigit", zcl.MAP8)]
    fields.append(("NumberOfTiersInUse", zcl.UINT8))
    values, position = zcl.read_fields(data, 0, tuple(fields), base, budget, None)
    tiers = values["NumberOfTiersInUse"]
    budget.take(tiers, base + position, (len(data) - position) // 6)
    values["TierSummation"], position = _uint48s(data, position, tiers, base)
    if blocks:
        more, position = zcl.read_fields(data, position, (("NumberOfTiersAndBlockThresholdsInUse",
                                                            zcl.UINT8),), base, budget, None)
        values.update(more)
        left = len(data) - position
        if left % 6:
            raise UseCaseError(f"PublishSnapshot: {left} bytes of block summations are not "
                               "whole uint48 values", base + position)
        values["TierBlockSummation"], position = _uint48s(data, position, left // 6, base)
    if position != len(data):
        raise UseCaseError(f"PublishSnapshot: {len(data) - position} byte(s) after the payload",
                           base + position)
    return values


def _uint48s(data: bytes, position: int, count: int, base: int) -> tuple[list[int], int]:
    if position + 6 * count > len(data):
        raise UseCaseError(f"{count} uint48 values run past the end", base + position)
    values = [int.from_bytes(data[position + 6 * i:position + 6 * i + 6], "little")
              for i in range(count)]
    return values, position + 6 * count


_DEBT_CREDIT_STATUS = (("AccumulatedDebt", zcl.INT32), ("Type1DebtRemaining", zcl.UINT32),
                       ("Type2DebtRemaining", zcl.UINT32), ("Type3DebtRemaining", zcl.UINT32),
                       ("EmergencyCreditRemaining", zcl.INT32), ("CreditRemaining", zcl.INT32))


def _prepay_snapshot(command: zcl.ZclCommand, warnings: list[str]) -> dict[str, Any] | None:
    payload_type = command.fields["SnapshotPayloadType"]
    if payload_type != catalogue.PREPAY_SNAPSHOT_DEBT_CREDIT_STATUS:
        warnings.append(f"PublishPrepaySnapshot payload type {payload_type} is not one pandc "
                        "reads; snapshot left out")
        return None
    values, position = zcl.read_fields(command.rest, 0, _DEBT_CREDIT_STATUS, command.rest_offset,
                                       Budget(), None)
    if position != len(command.rest):
        raise UseCaseError("PublishPrepaySnapshot: bytes after the debt/credit status",
                           command.rest_offset + position)
    return values


def _event_configuration(template: Template, entries: list[dict[str, Any]], root: Builder,
                         warnings: list[str]) -> None:
    """MMC names one element per event (x810D ...) in its own order; ZSE bitmap bits."""
    settings = {entry["EventID"]: entry["EventConfiguration"] for entry in entries}
    unknown = sorted(set(settings) - set(catalogue.GSME_SUPPLIER_EVENTS))
    if unknown:
        warnings.append("ReportEventConfiguration: events " + ", ".join(f"0x{e:04X}" for e in unknown)
                        + " have no MMC GasSupplierAlertEventSettings element; left out")
    container = _place(root, template.container, None, leaf=False)
    for event_id in catalogue.GSME_SUPPLIER_EVENTS:
        if event_id not in settings:
            continue
        bits = settings[event_id]
        element = container.add(f"x{event_id:04X}")
        flags = (bits & 0x08, bits & 0x10, bits & 0x07, bits & 0x60)
        for item, flag in zip(template.fields, flags):
            element.add(item.mmc, "Enable" if flag else "Disable")


def _non_disablement_calendar(template: Template, readout: Readout, root: Builder,
                              warnings: list[str]) -> None:
    """GBCS's non-disablement calendar is a ZSE friendly-credit calendar: day profiles of
    (start minute, on/off), week profiles of seven day IDs, seasons and special days by ZCL
    date. MMC puts it first under Gas, before DebtRecovery1/2."""
    calendar = Builder(template.container.rsplit("/", 1)[-1])
    for command_name, element, limit in catalogue.NON_DISABLEMENT_PARTS:
        commands = readout.commands_named(template.cluster, command_name)
        if not commands:
            continue
        if len(commands) > limit:
            warnings.append(f"{command_name}: {len(commands)} found, MMC holds {limit}; "
                            "the rest are left out")
        part = calendar.add(element)
        for command in commands[:limit]:
            if command_name == "PublishDayProfile":
                _day_profile(part, command, warnings)
            elif command_name == "PublishWeekProfile":
                days = [command.fields[f"DayIDRef{day}"] for day in (
                    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
                if not (_in_range(command.fields["WeekID"], 1, 2, "week ID", warnings)
                        and all(_in_range(day, 1, 5, "day ID", warnings) for day in days)):
                    continue                     # MMC needs the name and all seven days
                week = part.add("WeekProfile")
                week.add("WeekName", command.fields["WeekID"])
                for index, day_id in enumerate(days, start=1):
                    week.add("ReferencedDayName", day_id, index=index)
            else:
                single, date_field, reference, reference_field = (
                    ("Season", "SeasonStartDate", "ReferencedWeekName", "WeekIDRef")
                    if command_name == "PublishSeasons"
                    else ("SpecialDay", "SpecialDayDate", "ReferencedDayName", "DayIDRef"))
                date_name = "SeasonStartDate" if single == "Season" else "Date"
                for entry in command.entries:
                    if len(part.children) == limit:
                        warnings.append(f"{command_name}: more than {limit} entries; the rest "
                                        "are left out")
                        break
                    item = part.add(single)
                    date = _gas_date(entry[date_field], warnings)
                    if date is not None:
                        date.name = date_name
                        item.append(date)
                    if _in_range(entry[reference_field], 1, 2 if single == "Season" else 5,
                                 reference_field, warnings):
                        item.add(reference, entry[reference_field])
    if not calendar.children:
        return
    gas = _place(root, "Gas", None, leaf=False)
    gas.children.insert(0, calendar)


def _day_profile(part: Builder, command: zcl.ZclCommand, warnings: list[str]) -> None:
    profile = part.add("GasNonDisablementDayProfile")
    entries = command.entries
    if len(entries) > 3:
        warnings.append(f"PublishDayProfile day {command.fields['DayID']}: {len(entries)} "
                        "actions, MMC holds 3; the rest are left out")
    for index, entry in enumerate(entries[:3], start=1):
        action = profile.add("TimeStartAction", index=index)
        minutes = entry["StartTime"]
        if minutes < 24 * 60:
            action.add("StartTime", time(minutes // 60, minutes % 60))
        else:
            warnings.append(f"PublishDayProfile: start minute {minutes} is past midnight; "
                            "left out")
        flag = catalogue.FRIENDLY_CREDIT_ACTIONS.get(entry["ActiveTier"])
        if flag is None:
            warnings.append(f"PublishDayProfile: friendly credit value {entry['ActiveTier']} "
                            "is neither on nor off; left out")
        else:
            action.add("NonDisablementAction", flag)
    if _in_range(command.fields["DayID"], 1, 5, "day ID", warnings):
        profile.add("GasDayName", command.fields["DayID"])


def _in_range(value: int, low: int, high: int, what: str, warnings: list[str]) -> bool:
    if low <= value <= high:
        return True
    warnings.append(f"non-disablement calendar: {what} {value} is outside MMC's {low}..{high}; "
                    "left out")
    return False


def _gas_date(octets: bytes, warnings: list[str]) -> Builder | None:
    """A ZCL Date (year - 1900, month, day of month, day of week; 0xFF = any) as MMC
    GasDateWithWildcards."""
    year, month, day, weekday = octets
    date = Builder("Date")
    parts = (("GasYearWithWildcards", "SpecifiedYear", "NonSpecifiedYear",
              None if year == 0xFF else catalogue.ZCL_DATE_YEAR_BASE + year,
              catalogue.MMC_GAS_FIRST_YEAR, 9999),
             ("GasMonthWithWildcards", "SpecifiedMonth", "NonSpecifiedMonth",
              None if month == 0xFF else month, 1, 12),
             ("GasDayOfMonthWithWildcards", "SpecifiedDayOfMonth", "GasNonSpecifiedDayOfMonth",
              None if day == 0xFF else day, 1, 31),
             ("GasDayOfWeekWithWildcards", "SpecifiedDayOfWeek", "NonSpecifiedDayOfWeek",
              None if weekday == 0xFF else weekday, 1, 7))
    for element, specified, any_value, value, low, high in parts:
        if value is not None and not low <= value <= high:
            warnings.append(f"ZCL date {octets.hex().upper()}: {specified} {value} is outside "
                            f"{low}..{high}; date left out")
            return None
        holder = date.add(element)
        if value is None:
            holder.add(any_value)
        else:
            holder.add(specified, value)
    return date
