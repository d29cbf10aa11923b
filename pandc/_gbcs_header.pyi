"""Type stub of the cffi-built C core (csrc/build_ffi.py); cffi objects are untyped."""
from typing import Any

ffi: Any
lib: Any
