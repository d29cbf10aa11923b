"""Data-driven use-case catalogue: one table module per payload encoding (GBZ, DLMS, ASN.1).

Each module registers its decoders with :func:`pandc.usecases.register` when imported (or
has them registered by its walker) and offers ``coverage_rows()``: (use_case, srv, mmc_type,
encoding, status) tuples, which ``tools/coverage_table.py`` writes to ``docs/coverage.md``.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import NamedTuple


class CoverageRow(NamedTuple):
    use_case: str       # GBCS use case, e.g. GCS13a
    srv: str            # DUIS service reference variant, '' when none
    mmc_type: str       # MMC V5.4 SMETSData child, '' when MMC defines none
    encoding: str       # payload encoding: GBZ, DLMS, ASN.1
    status: str         # what is written, e.g. 'values', 'acknowledgement', 'partial: ...'


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def _load_modules() -> None:
    for name in _modules():
        importlib.import_module(f"{__name__}.{name}")


def coverage_rows() -> list[CoverageRow]:
    """Every catalogue module's rows, module by module."""
    rows: list[CoverageRow] = []
    for name in _modules():
        module = importlib.import_module(f"{__name__}.{name}")
        rows.extend(CoverageRow(*row) for row in getattr(module, "coverage_rows", list)())
    return rows


_load_modules()

__all__ = ["CoverageRow", "coverage_rows"]
