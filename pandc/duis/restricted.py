"""MP169 Restricted devices: which requests and alerts still pass, as a configurable policy.

``RestrictedPolicy.from_toml(path)`` loads a policy; ``RestrictedPolicy.default()`` the one
shipped in ``pandc/data/restricted-policy.toml`` (each default names its source there).
:meth:`RestrictedPolicy.check_request` answers a DUIS Request for a device with "allowed" or
the DUIS Response a DSP would send: ResponseCode E72 (``pandc.responsecodes``), valid against
pandc's bundled DUIS profile. :meth:`RestrictedPolicy.filter_alerts` splits alerts into the
delivered ones and a rejected-alert log (JSON Lines records: time, device, alert code,
reason) kept apart from the rest; every alert given ends in exactly one of the two.
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path
from typing import Any

from lxml import etree

from . import _xml as x
from ._xml import DuisError
from .inventory import InventoryDevice, devices_of
from .responses import DccAlert, DeviceAlert, DuisResponse
from ..errors import DecodeError, PandcError
from ..hardened_xml import doctype_refused, has_doctype, parse_strictly
from ..responsecodes import restricted_response_code


class PolicyError(PandcError, ValueError):
    """A Restricted policy file that cannot be used."""


@dataclass(frozen=True, slots=True)
class DuisRequestHeader:
    """What the policy needs of a DUIS Request: its header."""

    request_id: str
    service_reference: str
    service_reference_variant: str
    schema_version: str

    @property
    def device_id(self) -> str:
        parts = self.request_id.split(":")
        return parts[1] if len(parts) == 3 else ""


@dataclass(frozen=True, slots=True)
class RequestCheck:
    """The policy's answer to one request: allowed, or the E72 DUIS Response to send."""

    allowed: bool
    reason: str
    request: DuisRequestHeader
    response: bytes | None = None


@dataclass(frozen=True, slots=True)
class AlertDecision:
    """Alerts split by the policy: ``delivered`` (in input order) and ``rejected`` log records."""

    delivered: list[Any] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)


def read_request_header(request: bytes | str | os.PathLike[str]) -> DuisRequestHeader:
    """The header of a DUIS ``sr:Request`` (XML bytes or text, or a path)."""
    if isinstance(request, os.PathLike) or (isinstance(request, str)
                                            and not request.lstrip().startswith("<")):
        data = Path(request).read_bytes()
    elif isinstance(request, str):
        data = request.encode("utf-8")
    else:
        data = bytes(request)
    try:
        root = parse_strictly(data)
    except etree.XMLSyntaxError as exc:
        raise DuisError(f"malformed XML: {exc.msg}", None, exc.lineno) from None
    if has_doctype(root.getroottree()):
        raise doctype_refused("DUIS request")
    if root.tag != x.SR + "Request":
        raise x.error_at(root, "not a DUIS sr:Request")
    header = x.required(root, "Header")
    return DuisRequestHeader(x.req_text(header, "RequestID"),
                             x.req_text(header, "ServiceReference"),
                             x.req_text(header, "ServiceReferenceVariant"),
                             (root.get("schemaVersion") or "").strip())


