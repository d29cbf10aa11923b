"""Correlate: check DCC pre-commands against the DUIS requests they came from, then sign them.

- :func:`parse_request` reads a DUIS Service Request into a typed :class:`Request`;
- :func:`correlate` compares a pre-command with it (:class:`Correlation`, :class:`Mismatch`);
- :func:`sign_precommand` adds the User's signature where GBCS puts it;
  :func:`correlate_and_sign` signs only what correlates.
"""
from __future__ import annotations

from .check import Correlation, PreCommandError, correlate
from .request import Request, RequestError, parse_request
from .sign import SigningError, correlate_and_sign, sign_precommand, signed_precommand_document
from .template import Mismatch

__all__ = ["Correlation", "Mismatch", "PreCommandError", "Request", "RequestError",
           "SigningError", "correlate", "correlate_and_sign", "parse_request",
           "sign_precommand", "signed_precommand_document"]
