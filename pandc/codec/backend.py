"""The one choice between a C accelerator and its pure-Python twin (msgpack's rule): the C
module when it imports, the twin otherwise or when ``PANDC_PURE_PYTHON=1`` forces it."""
from __future__ import annotations

import importlib
import os
from types import ModuleType


def forced_pure_python() -> bool:
    return os.environ.get("PANDC_PURE_PYTHON", "") not in ("", "0")


def load(c_module: str, python_module: str) -> tuple[ModuleType, str]:
    """(module, "c" | "python") for two sibling modules of pandc.codec."""
    if not forced_pure_python():
        try:
            return importlib.import_module(f"{__package__}.{c_module}"), "c"
        except ImportError:
            pass
    return importlib.import_module(f"{__package__}.{python_module}"), "python"
