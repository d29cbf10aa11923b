"""Use-case decoders: a response's clear payload parts -> its typed value tree.

Each module of this package handles one family of use cases and registers a decoder per GBCS
message code with :func:`register`. Modules are found and imported automatically. A decoder
returns a :class:`UseCaseResult` whose ``values`` is a :class:`pandc.values.Node` (the element
that goes under MMC ``SMETSData``), never XML; renderers (``pandc.mmc``, JSON Lines) write it.

A decoder returns None while a part it needs is still encrypted (no keys, or decryption
failed): the first pass then stands. Statuses the device reports instead of values (ZCL
status, DLMS result) give ``MessageSuccess="false"`` and are listed in
:attr:`UseCaseResult.failures` (MMC ``DebugInfo``); no value is ever invented for them.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Callable

from ..codec.parts import PayloadPart
from .base import Content, Failure, UseCaseError, UseCaseResult

if TYPE_CHECKING:
    from ..codec.frame import Frame

Decoder = Callable[[Content], "UseCaseResult | None"]

_DECODERS: dict[int, Decoder] = {}


def register(*message_codes: int) -> Callable[[Decoder], Decoder]:
    """Register the decorated function as the decoder of these message codes."""
    def decorate(decoder: Decoder) -> Decoder:
        for code in message_codes:
            if code in _DECODERS and _DECODERS[code] is not decoder:
                raise ValueError(f"message code 0x{code:04X} already has a use-case decoder")
            _DECODERS[code] = decoder
        return decoder
    return decorate


# Device alerts (CRA 3) have one decoder for every alert code: it returns the MMC
# DeviceAlertContent element (see alerts.py).
_ALERT_DECODERS: list[Decoder] = []


def register_alert(decoder: Decoder) -> Decoder:
    """Register the decorated function as the decoder of device alerts (all alert codes)."""
    if _ALERT_DECODERS and _ALERT_DECODERS[0] is not decoder:
        raise ValueError("device alerts already have a decoder")
    _ALERT_DECODERS[:] = [decoder]
    return decoder


def registered_codes() -> frozenset[int]:
    return frozenset(_DECODERS)


def decode(frame: "Frame", parts: tuple[PayloadPart, ...] | None = None) -> UseCaseResult | None:
    """Decode the frame's use case from ``parts`` (default: the frame's own, as split), or
    None (unregistered code, a command, or parts still encrypted). An alert goes to the
    alert decoder, whose values are the MMC DeviceAlertContent. Raises
    :class:`UseCaseError` (a ``DecodeError``) when clear content does not have the shape the
    use case defines."""
    if frame.cra == "alert":
        if not _ALERT_DECODERS:
            return None
        return _ALERT_DECODERS[0](Content(frame, frame.parts if parts is None else parts))
    if frame.cra != "response":
        return None
    decoder = _DECODERS.get(frame.message_code)
    if decoder is None:
        return None
    return decoder(Content(frame, frame.parts if parts is None else parts))


def _load_modules() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base" and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_load_modules()

__all__ = ["Content", "Failure", "UseCaseError", "UseCaseResult", "decode", "register",
           "register_alert", "registered_codes"]