def rejection_response(request: DuisRequestHeader, code: str,
                       now: datetime | None = None) -> bytes:
    """The DUIS Response rejecting a request: its RequestID, ResponseCode ``code``, its
    ServiceReference and variant, no body element (the form of a DSP status-only answer)."""
    now = now or datetime.now(timezone.utc)
    sr = x.SR_NAMESPACE
    root = etree.Element("{%s}Response" % sr, nsmap={"sr": sr})
    root.set("schemaVersion", "5.4")
    header = etree.SubElement(root, "{%s}Header" % sr)
    etree.SubElement(header, "{%s}RequestID" % sr).text = request.request_id
    etree.SubElement(header, "{%s}ResponseCode" % sr).text = code
    etree.SubElement(header, "{%s}ResponseDateTime" % sr).text = (
        now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    message = etree.SubElement(etree.SubElement(root, "{%s}Body" % sr),
                               "{%s}ResponseMessage" % sr)
    etree.SubElement(message, "{%s}ServiceReference" % sr).text = request.service_reference
    etree.SubElement(message, "{%s}ServiceReferenceVariant" % sr).text = (
        request.service_reference_variant)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _device_map(devices: Any) -> dict[str, InventoryDevice]:
    if isinstance(devices, Mapping):
        return {str(k).upper(): v for k, v in devices.items()}
    return {d.device_id.upper(): d for d in devices_of(devices)}


@dataclass(frozen=True)
class RestrictedPolicy:
    """Which SRVs and alerts pass for a Restricted device (see restricted-policy.toml)."""

    allowed_requests: frozenset[str]
    allowed_alert_message_codes: frozenset[int]
    allowed_alert_codes: frozenset[int]
    deliver_dcc_alerts: bool = True
    response_code: str | None = None       # None: pandc.responsecodes.restricted_response_code()
    source: str = "<built>"

    @classmethod
    def default(cls) -> "RestrictedPolicy":
        resource = files("pandc") / "data" / "restricted-policy.toml"
        return cls.from_text(resource.read_text(encoding="utf-8"), "pandc default policy")

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> "RestrictedPolicy":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise PolicyError(f"{path}: cannot read: {exc.strerror}") from None
        return cls.from_text(text, os.fspath(path))

    @classmethod
    def from_text(cls, text: str, source: str = "<text>") -> "RestrictedPolicy":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{source}: not valid TOML: {exc}") from None
        requests = data.get("requests", {})
        alerts = data.get("alerts", {})
        known = {"requests": {"allowed", "response_code"},
                 "alerts": {"allowed_message_codes", "allowed_codes", "deliver_dcc_alerts"}}
        for table, keys in known.items():
            section = data.get(table, {})
            if not isinstance(section, dict):
                raise PolicyError(f"{source}: [{table}] must be a table")
            for key in section:
                if key not in keys:
                    raise PolicyError(f"{source}: [{table}] has unknown key {key!r}")
        for key in data:
            if key not in known:
                raise PolicyError(f"{source}: unknown table [{key}]")

        def strings(value: Any, name: str) -> frozenset[str]:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise PolicyError(f"{source}: {name} must be a list of strings")
            return frozenset(v.strip() for v in value)

        def codes(value: Any, name: str) -> frozenset[int]:
            if not isinstance(value, list) or not all(
                    isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 0xFFFF
                    for v in value):
                raise PolicyError(f"{source}: {name} must be a list of 16-bit integers")
            return frozenset(value)

        deliver = alerts.get("deliver_dcc_alerts", True)
        if not isinstance(deliver, bool):
            raise PolicyError(f"{source}: deliver_dcc_alerts must be true or false")
        code = requests.get("response_code")
        if code is not None and not isinstance(code, str):
            raise PolicyError(f"{source}: response_code must be a string")
        return cls(strings(requests.get("allowed", []), "[requests] allowed"),
                   codes(alerts.get("allowed_message_codes", []), "allowed_message_codes"),
                   codes(alerts.get("allowed_codes", []), "allowed_codes"),
                   deliver, code, source)

    @property
    def rejection_code(self) -> str:
        return self.response_code or restricted_response_code()

    def request_allowed(self, header: DuisRequestHeader) -> bool:
        return (header.service_reference_variant in self.allowed_requests
                or header.service_reference in self.allowed_requests)

    def check_request(self, request: bytes | str | os.PathLike[str] | DuisRequestHeader,
                      device: InventoryDevice | Mapping[str, InventoryDevice] | Any | None,
                      now: datetime | None = None) -> RequestCheck:
        """Allowed, or the E72 DUIS Response. ``device`` is the target's inventory record, or
        an inventory (mapping or devices) to find it in by the RequestID's device part."""
        header = request if isinstance(request, DuisRequestHeader) else read_request_header(request)
        target: InventoryDevice | None
        if device is None or isinstance(device, InventoryDevice):
            target = device
        else:
            target = _device_map(device).get(header.device_id.upper())
        if target is None:
            return RequestCheck(True, f"device {header.device_id} is not in the inventory: not "
                                      "known to be Restricted", header)
        if not target.restricted:
            return RequestCheck(True, f"device {target.device_id} is not Restricted", header)
        if self.request_allowed(header):
            return RequestCheck(True, f"device {target.device_id} is Restricted; SRV "
                                      f"{header.service_reference_variant} is allowed by the "
                                      f"policy ({self.source})", header)
        return RequestCheck(False, f"device {target.device_id} is Restricted; SRV "
                                   f"{header.service_reference_variant} is not allowed by the "
                                   f"policy ({self.source})", header,
                            rejection_response(header, self.rejection_code, now))

    def _alert_verdict(self, alert: DuisResponse, devices: Mapping[str, InventoryDevice]
                       ) -> tuple[bool, dict[str, Any]]:
        body = alert.body
        record: dict[str, Any] = {"time": alert.response_date_time.astimezone(timezone.utc)
                                  .strftime("%Y-%m-%dT%H:%M:%SZ"),
                                  "response_id": alert.response_id}
        if isinstance(body, DccAlert):
            dcc_device = _dcc_alert_device(body) or ""
            record.update(device=dcc_device or None, alert_code=body.dcc_alert_code)
            target = devices.get(dcc_device.upper())
            if self.deliver_dcc_alerts or target is None or not target.restricted:
                return True, record
            record["reason"] = (f"DCC alert {body.dcc_alert_code} about Restricted device "
                                f"{dcc_device}; the policy delivers no DCC alerts")
            return False, record
        assert isinstance(body, DeviceAlert)
        device_id, message_code, problem = _device_alert_origin(alert, body)
        record.update(device=device_id, alert_code=body.code_hex,
                      message_code=None if message_code is None else f"0x{message_code:04X}")
        target = devices.get((device_id or "").upper())
        if target is None or not target.restricted:
            return True, record
        if body.code in self.allowed_alert_codes:
            return True, record
        if message_code is not None and message_code in self.allowed_alert_message_codes:
            return True, record
        what = (f"message code 0x{message_code:04X}" if message_code is not None
                else f"GBCS payload unreadable ({problem})")
        record["reason"] = (f"device {device_id} is Restricted; alert {body.code_hex} "
                            f"({what}) is not a Critical, Security or Safety alert or firmware "
                            f"alert under the policy ({self.source})")
        return False, record

    def filter_alerts(self, alerts: Iterable[Any], devices: Any) -> AlertDecision:
        """Split alerts (DUIS responses; anything that is not a device or DCC alert passes
        through as delivered) into delivered ones and rejected-log records."""
        table = _device_map(devices)
        decision = AlertDecision()
        for alert in alerts:
            if not isinstance(alert, DuisResponse) or not isinstance(alert.body,
                                                                     (DeviceAlert, DccAlert)):
                decision.delivered.append(alert)
                continue
            passed, record = self._alert_verdict(alert, table)
            if passed:
                decision.delivered.append(alert)
            else:
                decision.rejected.append(record)
        return decision


def _dcc_alert_device(body: DccAlert) -> str | None:
    for name in ("DeviceID", "CommsHubDeviceID"):
        found = next((n for n in body.alert.walk() if n.name == name), None)
        if found is not None and isinstance(found.value, str):
            return found.value
    return None


def _device_alert_origin(alert: DuisResponse, body: DeviceAlert
                         ) -> tuple[str | None, int | None, str | None]:
    """(device EUI, GBCS message code, problem): the originator and message code from the
    alert's GBCS grouping header; the device falls back to the ResponseID's first part."""
    from ..codec.frame import format_eui
    from ..codec.header import decode_header
    try:
        raw = decode_header(body.payload)
    except DecodeError as error:
        return alert.device_id, None, str(error)
    return format_eui(raw.originator), raw.message_code, None


def check_request(request: Any, device: Any, policy: RestrictedPolicy | None = None,
                  now: datetime | None = None) -> RequestCheck:
    """:meth:`RestrictedPolicy.check_request` with the default policy unless one is given."""
    return (policy or RestrictedPolicy.default()).check_request(request, device, now)


def filter_alerts(alerts: Iterable[Any], devices: Any,
                  policy: RestrictedPolicy | None = None) -> AlertDecision:
    """:meth:`RestrictedPolicy.filter_alerts` with the default policy unless one is given."""
    return (policy or RestrictedPolicy.default()).filter_alerts(alerts, devices)
