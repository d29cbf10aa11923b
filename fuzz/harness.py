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
    if isinstance(error, RecursionError):
        # The innermost frame of a too-deep stack is wherever it happened to overflow; the
        # function that recurses is the one that fills the stack.
        names = [f"{Path(f.filename).stem}.{f.name}" for f in inside]
        return max(set(names), key=names.count)
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


def _known_findings() -> list[tuple[str, str]]:
    """(exception type, "module.function") of findings already filed as strict xfails in
    tests/test_regressions.py: CI reports them but does not fail on them, so that a finding
    that is known and tracked does not hide a new one behind a red run. Remove the line when
    the finding is fixed."""
    path = Path(__file__).with_name("known_findings.txt")
    known = []
    for line in path.read_text().splitlines() if path.exists() else ():
        line = line.split("#", 1)[0].split()
        if len(line) == 2:
            known.append((line[0], line[1]))
    return known


KNOWN = _known_findings()


def _is_known(error: BaseException) -> bool:
    frames = {f"{Path(f.filename).stem}.{f.name}" for f in traceback.extract_tb(error.__traceback__)
              if "/pandc/" in f.filename}
    return any(type(error).__name__ == kind and where in frames for kind, where in KNOWN)


def guarded(body: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """Wraps a target body: PandcError is a fine outcome; anything else is a finding."""
    keep_going = os.environ.get("FUZZ_KEEP_GOING")

    def test_one_input(data: bytes) -> None:
        try:
            body(data)
        except pandc.PandcError:
            pass
        except Exception as error:  # the finding itself: anything that is not a PandcError
            if keep_going:
                _record(error, data, keep_going)
            elif _is_known(error):
                key = f"{type(error).__name__}-{_where(error)}"
                if key not in _seen:
                    _seen.add(key)
                    print(f"KNOWN FINDING (tracked in tests/test_regressions.py): {key}",
                          file=sys.stderr, flush=True)
            else:
                raise

    return test_one_input


def run(body: Callable[[bytes], None], recursion_limit: int = 120) -> None:
    # A low recursion limit makes unbounded recursion show up on short inputs: with Python's
    # 1000 frames a reader must be fed ~1000 nesting levels (2000+ bytes of one pattern) before
    # it fails, which mutation rarely builds; with 120, ~100 levels do (the decode path itself
    # is ~15 frames deep). pandc's own limits (codec/limits.py MAX_DEPTH = 32) keep a correct
    # reader far below it. The XML targets pass more: xmlschema's validation is deeper.
    sys.setrecursionlimit(int(os.environ.get("FUZZ_RECURSION_LIMIT", recursion_limit)))
    atheris.Setup(sys.argv, guarded(body))
    atheris.Fuzz()
