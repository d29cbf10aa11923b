"""The MMC renderer and the validator of MMC and DUIS documents.

``to_mmc(message)`` writes ``ra:GBCSResponse`` (MMC V5.4); ``validate(xml, schema=...)``
checks a document against the bundled profiles (top-level ``schemas/``, installed as
``pandc.schemas``) or the official XSDs. ``xmlschema`` is imported on first validation only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .render import MMC_NAMESPACE, MMC_SCHEMA_VERSION, MMCRenderError, to_mmc

if TYPE_CHECKING:
    from .validation import SchemaNotFoundError, ValidationIssue, ValidationReport, validate

_LAZY = {"SchemaNotFoundError", "ValidationIssue", "ValidationReport", "validate",
         "validate_paths"}


def __getattr__(name: str) -> Any:
    # validation imports xmlschema, which costs ~0.3 s; load it when first asked for.
    if name in _LAZY:
        from . import validation
        return getattr(validation, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["MMCRenderError", "MMC_NAMESPACE", "MMC_SCHEMA_VERSION", "SchemaNotFoundError",
           "ValidationIssue", "ValidationReport", "to_mmc", "validate"]
