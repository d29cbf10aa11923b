"""Use-case decoders: a response's clear payload parts -> its MMC ``SMETSData`` element.

Each module of this package handles one family of use cases and registers a decoder per GBCS
message code with :func:`register`. Modules are found and imported automatically, so adding a
use case means adding one module (and its tests). Messages whose code has no decoder keep
the first-pass ``GBCSData`` output only.

A decoder returns None while a part it needs is still encrypted (no keys, or decryption
failed): the first pass then stands. Statuses the device reports instead of values (ZCL
status, DLMS result) give ``MessageSuccess="false"`` and are listed in
:attr:`UseCaseResult.failures` (and as MMC ``DebugInfo`` by :func:`debug_info`); no value is
ever invented for them.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Callable

from .base import Failure, UseCaseError, UseCaseResult, debug_info_element

if TYPE_CHECKING:
    from lxml import etree

    from ..message import Message

Decoder = Callable[["Message"], "UseCaseResult | None"]

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


def registered_codes() -> frozenset[int]:
    return frozenset(_DECODERS)


def decode(message: "Message") -> UseCaseResult | None:
    """Decode the message's use case, or None (unregistered code, not a response, or parts
    still encrypted). Raises :class:`UseCaseError` (a ``DecodeError``) when clear content
    does not have the shape the use case defines."""
    if message.cra != "response":
        return None
    decoder = _DECODERS.get(message.message_code)
    if decoder is None:
        return None
    return decoder(message)


def smets_data(message: "Message") -> "etree._Element | None":
    """The element to place under ``ra:SMETSData`` (e.g. ``ra:ReadMeterBalanceRsp``), or None."""
    result = decode(message)
    return None if result is None else result.element


def debug_info(message: "Message") -> "etree._Element | None":
    """MMC ``ra:DebugInfo`` naming what the device reported as failed, or None.

    It goes after ``ra:SMETSData`` in ``ra:ResponseMessage``.
    """
    result = decode(message)
    return None if result is None else debug_info_element(result.failures)


def _load_modules() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base" and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_load_modules()

__all__ = ["Failure", "UseCaseError", "UseCaseResult", "debug_info", "debug_info_element", "decode", "register",
           "registered_codes", "smets_data"]
