"""Data-driven use-case catalogue: one table module per payload encoding (GBZ, DLMS, ASN.1).

Each module registers its decoders with :func:`pandc.usecases.register` when imported and
offers ``coverage_rows()`` (use_case, srv, mmc_type, encoding, status) for the docs.
"""
from __future__ import annotations

import importlib
import pkgutil


def _load_modules() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


_load_modules()
