"""An output directory that loses nothing: atomic files and a journal to resume from.

Every file is written to a temporary name in the same directory, flushed to disk and then
renamed over its final name (``os.replace``), so a reader or a killed run never leaves a
half-written document under a final name. After each input is done - written or failed - one
line is appended to the journal, ``DIR.pandc-journal.jsonl`` beside the directory (not in it:
whatever picks up the directory's files sees MMC documents only); ``resume=True`` reads it back and
the run skips exactly the inputs it names, so an interrupted run finishes without redoing or
skipping any. An input done but not yet journaled when the run was killed is done again,
which rewrites the same bytes under the same name: harmless.

Inputs are keyed by their source ("path:line") and the number of times that source has been
seen before, so a resumed run must be given the same inputs in the same order.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

JOURNAL_SUFFIX = ".pandc-journal.jsonl"


def journal_path(directory: str | os.PathLike[str]) -> Path:
    """Where the journal of an output directory lives: beside it, named after it."""
    resolved = Path(directory).resolve()
    return resolved.parent / (resolved.name + JOURNAL_SUFFIX)
_TEMP_MARK = ".pandc-tmp-"


class OutDir:
    """Atomic writes into ``path`` plus the journal of which inputs are done."""

    def __init__(self, path: str | os.PathLike[str], *, resume: bool = False) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self._remove_temporaries()
        self.journal_path = journal_path(self.path)
        self._seen: Counter[str] = Counter()
        self.done: dict[str, dict[str, Any]] = {}
        if resume:
            self.done = read_journal(self.journal_path)
            _drop_partial_last_line(self.journal_path)
        elif self.journal_path.exists():
            self.journal_path.unlink()   # a fresh run: the old journal no longer applies
        self._journal = open(self.journal_path, "a", encoding="utf-8")

    def _remove_temporaries(self) -> None:
        # Left by a run killed between creating a temporary file and renaming it.
        for leftover in self.path.glob(f"{_TEMP_MARK}*"):
            leftover.unlink(missing_ok=True)

    def key(self, source: str) -> str:
        """The journal key of the next input from ``source`` (call once per input, in order)."""
        self._seen[source] += 1
        return f"{source}#{self._seen[source]}"

    def previous_failures(self) -> list[dict[str, Any]]:
        """The inputs an earlier (resumed) run could not process, as journaled."""
        return [entry for entry in self.done.values()
                if entry.get("status") == "failed" or entry.get("invalid")]

    def write(self, key: str, name: str, data: bytes, *, invalid: str | None = None) -> Path:
        """Writes ``data`` to ``name`` atomically, then journals ``key`` as written (with
        ``invalid``: written, but the document failed validation for that reason)."""
        final = self.path / name
        temporary = self.path / f"{_TEMP_MARK}{os.getpid()}-{name}"
        try:
            with open(temporary, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, final)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        entry: dict[str, Any] = {"key": key, "status": "written", "file": name}
        if invalid is not None:
            entry["invalid"] = invalid
        self._record(entry)
        return final

    def failed(self, key: str, reason: str) -> None:
        self._record({"key": key, "status": "failed", "reason": reason})

    def _record(self, entry: dict[str, Any]) -> None:
        self._journal.write(json.dumps(entry, sort_keys=True) + "\n")
        self._journal.flush()
        self.done[entry["key"]] = entry

    def close(self) -> None:
        self._journal.close()

    def __enter__(self) -> "OutDir":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_journal(path: Path) -> dict[str, dict[str, Any]]:
    """Key → entry of every complete journal line; a last line cut short by a kill is
    ignored (that input is simply done again)."""
    done: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return done
    with open(path, encoding="utf-8", errors="replace") as stream:
        for line in stream:
            if not line.endswith("\n"):
                break
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                done[entry["key"]] = entry
    return done


def _drop_partial_last_line(path: Path) -> None:
    """Cuts a last line without its newline, so that new entries start on a line of their own."""
    if not path.exists():
        return
    with open(path, "rb+") as stream:
        data = stream.read()
        if data and not data.endswith(b"\n"):
            stream.truncate(data.rfind(b"\n") + 1)
