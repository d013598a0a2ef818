"""Reading rejected-log records back from plain, gzip and rotated files.

A log is read after crawls that may have been killed mid-write, rotated, or compressed,
so the reader never raises on content: an unparsable line (usually the half-written last
line of a killed crawl) or a truncated gzip member is skipped and counted in
:class:`ReadStats`, and ``spamsieve review`` reports the count instead of failing.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipelines.rejectlog.writer import rotated_paths

GZIP_MAGIC = b"\x1f\x8b"


class LogNotFound(FileNotFoundError):
    """A LOG argument names no file."""


@dataclass
class ReadStats:
    files: list[str] = field(default_factory=list)
    records: int = 0
    bad_lines: int = 0  # lines that are not a JSON object (corrupt or half-written)
    truncated: int = 0  # of which: an unterminated last line / cut gzip member
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """'' when the files were clean, else one line for stderr."""
        if not self.bad_lines and not self.truncated:
            return ""
        return (f"skipped {self.bad_lines} unreadable line(s) ({self.truncated} truncated, "
                f"e.g. by a killed crawl): " + "; ".join(self.problems[:3]))


def expand_paths(paths: Iterable[str | os.PathLike[str]], *, rotated: bool = True) -> list[Path]:
    """Each LOG argument plus its rotated backups (oldest first), without duplicates.

    A directory stands for the ``*.jsonl``/``*.jsonl.gz`` logs in it.
    """
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            logs = sorted(p for p in path.iterdir()
                          if p.name.endswith((".jsonl", ".jsonl.gz")) and p.is_file())
            candidates = [c for log in logs for c in _with_backups(log, rotated)]
        elif path.exists():
            candidates = _with_backups(path, rotated)
        else:
            raise LogNotFound(f"no such rejected log: {path}")
        for candidate in candidates:
            if candidate not in out:
                out.append(candidate)
    return out


def _with_backups(path: Path, rotated: bool) -> list[Path]:
    return [*rotated_paths(path), path] if rotated else [path]


class LogReader:
    """Iterates the records of several logs; ``stats`` tells what was skipped."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]], *, rotated: bool = True) -> None:
        self.paths = expand_paths(paths, rotated=rotated)
        self.stats = ReadStats(files=[str(p) for p in self.paths])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for path in self.paths:
            yield from self._read_file(path)

    def _read_file(self, path: Path) -> Iterator[dict[str, Any]]:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == GZIP_MAGIC
        stream: IO[bytes] = gzip.open(path, "rb") if compressed else open(path, "rb")
        with stream:
            lineno = 0
            while True:
                try:
                    line = stream.readline()
                except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
                    self._bad(path, lineno + 1, f"cut gzip data ({exc})", truncated=True)
                    return
                if not line:
                    return
                lineno += 1
                record = self._parse(path, lineno, line)
                if record is not None:
                    self.stats.records += 1
                    yield record

    def _parse(self, path: Path, lineno: int, line: bytes) -> dict[str, Any] | None:
        if not line.strip():
            return None
        unterminated = not line.endswith(b"\n")
        try:
            value = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._bad(path, lineno, "unterminated last line" if unterminated else "not JSON",
                      truncated=unterminated)
            return None
        if not isinstance(value, dict):
            self._bad(path, lineno, "not a JSON object", truncated=False)
            return None
        return value

    def _bad(self, path: Path, lineno: int, what: str, *, truncated: bool) -> None:
        self.stats.bad_lines += 1
        self.stats.truncated += int(truncated)
        self.stats.problems.append(f"{path}:{lineno}: {what}")


def read_records(paths: Iterable[str | os.PathLike[str]]) -> list[dict[str, Any]]:
    """All records of ``paths`` (convenience for tests and small logs)."""
    return list(LogReader(paths))
