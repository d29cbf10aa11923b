"""What every atheris target of pandc shares: the rule for acceptable outcomes and how
findings are kept.

The only acceptable outcomes of feeding pandc arbitrary bytes are a result or a PandcError
(and, for validate, an invalid report). Anything else is a finding. By default a finding
crashes the run (atheris writes the crash input and the run exits non-zero: what CI wants).
With FUZZ_KEEP_GOING=DIR a campaign records each distinct finding (exception type and the
innermost pandc frame) once, as DIR/<type>-<where>.bin plus a .txt traceback, and goes on.
"""
from __future__ import annotations

import hashlib
import os
import sys
import traceback
from pathlib import Path
from typing import Callable

import atheris

with atheris.instrument_imports(include=["pandc"]):
    import pandc
    import pandc.mmc.validation  # noqa: F401  (instrument the lazily imported module too)

ROOT = Path(__file__).resolve().parent.parent
_seen: set[str] = set()


def shared_dir() -> Path:
    return Path(os.environ.get("PANDC_SHARED", ROOT.parent / "shared"))


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    inside = [f for f in frames if "/pandc/" in f.filename] or frames
    last = inside[-1]
    return f"{Path(last.filename).stem}.{last.name}:{last.lineno}"


def _record(error: BaseException, data: bytes, directory: str) -> None:
    key = f"{type(error).__name__}-{_where(error)}"
    if key in _seen:
        return
    _seen.add(key)
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    name = key.replace("/", "_").replace(":", "_")
    (out / f"{name}.bin").write_bytes(data)
    (out / f"{name}.txt").write_text("".join(traceback.format_exception(error))[-6000:])
    print(f"FINDING {key} ({hashlib.sha1(data).hexdigest()[:12]}, {len(data)} bytes)",
          file=sys.stderr, flush=True)


def guarded(body: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """Wraps a target body: PandcError is a fine outcome; anything else is a finding."""
    keep_going = os.environ.get("FUZZ_KEEP_GOING")

    def test_one_input(data: bytes) -> None:
        try:
            body(data)
        except pandc.PandcError:
            pass
        except Exception as error:  # the finding itself: anything that is not a PandcError
            if not keep_going:
                raise
            _record(error, data, keep_going)

    return test_one_input


def run(body: Callable[[bytes], None]) -> None:
    # A low recursion limit makes unbounded recursion show up on short inputs: with Python's
    # 1000 frames a reader must be fed ~1000 nesting levels (2000+ bytes of one pattern) before
    # it fails, which mutation rarely builds; with 250, ~100 levels do. pandc's own limits
    # (codec/limits.py MAX_DEPTH = 32) keep a correct reader far below it.
    sys.setrecursionlimit(int(os.environ.get("FUZZ_RECURSION_LIMIT", "250")))
    atheris.Setup(sys.argv, guarded(body))
    atheris.Fuzz()
