"""The JSON Lines sink: one JSON object per message, keys fixed by the CLI contract.

Decoded values go under ``"smets_data"`` (alerts: ``"device_alert_content"``) by the one rule of :func:`pandc.values.to_json`, so
the object equals the MMC ``SMETSData`` content read by that rule; the key is absent when the
message has no decoded values. Instants use the one formatter of ``pandc.codec.dates``.
"""
from __future__ import annotations

import json
from typing import Any

from ..codec.dates import format_date_time
from ..errors import PandcError
from ..message import Message
from ..values import to_json


def message_record(source: str, message: Message, *, verified: bool = False) -> dict[str, Any]:
    """The JSON object for one message (with ``verified``, the security fields too)."""
    record: dict[str, Any] = {
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
    }
    record.update(pipeline_fields(message, verified=verified))
    return record


def values_key(message: Message) -> str:
    """A response's values are its SMETSData; an alert's are its DeviceAlertContent."""
    return "smets_data" if message.cra == "response" else "device_alert_content"


def pipeline_fields(message: Message, *, verified: bool = False,
                    with_values: bool = True) -> dict[str, Any]:
    """What the pipeline adds to a message's header fields, in record order: the DUIS
    fields, the verification (with ``verified``, each check too), the decoded values (as
    the :func:`pandc.values.to_json` tree; left out when not ``with_values``) and the
    warnings. The Arrow sink's pipeline columns are these same fields."""
    fields: dict[str, Any] = {}
    if message.duis is not None:
        fields["request_id"] = message.request_id
        fields["response_code"] = message.response_code
    verification = message.verification
    if verification is not None:
        fields["authenticated"] = verification.authenticated
        fields["authentication_reason"] = verification.reason
        if verified:
            fields["mac_valid"] = verification.mac_valid
            fields["signature_valid"] = verification.signature_valid
            fields["decrypted_parts"] = sum(1 for part in message.parts
                                            if part.encrypted and part.plaintext is not None)
    if with_values and message.values is not None:
        fields[values_key(message)] = to_json(message.values)
    fields["warnings"] = list(message.warnings)
    return fields


def error_record(source: str, error: PandcError, prefix: str = "") -> dict[str, Any]:
    reason = getattr(error, "reason", None) or str(error)
    return {"source": source, "error": prefix + reason, "offset": getattr(error, "offset", None)}


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"
