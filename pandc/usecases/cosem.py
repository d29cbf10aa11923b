"""The generic DLMS/COSEM walker: electricity (and CHF) responses -> MMC value trees, read
from :mod:`pandc.usecases.catalogue.dlms`.

One decoder serves every use case of the catalogue. It finds the MMC response type for the
message's SRV, reads the Access-Response (protected attributes decrypted when keys were
given), turns each non-success Get/Set/Action result into a :class:`Failure`
(``MessageSuccess="false"``; the renderer writes COSEM DebugInfo) and places the values the
catalogue rows name. Register sets (value + scaler_unit pairs inside protected attributes)
are the one irregular shape; their handlers are at the end.
"""
from __future__ import annotations

from datetime import date, datetime, time as dt_time, timedelta, timezone
from typing import Callable

from . import register
from .base import (
    Content, DlmsContent, Register, UseCaseError, UseCaseResult, dlms_content,
    is_scaler_unit as base_is_scaler_unit, register_value, registers, require,
    response_element, result, unwrap,
)
from .catalogue import dlms as catalogue
from ..codec import dlms
from ..codec.dates import clock_status_of, decode_date_time
from ..values import Builder, Node, leaf

UTC_EPOCH_2000 = datetime(2000, 1, 1, tzinfo=timezone.utc)

# ZigBee sub-GHz channel page -> (MMC band element, first MMC channel number, mask bits used)
_PAGE_CHANNELS = {
    28: ("OperatingLowerBandSubGHzChannel", 0, 27),
    29: ("OperatingLowerBandSubGHzChannel", 27, 8),
    30: ("OperatingLowerBandSubGHzChannel", 35, 27),
    31: ("OperatingUpperBandSubGHzChannel", 0, 27),
}

Handler = Callable[[DlmsContent, Builder, list[str]], None]


def decode_response(message: Content) -> UseCaseResult | None:
    frame = message.frame
    row = catalogue.BY_CODE[frame.message_code]
    srv = frame.service_reference_variant
    mmc_type = row.response_type(srv)
    if mmc_type is None:
        if srv is None:
            raise UseCaseError(
                f"{row.use_case} serves SRVs {', '.join(s for s, _ in row.responses)} with "
                "different MMC response types; the SRV (from the DUIS request or response) is "
                "needed to choose one")
        raise UseCaseError(f"{row.use_case}: SRV {srv} has no MMC V5.4 response type")
    if not any(part.kind == "dlms" for part in message.parts) and \
            message.payload[:1] != bytes([dlms.ACCESS_RESPONSE]):
        raise UseCaseError(f"{row.use_case}: expected a DLMS Access-Response payload, found "
                           f"one starting 0x{message.payload[:1].hex().upper() or '(empty)'}", 0)
    content = dlms_content(message)
    if content is None:
        return None                  # still ciphered: the first pass (GBCSData) stands
    warnings: list[str] = []
    root = response_element(mmc_type, content.failures)
    if row.shape == catalogue.UNMAPPED and not content.failures:
        raise UseCaseError(f"{row.use_case}: the DLMS catalogue does not map this response's "
                           "values yet; the payload stays GBCSData")
    element = root
    for name in row.wrapper:            # the element the MMC type requires, values or not
        element = _child(element, name)
    if row.shape == catalogue.VALUES and mmc_type not in row.results_only:
        if row.handler is not None and not content.failures:
            _HANDLERS[row.handler](content, root, warnings)
        if row.values:                  # after the handler's elements: MMC order
            _place_values(row.use_case, row.values, content, root, warnings)
        if row.unwritten and not content.failures:
            warnings.append(f"{row.use_case}: {', '.join(row.unwritten)} not written (not in "
                            "the DLMS catalogue yet); the payload's GBCSData carries them")
    return result(root, content.failures, warnings)


def _child(parent: Builder, name: str) -> Builder:
    """The last child when it is called ``name``, else a new one: catalogue paths are in MMC
    order, so values for one element arrive together and document order holds."""
    last = parent.children[-1] if parent.children else None
    if isinstance(last, Builder) and last.name == name:
        return last
    return parent.add(name)


def _put(root: Builder, path: str, value: object) -> None:
    *parents, name = path.split("/")
    parent = root
    for step in parents:
        parent = _child(parent, step)
    if name == "*":                     # the converted element's children, in place
        assert isinstance(value, Node)
        for child in value.children:
            parent.append(child)
    elif isinstance(value, Node):
        parent.append(Node(name, value.value, value.children, value.attributes))
    else:
        parent.add(name, value)  # type: ignore[arg-type]


def _place_values(use_case: str, placements: tuple[catalogue.Placement, ...],
                  content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """Each catalogue value in MMC order, unless the device reported its Get as failed (that is
    a Failure) or returned null-data; a value of the wrong type is a warning and is left out.
    A group makes a new element and places its members under it (the catalogue's own nesting,
    a level or two)."""
    failed = {f.position - 1 for f in content.failures if f.position is not None}
    for value in placements:
        if isinstance(value, catalogue.Rows):
            _place_rows(use_case, value, content, root, warnings)
            continue
        if isinstance(value, catalogue.Fixed):
            _put(root, value.mmc, value.value)
            continue
        if isinstance(value, catalogue.Group):
            *parents, name = value.element.split("/")
            parent = root
            for parent_name in parents:
                parent = _child(parent, parent_name)
            group = parent.add(name)
            for attribute, fixed in value.attributes:
                group.set(attribute, fixed)
            _place_values(use_case, value.members, content, group, warnings)
            if not group.children:          # nothing came (failed Gets): no empty element
                parent.children.remove(group)
            continue
        if value.position in failed:
            continue
        if value.position >= len(content.data):
            warnings.append(f"{use_case}: {value.cosem} is missing from the response")
            continue
        item = content.data[value.position]
        if item.tag == dlms.NULL_DATA:
            continue
        try:
            whole = item
            for step in value.path:
                item = item.items[step]
            converted = _convert(value, item)
            if value.scaler is not None or value.scaler_item is not None:
                if value.scaler_item is not None:
                    require(value.scaler_item not in failed and
                            value.scaler_item < len(content.data),
                            f"no scaler_unit (item {value.scaler_item + 1})")
                    scaler_unit = content.data[value.scaler_item]
                else:
                    scaler_unit = whole
                for step in value.scaler or ():
                    scaler_unit = scaler_unit.items[step]
                require(base_is_scaler_unit(scaler_unit), "expected a scaler_unit structure, "
                        f"found {scaler_unit.type_name}", scaler_unit)
                converted = register_value(Register(item, scaler_unit.value[0].value,
                                                    scaler_unit.value[1].value))
        except (UseCaseError, dlms.DlmsDecodeError, IndexError) as problem:
            warnings.append(f"{use_case}: {value.cosem} -> {value.mmc} left out: {problem}")
            continue
        if value.rule == catalogue.ALERT_BITS:
            assert isinstance(converted, Node)
            written = {child.name for child in converted.children}
            choices = [g.element for g in value.groups if g.when == "choice"]
            if choices and not written.intersection(choices):
                warnings.append(f"{use_case}: {value.mmc}: {' / '.join(choices)} not written: "
                                "the enabled codes do not tell which the ESME is")
        if value.rule == catalogue.SPLIT13:
            assert isinstance(converted, list)
            for path, part in zip((value.mmc, *value.also), converted):
                _put(root, path, part)
        else:
            _put(root, value.mmc, converted)


def _place_rows(use_case: str, rows: catalogue.Rows, content: DlmsContent, root: Builder,
                warnings: list[str]) -> None:
    """A profile buffer -> one repeated element per entry. A failed Get (a Failure) or
    null-data writes no rows; an entry of the wrong shape is refused with its offset."""
    failed = {f.position - 1 for f in content.failures if f.position is not None}
    if rows.position in failed or rows.position >= len(content.data):
        if rows.position >= len(content.data):
            warnings.append(f"{use_case}: {rows.cosem} is missing from the response")
        return
    buffer = unwrap(content.data[rows.position])
    if buffer.tag == dlms.NULL_DATA:
        return
    for member_index in rows.path:
        require(buffer.tag == dlms.STRUCTURE and member_index < len(buffer.value),
                f"{use_case}: {rows.cosem} has no member {member_index}", buffer)
        buffer = buffer.value[member_index]
    require(buffer.tag == dlms.ARRAY, f"{use_case}: {rows.cosem} must be an array of entries, "
            f"found {buffer.type_name}", buffer)
    require(len(buffer.value) <= rows.max_rows, f"{use_case}: {len(buffer.value)} entries; MMC "
            f"allows {rows.max_rows} {rows.element}", buffer)
    *parents, name = rows.element.split("/")
    parent = root
    for step in parents:
        parent = _child(parent, step)
    for entry in buffer.value:
        require(entry.tag == dlms.STRUCTURE,
                f"{use_case}: a {rows.cosem} entry must be a structure, found {entry.type_name}",
                entry)
        element = parent.add(name)
        for column in rows.columns:
            if column.member >= len(entry.value):
                continue            # e.g. no secondary element's value on a single-element ESME
            member = entry.value[column.member]
            if member.tag == dlms.NULL_DATA:
                continue
            converted = _convert(column, member)
            if column.mmc == ".":
                element.value = converted  # type: ignore[assignment]
            elif column.mmc == "*":         # the converted element's children, in place
                assert isinstance(converted, Node)
                for child in converted.children:
                    element.append(child)
            elif column.mmc.startswith("@"):
                element.set(column.mmc[1:], converted)  # type: ignore[arg-type]
            else:
                _put(element, column.mmc, converted)


def _convert(row: catalogue.Value | catalogue.Column, item: dlms.DlmsValue) -> object:
    rule = row.rule
    if rule == catalogue.UTC2000:
        require(item.tag == dlms.DOUBLE_LONG_UNSIGNED,
                f"expected UTC seconds (double-long-unsigned), found {item.type_name}", item)
        return UTC_EPOCH_2000 + timedelta(seconds=item.value)
    if rule == catalogue.DATE_TIME:
        require(item.tag in (dlms.OCTET_STRING, dlms.DATE_TIME) and len(item.value) == 12,
                f"expected a 12-octet date-time, found {item.type_name}", item)
        decoded = decode_date_time(item.value)
        require(decoded.value is not None, f"date-time {item.value.hex().upper()} is not an "
                "xs:dateTime", item)
        return decoded.value
    if rule == catalogue.CLOCK_STATUS:
        require(item.tag == dlms.UNSIGNED, f"expected a clock status (unsigned), found "
                f"{item.type_name}", item)
        status = clock_status_of(item.value)
        require(status is not None, "clock status 0xFF (not specified) has no MMC TimeStatus",
                item)
        return Node("", None, (leaf("TimeStatus", status),), (("TimeStatusCode", item.value),))
    if rule in (catalogue.SUBGHZ_CHANNEL, catalogue.SUBGHZ_MASK):
        require(item.tag == dlms.BIT_STRING and item.bits == 32,
                f"expected a 32-bit channel page and mask, found {item.type_name}", item)
        word = int.from_bytes(item.value, "big")
        page, mask = word >> 27, word & ((1 << 27) - 1)
        require(page in _PAGE_CHANNELS, f"channel page {page} is not a GB sub-GHz page "
                "(28-31)", item)
        band, first, count = _PAGE_CHANNELS[page]
        require(mask < 1 << count, f"channel page {page} mask 0x{mask:07X} has channels MMC "
                "has no place for", item)
        channels = tuple(Node(f"Channel{first + bit}") for bit in range(count) if mask >> bit & 1)
        if rule == catalogue.SUBGHZ_MASK:
            assert isinstance(row, catalogue.Value)
            require(page == row.page, f"channel page {page} where {row.mmc} wants page "
                    f"{row.page}", item)
            return Node("", None, channels)
        require(len(channels) == 1, f"an operating channel needs exactly one channel, the "
                f"mask holds {len(channels)}", item)
        return Node("", None, (Node(band, None, channels),))
    if rule == catalogue.OCTET_INT:
        require(item.tag == dlms.OCTET_STRING and 1 <= len(item.value) <= 8,
                f"expected a short octet-string number, found {item.type_name}", item)
        return int.from_bytes(item.value, "big")
    if rule == catalogue.OCTETS32:
        require(item.tag == dlms.DOUBLE_LONG_UNSIGNED,
                f"expected a double-long-unsigned, found {item.type_name}", item)
        return item.value.to_bytes(4, "big")
    if rule == catalogue.CODE16:
        require(item.tag == dlms.LONG_UNSIGNED,
                f"expected an event code (long-unsigned), found {item.type_name}", item)
        return item.value.to_bytes(2, "big")
    if rule == catalogue.INDEXED:
        assert isinstance(row, catalogue.Value) and row.item
        require(item.tag == dlms.ARRAY and all(v.is_integer for v in item.value),
                f"expected an array of integers, found {item.type_name}", item)
        return Node("", None, tuple(leaf(row.item, v.value, index=n)
                                    for n, v in enumerate(item.value, start=1)))
    if rule in (catalogue.PRICE_TOU, catalogue.PRICE_BLOCK):
        return _price_matrix(rule, item)
    if rule == catalogue.SWITCH_TIME:
        return _switch_time(row, item)
    if rule == catalogue.ALERT_BITS:
        return _alert_settings(row, item)
    if rule == catalogue.INTEGER:
        require(item.is_integer, f"expected an integer, found {item.type_name}", item)
        return item.value
    if rule == catalogue.BOOLEAN:
        require(item.tag == dlms.BOOLEAN, f"expected a boolean, found {item.type_name}", item)
        return item.value
    if rule in (catalogue.DATE_WILD, catalogue.DATE_PLAIN):
        require(item.tag in (dlms.OCTET_STRING, dlms.DATE) and len(item.value) == 5,
                f"expected a 5-octet date, found {item.type_name}", item)
        return _date(rule, item)
    if rule == catalogue.TIME_PLAIN:
        return _time_of_day(item, "time")
    if rule in (catalogue.WEEKDAYS, catalogue.SPECDAYS):
        n_bits = item.bits
        require(item.tag == dlms.BIT_STRING and n_bits is not None,
                f"expected a bit-string, found {item.type_name}", item)
        assert n_bits is not None
        bits = [bool(item.value[i // 8] >> (7 - i % 8) & 1) for i in range(n_bits)]
        if rule == catalogue.WEEKDAYS:
            require(n_bits == 7, f"exec_weekdays is 7 bits, found {n_bits}", item)
            return Node("", None, tuple(
                Node("DayOfWeekApplicability", None, (leaf("DayOfWeekID", day),))
                for day, on in zip(WEEKDAY_NAMES, bits) if on))
        require(n_bits <= MAX_SPECIAL_DAYS, f"exec_specdays of {n_bits} bits; MMC has "
                f"{MAX_SPECIAL_DAYS} special days", item)
        return Node("", None, tuple(
            Node("SpecialDayApplicability", None, (leaf("SpecialDayID", i + 1),))
            for i, on in enumerate(bits) if on))
    if rule == catalogue.AUX_TYPE:
        require(item.tag == dlms.OCTET_STRING, f"expected an octet-string, found "
                f"{item.type_name}", item)
        raw = item.value
        if raw in AUX_TYPES:
            return Node("", None, (leaf("AuxiliaryControllerType", AUX_TYPES[raw]),))
        require(len(raw) == 8, f"typeAndIdentifier of {len(raw)} octets is none of: empty, FF, "
                "an ALCS's zeros, an HCALCS's EUI-64", item)
        return Node("", None, (leaf("AuxiliaryControllerType", "HCALCS"),
                               leaf("HCALCSID", raw.hex("-").upper())))
    if rule == catalogue.SWITCH_TYPE:
        require(item.tag == dlms.OCTET_STRING and len(item.value) == 8, "TypeAndIdentifier "
                f"must be an octet-string(8), found {item.type_name}", item)
        if item.value == bytes(8):
            return Node("", None, (Node("ALCS"),))
        return Node("", None, (leaf("HCALCS", item.value.hex("-").upper()),))
    if rule == catalogue.UTF8:
        require(item.tag == dlms.UTF8_STRING, f"expected a utf8-string, found "
                f"{item.type_name}", item)
        require(len(item.value) <= MAX_STATE_TEXT, f"{len(item.value)} characters; MMC allows "
                f"{MAX_STATE_TEXT}", item)
        require(all(_xml_char(c) for c in item.value), "text has characters XML cannot carry",
                item)
        return item.value
    if rule in (catalogue.HIGH_OCTET, catalogue.LOW_OCTET_ENUM):
        require(item.tag == dlms.LONG_UNSIGNED, f"expected a long-unsigned, found "
                f"{item.type_name}", item)
        if rule == catalogue.HIGH_OCTET:
            return item.value >> 8
        names = dict(row.names)
        require(item.value & 0xFF in names, f"right octet 0x{item.value & 0xFF:02X} has no MMC "
                "name", item)
        return names[item.value & 0xFF]
    if rule == catalogue.ENUM:
        require(item.is_integer or item.tag == dlms.BOOLEAN,
                f"expected an enum, found {item.type_name}", item)
        names = dict(row.names)
        code = int(item.value)
        require(code in names, f"value {code} has no MMC name", item)
        return names[code]
    require(item.tag in (dlms.OCTET_STRING, dlms.VISIBLE_STRING),
            f"expected an octet-string, found {item.type_name}", item)
    raw = item.value if isinstance(item.value, bytes) else item.value.encode("ascii")
    if rule == catalogue.HEX:
        return raw.hex().upper()
    if rule == catalogue.EUI:
        require(len(raw) == 8, f"an EUI-64 is 8 octets, found {len(raw)}", item)
        return raw.hex("-").upper()
    require(all(0x20 <= b < 0x7F for b in raw), "not printable ASCII text", item)
    text = raw.decode("ascii")
    if rule == catalogue.TEXT:
        return text.rstrip(" ")
    if rule == catalogue.SPLIT13:
        assert isinstance(row, catalogue.Value)
        slots = 1 + len(row.also)
        require(len(text) % 13 == 0 and 1 <= len(text) // 13 <= slots,
                f"{len(text)} characters is not 1 to {slots} 13-digit MPANs", item)
        return [text[i:i + 13] for i in range(0, len(text), 13)]
    raise UseCaseError(f"unknown catalogue rule {rule!r}", item.offset)


MAX_TOU_RATE = 48
BLOCK_INDEX_FIRST = 0xA0        # charge-table index of block b, TOU rate t: 0xA0 + 0x10 (b-1) + t
MAX_BLOCKS, MAX_BLOCK_RATES = 4, 8


def _price_matrix(rule: str, item: dlms.DlmsValue) -> Node:
    """A class 113 charge_table -> the MMC TOU prices (index = TOU rate) or block prices
    (TariffBlockPrices per TOU rate, BlockPrice per block). Every entry must be one or the
    other: an index that is neither refuses the table (a warning), nothing is dropped."""
    require(item.tag == dlms.ARRAY, f"charge_table must be an array, found {item.type_name}",
            item)
    tou: list[Node] = []
    blocks: dict[int, list[tuple[int, Node]]] = {}
    for entry in item.value:
        require(entry.tag == dlms.STRUCTURE and len(entry.value) == 2
                and entry.value[0].tag == dlms.OCTET_STRING and len(entry.value[0].value) == 1
                and entry.value[1].is_integer, "a charge_table entry is structure { octet-"
                "string(1) index, charge_per_unit }", entry)
        index, price = entry.value[0].value[0], entry.value[1].value
        block, rate = (index >> 4) - (BLOCK_INDEX_FIRST >> 4) + 1, index & 0x0F
        if 1 <= index <= MAX_TOU_RATE:
            tou.append(leaf("TariffTOUPrice", price, index=index))
        elif 1 <= block <= MAX_BLOCKS and 1 <= rate <= MAX_BLOCK_RATES:
            blocks.setdefault(rate, []).append((block, leaf("BlockPrice", price, index=block)))
        else:
            raise UseCaseError(f"charge_table index 0x{index:02X} is neither a TOU rate "
                               "(0x01-0x30) nor a block price (0xA1-0xD8)", entry.offset)
    if rule == catalogue.PRICE_TOU:
        return Node("", None, tuple(tou))
    return Node("", None, tuple(
        Node("TariffBlockPrices", None,
             tuple(price for _, price in sorted(prices, key=lambda p: p[0])), (("index", rate),))
        for rate, prices in sorted(blocks.items())))


WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_SPECIAL_DAYS = 20
LAST_DAY, SECOND_LAST_DAY = 0xFE, 0xFD       # COSEM date day-of-month special values


def _date(rule: str, item: dlms.DlmsValue) -> object:
    """COSEM date octets: year (2, FFFF any), month (FF any), day of month (FF any, FE last,
    FD second last), day of week (1 = Monday, FF any)."""
    octets = item.value
    year = int.from_bytes(octets[0:2], "big")
    month, day, weekday = octets[2], octets[3], octets[4]
    if rule == catalogue.DATE_PLAIN:
        require(year != 0xFFFF and 1 <= month <= 12 and 1 <= day <= 31,
                f"date {octets.hex().upper()} has wildcards; xs:date cannot hold them", item)
        try:
            return date(year, month, day)
        except ValueError as error:
            raise UseCaseError(f"date {octets.hex().upper()}: {error}", item.offset) from None
    require(year == 0xFFFF or year >= 2014, f"year {year} is before MMC's 2014", item)
    require(month == NOT_SPECIFIED or 1 <= month <= 12, f"month 0x{month:02X} has no MMC "
            "form (daylight-saving wildcards are not in MMC's Date)", item)
    require(day in (NOT_SPECIFIED, LAST_DAY, SECOND_LAST_DAY) or 1 <= day <= 31,
            f"day of month 0x{day:02X} has no MMC form", item)
    require(weekday == NOT_SPECIFIED or 1 <= weekday <= 7, f"day of week 0x{weekday:02X} has "
            "no MMC form", item)

    def choice(name: str, specified: str | None, value: int | None, other: str) -> Node:
        inner = leaf(specified, value) if specified else Node(other)
        return Node(name, None, (inner,))

    day_node = (choice("DayOfMonth", None, None, "LastDayOfMonth") if day == LAST_DAY else
                choice("DayOfMonth", None, None, "SecondLastDayOfMonth") if day == SECOND_LAST_DAY
                else choice("DayOfMonth", None if day == NOT_SPECIFIED else "SpecifiedDayOfMonth",
                            day, "NonSpecifiedDayOfMonth"))
    return Node("", None, (
        choice("Year", None if year == 0xFFFF else "SpecifiedYear", year, "NonSpecifiedYear"),
        choice("Month", None if month == NOT_SPECIFIED else "SpecifiedMonth", month,
               "NonSpecifiedMonth"),
        day_node,
        choice("DayOfWeek", None if weekday == NOT_SPECIFIED else "SpecifiedDayOfWeek", weekday,
               "NonSpecifiedDayOfWeek")))


# GBCS ECS61e typeAndIdentifier values other than an HCALCS's EUI-64
AUX_TYPES = {b"": "None", b"\xff": "APC", bytes(8): "ALCS"}
MAX_STATE_TEXT = 72000         # MMC StateAndAssociatedInformation maxLength (GBCS: 72,000)


def _xml_char(char: str) -> bool:
    code = ord(char)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD \
        or 0x10000 <= code <= 0x10FFFF


ALERT_SETTING_BITS = 256


def _alert_settings(row: catalogue.Value | catalogue.Column, item: dlms.DlmsValue) -> Node:
    """A 256-bit event/alert settings string -> the MMC groups of xNNNN Enable/Disable."""
    assert isinstance(row, catalogue.Value)
    require(item.tag == dlms.BIT_STRING and item.bits == ALERT_SETTING_BITS,
            f"expected a bit-string({ALERT_SETTING_BITS}), found {item.type_name}", item)
    word = int.from_bytes(item.value, "big")      # LSB = 0: bit n is 2^n of the string

    def enabled(code: int) -> bool:
        return bool(word >> (code & 0xFF) & 1)

    choices = [g for g in row.groups if g.when == "choice"]
    chosen = [g for g in choices if any(enabled(c) for c in g.codes)]
    groups = []
    for group in row.groups:
        if group.when == "if-set" and not any(enabled(c) for c in group.codes):
            continue
        if group.when == "choice" and (len(chosen) != 1 or group is not chosen[0]):
            continue
        groups.append(Node(group.element, None, tuple(
            leaf(f"x{code:04X}", "Enable" if enabled(code) else "Disable")
            for code in group.codes)))
    return Node("", None, tuple(groups))


SCHEDULE_SCRIPT_SELECTOR = 3     # schedule_table_entry members (class 10 Schedule, entries)
SCHEDULE_SWITCH_TIME = 4


def _switch_time(row: catalogue.Value | catalogue.Column, item: dlms.DlmsValue) -> dt_time:
    """The switch_time of the one schedule entry whose script_selector is the row's."""
    assert isinstance(row, catalogue.Value) and row.selector is not None
    require(item.tag == dlms.ARRAY, f"schedule entries must be an array, found "
            f"{item.type_name}", item)
    found = []
    for entry in item.value:
        require(entry.tag == dlms.STRUCTURE and len(entry.value) > SCHEDULE_SWITCH_TIME,
                "a schedule entry must be a schedule_table_entry structure", entry)
        selector = entry.value[SCHEDULE_SCRIPT_SELECTOR]
        require(selector.is_integer, f"script_selector must be an integer, found "
                f"{selector.type_name}", selector)
        if selector.value == row.selector:
            found.append(entry.value[SCHEDULE_SWITCH_TIME])
    require(len(found) == 1, f"expected one schedule entry with script_selector "
            f"{row.selector}, found {len(found)}", item)
    return _time_of_day(found[0], "switch_time")


def _time_of_day(item: dlms.DlmsValue, what: str) -> dt_time:
    """A COSEM time (4 octets: hour, minute, second, hundredths) as a time of day; a second
    'not specified' (0xFF) counts as 0, hundredths are dropped (MMC times are whole seconds)."""
    require(item.tag in (dlms.OCTET_STRING, dlms.TIME) and len(item.value) == 4,
            f"{what} must be a 4-octet time, found {item.type_name}", item)
    hour, minute, second, _hundredths = item.value
    require(hour < 24 and minute < 60 and (second == NOT_SPECIFIED or second < 60),
            f"{what} {item.value.hex().upper()} is not a time of day", item)
    return dt_time(hour, minute, 0 if second == NOT_SPECIFIED else second)


# --- register sets (GBCS: Get Protected Attributes of value, scaler_unit pairs) -------------

UNIT_WH = 30            # DLMS unit enumeration (IEC 62056-6-2): active energy
UNIT_VARH = 32          # reactive energy

# ECS17b register order: (MMC element, unit element, expected DLMS unit, unit text)
_IMPORT_REGISTERS = (
    ("ActiveImportRegister", "ActiveEnergyUnit", UNIT_WH, "Wh"),
    ("ReactiveImportRegister", "ReactiveEnergyUnit", UNIT_VARH, "varh"),
    ("SecondaryActiveImportRegister", "ActiveEnergyUnit", UNIT_WH, "Wh"),   # twin element
)


def _import_registers(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS17b: active import, reactive import and (twin element) secondary active import."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    electricity = _child(root, "Electricity")
    found = registers(content.data[0])
    require(len(found) <= len(_IMPORT_REGISTERS),
            f"ECS17b carries at most {len(_IMPORT_REGISTERS)} registers, found {len(found)}",
            content.data[0])
    for value, (name, unit_name, expected_unit, unit_text) in zip(found, _IMPORT_REGISTERS):
        element = electricity.add(name)
        element.add("Value", register_value(value))
        if value.unit == expected_unit:
            element.add(unit_name, unit_text)
        elif value.unit is not None:
            warnings.append(f"{name}: DLMS unit {value.unit} is not {unit_text}; unit left out")


MAX_PRIMARY_TOU = 48
MAX_SECONDARY_TOU = 4


def _tou_registers(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS17d: the TOU registers as an array (primary element), and for twin-element meters a
    second array (secondary element)."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    value = unwrap(content.data[0])
    if value.tag == dlms.ARRAY:
        groups = [value]
    else:
        groups = list(value.items)
        for group in groups:
            require(group.tag == dlms.ARRAY,
                    f"expected an array of TOU registers, found {group.type_name}", group)
    require(len(groups) <= 2, f"expected at most two TOU register arrays, found {len(groups)}",
            value)
    collection = _child(_child(root, "Electricity"), "TariffTOURegisterCollection")
    limits = (("TOUPrimaryRegisterValue", MAX_PRIMARY_TOU),
              ("TOUSecondRegisterValue", MAX_SECONDARY_TOU))
    for group, (name, limit) in zip(groups, limits):
        require(len(group.value) <= limit,
                f"{name}: MMC allows {limit} registers, found {len(group.value)}", group)
        for index, item in enumerate(group.value, start=1):
            require(item.is_integer, f"expected a register value, found {item.type_name}", item)
            collection.add(name, item.value, index=index)


MAX_BILLING_ENTRIES = 12      # MMC ESMEBillingDataLogEntry maxOccurs
MAX_DAILY_ENTRIES = 31        # MMC RetrieveImportDailyReadLogRsp LogEntry maxOccurs
# GBCS entry_registerReadLogEntry members after the timestamp (ECS20c 0-0:98.1.0.255, ECS21a
# 0-0:98.1.9.255): (member, array size or None for one value), single- then twin-element ESME.
_REGISTER_READ_SINGLE = (("active", None), ("tou", 48),
                         *((f"block{n}", 8) for n in range(1, 5)))
_REGISTER_READ_TWIN = (("active", None), ("secondary_active", None), ("tou", 48),
                       ("secondary_tou", 4), *((f"block{n}", 8) for n in range(1, 5)))
_BLOCKS = tuple((f"block{n}", f"TariffTOUBlock{n}RegisterMatrixValue") for n in range(1, 5))
# MMC element order of each type holding these entries: (member, MMC element)
_BILLING_ORDER = (("active", "ActiveImportRegisterValueConsumption"),
                  ("secondary_active", "SecondaryActiveImportRegisterValueConsumption"),
                  ("tou", "TariffTOURegisterMatrixValue"),
                  ("secondary_tou", "SecondaryTariffTOURegisterMatrixValue"), *_BLOCKS)
_DAILY_ORDER = (("active", "ElecActiveImportRegisterConsumption"),
                ("secondary_active", "SecondaryActiveImportRegisterConsumption"),
                ("secondary_tou", "SecondaryTariffTOURegisterMatrixValue"),
                ("tou", "TariffTOURegisterMatrixValue"), *_BLOCKS)

RegisterRead = tuple[datetime, dict[str, "int | list[int]"]]


def _register_read_entries(entries: dlms.DlmsValue, limit: int, what: str,
                           extra: int = 0) -> list[tuple[RegisterRead, list[dlms.DlmsValue]]]:
    """A buffer of GBCS entry_registerReadLogEntry { timestamp, active import, [secondary
    active import], 48 TOU registers, [4 secondary TOU registers], 4 x 8 TOU block registers }
    (bracketed: twin-element ESME only), each entry followed by ``extra`` more members (returned
    as they are, for the caller)."""
    require(entries.tag == dlms.ARRAY, f"expected the {what} buffer (array), found "
            f"{entries.type_name}", entries)
    require(len(entries.value) <= limit, f"{len(entries.value)} {what} entries; MMC allows "
            f"{limit}", entries)
    found: list[tuple[RegisterRead, list[dlms.DlmsValue]]] = []
    for entry in entries.value:
        require(entry.tag == dlms.STRUCTURE and len(entry.value) in (7 + extra, 9 + extra),
                f"a {what} entry is a structure of {7 + extra} ({9 + extra} on a twin-element "
                "ESME) members", entry)
        layout = _REGISTER_READ_SINGLE if len(entry.value) == 7 + extra else _REGISTER_READ_TWIN
        stamp = entry.value[0]
        require(stamp.tag == dlms.DOUBLE_LONG_UNSIGNED, "the entry timestamp must be UTC "
                f"seconds (double-long-unsigned), found {stamp.type_name}", stamp)
        members: dict[str, int | list[int]] = {}
        for (name, size), member in zip(layout, entry.value[1:]):
            if size is None:
                require(member.is_integer, f"{what} {name}: expected a register value, found "
                        f"{member.type_name}", member)
                members[name] = member.value
                continue
            require(member.tag == dlms.ARRAY and len(member.value) == size and all(
                v.is_integer for v in member.value), f"{what} {name}: expected an array of "
                f"{size} register values", member)
            members[name] = [v.value for v in member.value]
        rest = list(entry.value[1 + len(layout):])
        found.append(((UTC_EPOCH_2000 + timedelta(seconds=stamp.value), members), rest))
    return found


def _write_register_read(element: Builder, members: dict[str, "int | list[int]"],
                         order: tuple[tuple[str, str], ...]) -> None:
    for member, name in order:
        value = members.get(member)
        if isinstance(value, list):
            for index, item in enumerate(value, start=1):
                element.add(name, item, index=index)
        elif value is not None:
            element.add(name, value)


def _register_read_log(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS20c: the billing data log (member 0 of the protected pair; the prepayment log, member
    1, is a catalogue row template) -> Electricity/ESMEBillingDataLogEntry."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    whole = content.data[0]
    require(whole.tag == dlms.STRUCTURE and len(whole.value) == 2, "expected the protected "
            "billing data log and prepayment log (structure of 2)", whole)
    electricity = _child(root, "Electricity")
    for (stamp, members), _ in _register_read_entries(whole.value[0], MAX_BILLING_ENTRIES,
                                                      "billing data log"):
        element = electricity.add("ESMEBillingDataLogEntry")
        element.add("Timestamp", stamp)
        _write_register_read(element, members, _BILLING_ORDER)


def _daily_read_log(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS21a: the daily read log (the one protected attribute) -> LogEntry { Timestamp,
    Electricity { ... } } in MMC ImportDailyReadLogType order."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    for (stamp, members), _ in _register_read_entries(unwrap(content.data[0]),
                                                      MAX_DAILY_ENTRIES, "daily read log"):
        element = root.add("LogEntry")
        element.add("Timestamp", stamp)
        _write_register_read(element.add("Electricity"), members, _DAILY_ORDER)


_CONSUMPTION_AND_TARIFF_ORDER = (("active", "ActiveImportRegisterConsumption"),
                                 ("tou", "TariffTOURegisterMatrixValue"), *_BLOCKS,
                                 ("secondary_active", "SecondaryActiveImportRegisterConsumption"),
                                 ("secondary_tou", "SecondaryTariffTOURegisterMatrixValue"))
# GBCS entry_billingCalendarOnSetModeOrTariffLogEntry: after the register read members, the
# prepayment values in this order; written in MMC PrepaymentOperationalDataType order.
_PREPAYMENT_MEMBERS = ("EmergencyCreditBalance", "MeterBalance", "PaymentDebtRegister",
                       "TimeDebtRegisters1", "TimeDebtRegisters2", "AccumulatedDebtRegister")
_PREPAYMENT_MMC_ORDER = ("AccumulatedDebtRegister", "EmergencyCreditBalance", "MeterBalance",
                         "PaymentDebtRegister", "TimeDebtRegisters1", "TimeDebtRegisters2")


def _change_of_mode_billing_log(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS20b: entries { register read members, then the six prepayment values } -> all the
    LogEntryConsumptionAndTariffRegistersData, then all the LogEntryPrepaymentData (MMC order),
    each with the entry's timestamp."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    read = _register_read_entries(unwrap(content.data[0]), MAX_BILLING_ENTRIES,
                                  "billing data log", extra=len(_PREPAYMENT_MEMBERS))
    electricity = _child(root, "Electricity")
    for (stamp, members), _ in read:
        element = electricity.add("LogEntryConsumptionAndTariffRegistersData")
        _write_register_read(element, members, _CONSUMPTION_AND_TARIFF_ORDER)
        element.add("Timestamp", stamp)
    for (stamp, _members), rest in read:
        for value in rest:
            require(value.is_integer, f"expected a prepayment register, found "
                    f"{value.type_name}", value)
        values = dict(zip(_PREPAYMENT_MEMBERS, (v.value for v in rest)))
        element = electricity.add("LogEntryPrepaymentData")
        for name in _PREPAYMENT_MMC_ORDER:
            element.add(name, values[name])
        element.add("Timestamp", stamp)


TOU_BLOCKS = 4             # GBCS ECS17e: 4 blocks x (8 TOU register values + 8 block counters)
TOU_RATES = 8


def _tou_block_registers(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS17e: the 64-value block TOU register collection -> MMC TariffBlock[1..4], each its 8
    register matrix values then its 8 block counters (the order GBCS gives)."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    values = unwrap(content.data[0])
    require(values.tag == dlms.ARRAY, f"expected the array of block TOU registers, found "
            f"{values.type_name}", values)
    expected = TOU_BLOCKS * 2 * TOU_RATES
    require(len(values.value) == expected, f"ECS17e carries {expected} values, found "
            f"{len(values.value)}", values)
    for item in values.value:
        require(item.is_integer, f"expected a register value, found {item.type_name}", item)
    collection = _child(root, "TariffBlockTOURegisterCollection")
    for block in range(TOU_BLOCKS):
        element = collection.add("TariffBlock", index=block + 1)
        first = block * 2 * TOU_RATES
        for name, start in (("RegisterMatrixTOUValue", first),
                            ("CounterMatrixTOUValue", first + TOU_RATES)):
            for rate in range(TOU_RATES):
                element.add(name, values.value[start + rate].value, index=rate + 1)


# ECS19 protected attributes, in the order the ESME returns them, and the MMC order. GBCS
# ECS19 (class 1 0-0:94.44.34.30): prepayment_balance_collection ::= structure { meter_balance,
# emergency_credit_balance, accumulated_debt_register, time_debt_1_balance,
# time_debt_2_balance, payment_debt_balance }.
_PREPAY_ORDER = ("MeterBalance", "EmergencyCreditBalance", "AccumulatedDebtRegister",
                 "TimeDebtRegister1", "TimeDebtRegister2", "PaymentDebtRegister")
_PREPAY_MMC_ORDER = ("EmergencyCreditBalance", "AccumulatedDebtRegister", "PaymentDebtRegister",
                     "TimeDebtRegister1", "TimeDebtRegister2", "MeterBalance")


def _prepay_registers(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS19: six prepayment registers (money, in the currency's smallest unit)."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    found = registers(content.data[0])
    require(len(found) == len(_PREPAY_ORDER),
            f"ECS19 carries {len(_PREPAY_ORDER)} prepayment registers, found {len(found)}",
            content.data[0])
    values = {name: register_value(value) for name, value in zip(_PREPAY_ORDER, found)}
    for name in _PREPAY_MMC_ORDER:
        root.add(name, values[name])


NOT_SPECIFIED = 0xFF


# execution times in a year -> MMC periodicity of a calendar with a month given
_PERIODS = {4: "Quarterly", 2: "SixMonthly", 1: "Yearly"}


def _billing_calendar(content: DlmsContent, root: Builder, warnings: list[str]) -> None:
    """ECS26d/ECS26l: the billing schedule's execution times -> MMC ElectricityBillingCalendar.
    One entry with only the time given is daily; with a day of week (1 = Monday), weekly;
    with a day of month, monthly. Entries with the month given are yearly (one), six-monthly
    (two, six months apart) or quarterly (four, three months apart), all at the same time and
    day of month; BillingPeriodStartMonth is the first entry's month [?: the order the ESME
    returns them]. Any other shape is named in a warning, never guessed."""
    if not content.data or content.data[0].tag == dlms.NULL_DATA:
        return
    entries = content.data[0]
    require(entries.tag == dlms.ARRAY, f"execution_time must be an array, found "
            f"{entries.type_name}", entries)
    times: list[tuple[dt_time, bytes]] = []
    for entry in entries.value:
        require(entry.tag == dlms.STRUCTURE and len(entry.value) == 2 and all(
            m.tag == dlms.OCTET_STRING for m in entry.value), "execution time entry must be "
            "structure { octet-string time, octet-string date }", entry)
        when, day = entry.value
        require(len(when.value) == 4 and len(day.value) == 5, "time is 4 octets, date 5", entry)
        hour, minute, second, _hundredths = when.value
        require(hour < 24 and minute < 60 and (second == NOT_SPECIFIED or second < 60),
                "billing time must be a time of day (hour and minute given)", when)
        times.append((dt_time(hour, minute, 0 if second == NOT_SPECIFIED else second),
                      day.value))
    if not times:
        return
    billing_time, first = times[0]
    month, day_of_month, day_of_week = first[2], first[3], first[4]
    if month == NOT_SPECIFIED:
        if len(times) != 1:
            warnings.append(f"billing calendar with {len(times)} execution times and no month "
                            "is not an MMC periodicity")
            return
        if day_of_month == NOT_SPECIFIED and day_of_week == NOT_SPECIFIED:
            choice: tuple[str, object] = ("Daily", None)
        elif day_of_month == NOT_SPECIFIED and 1 <= day_of_week <= 7:
            choice = ("Weekly", day_of_week)
        elif day_of_week == NOT_SPECIFIED and 1 <= day_of_month <= 28:
            choice = ("Monthly", day_of_month)
        else:
            warnings.append(f"billing calendar date {first.hex().upper()} is not daily, "
                            "weekly or monthly (day 1-28)")
            return
    else:
        period = _PERIODS.get(len(times))
        months = [date_octets[2] for _, date_octets in times]
        step = 12 // len(times) if period else 0
        regular = period is not None and all(
            when == billing_time and date_octets[:2] == first[:2] and date_octets[3:] ==
            first[3:] for when, date_octets in times) and sorted(
            (m - month) % 12 for m in months) == list(range(0, 12, step)) and all(
            1 <= m <= 12 for m in months)
        if not (regular and first[:2] == b"\xff\xff" and day_of_week == NOT_SPECIFIED
                and 1 <= day_of_month <= 28):
            warnings.append(f"billing calendar with {len(times)} execution times (months "
                            f"{', '.join(str(m) for m in months)}) is not a yearly, six-monthly "
                            "or quarterly calendar MMC can hold (same time, day of month 1-28, "
                            "months evenly spaced)")
            return
        assert period is not None
        choice = (period, None)
    calendar = _child(_child(root, "BillingCalendar"), "ElectricityBillingCalendar")
    calendar.add("BillingTime", billing_time)
    name, value = choice
    if name in _PERIODS.values():
        element = calendar.add(name)
        element.add("DayOfMonth", day_of_month)
        element.add("BillingPeriodStartMonth", month)
    else:
        calendar.add(name, value)  # type: ignore[arg-type]


_HANDLERS: dict[str, Handler] = {
    "billing_calendar": _billing_calendar,
    "import_registers": _import_registers,
    "tou_registers": _tou_registers,
    "tou_block_registers": _tou_block_registers,
    "register_read_log": _register_read_log,
    "daily_read_log": _daily_read_log,
    "change_of_mode_billing_log": _change_of_mode_billing_log,
    "prepay_registers": _prepay_registers,
}

register(*(row.message_code for row in catalogue.USE_CASES if row.responses))(decode_response)
