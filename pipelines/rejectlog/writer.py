"""Append-only, crash-safe writer of the rejected-items log (no Scrapy: ``spamsieve filter``
uses it too).

Why it is built this way:

* every record is one ``os.write`` of one complete line on an ``O_APPEND`` descriptor,
  under an exclusive ``flock`` when available, so several crawl processes sharing a log
  never interleave bytes and a SIGKILL loses at most the record being written;
* nothing is buffered in Python, so there is no "flush at close" to miss;
* with a ``.gz`` name each record is its own gzip member: a multi-member gzip file is a
  valid gzip file, and a crash leaves every earlier member readable;
* size rotation renames ``log`` → ``log.1`` → ... → ``log.N`` under the lock; other
  processes notice the inode change and reopen, so they never write into a backup.
"""

from __future__ import annotations

import errno
import gzip
import logging
import os
from pathlib import Path
from typing import Any

from pipelines.rejectlog.jsonsafe import dumps_line, json_safe

try:  # POSIX only; elsewhere O_APPEND alone keeps single-process writes whole
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)


class RejectedLogError(OSError):
    """The rejected log cannot be opened or written (message names the path and cause)."""


class RejectedLogWriter:
    """Writes records (dicts) to ``path`` as JSON Lines, gzip when it ends in ``.gz``."""

    def __init__(self, path: str | os.PathLike[str], max_bytes: int = 0, backups: int = 5) -> None:
        self.path = Path(path)
        self.max_bytes = max(0, int(max_bytes))
        self.backups = max(0, int(backups))
        self.compress = self.path.name.endswith(".gz")
        self.records_written = 0
        self._fd: int | None = None
        self._open()

    # -- public API ---------------------------------------------------------------------

    def write(self, record: dict[str, Any]) -> None:
        """Append one record, durable against a crash of this process once it returns.

        Records from :func:`build_record` are JSON-safe already; anything else is made so
        (bytes to markers...) rather than lost to a TypeError."""
        try:
            line = dumps_line(record)
        except (TypeError, ValueError):
            line = dumps_line(json_safe(record))
        self.write_bytes(line)

    def write_bytes(self, line: bytes) -> None:
        """Append one already-serialised JSON line (must end with a newline)."""
        data = gzip.compress(line, mtime=0) if self.compress else line
        fd = self._lock_current()
        try:
            size = os.fstat(fd).st_size
            if self.max_bytes and size > 0 and size + len(data) > self.max_bytes:
                fd = self._rotate(fd)
                size = os.fstat(fd).st_size
            if not self.compress and size > 0 and os.pread(fd, 1, size - 1) != b"\n":
                # a killed writer left a torn last line: end it, or this record would be
                # glued to it and lost to every reader
                data = b"\n" + data
            self._write_all(fd, data)
        finally:
            self._unlock(fd)
        self.records_written += 1

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            finally:
                self._fd = None

    def __enter__(self) -> RejectedLogWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_RDWR (not O_WRONLY): write_bytes reads the last byte to end a torn line
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise RejectedLogError(
                exc.errno or errno.EIO, f"cannot open rejected log {str(self.path)!r} "
                f"for appending: {reason}"
            ) from exc
        if os.path.isdir(self.path):  # pragma: no cover - os.open already refuses
            os.close(fd)
            raise RejectedLogError(errno.EISDIR, f"rejected log {str(self.path)!r} is a directory")
        self._fd = fd

    def _require_fd(self) -> int:
        if self._fd is None:
            raise RejectedLogError(errno.EBADF, f"rejected log {str(self.path)!r} is closed")
        return self._fd

    def _lock_current(self) -> int:
        """Lock our descriptor, reopening until it is the file at ``path``.

        Another process may rotate the file between our open and our lock, so the check
        is repeated after every (re)open: writing or rotating through a stale descriptor
        would put records into a backup or rename backups concurrently.
        """
        fd = self._require_fd()
        while True:
            self._lock(fd)
            try:
                if os.path.samestat(os.fstat(fd), os.stat(self.path)):
                    return fd
            except FileNotFoundError:
                pass
            self._unlock(fd)
            self._reopen()
            fd = self._require_fd()

    def _reopen(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._open()

    def _rotate(self, fd: int) -> int:
        """Rename log -> log.1 -> ... (caller holds the lock on the current file)."""
        if self.backups == 0:
            logger.warning("rejected log %s reached %d bytes and SPAMSIEVE_REJECTED_LOG_BACKUPS "
                           "is 0: its records are discarded", self.path, self.max_bytes)
            os.ftruncate(fd, 0)
            return fd
        oldest = self._backup(self.backups)
        if oldest.exists():
            logger.warning("rejected log rotation drops the oldest backup %s", oldest)
        for n in range(self.backups - 1, 0, -1):
            if self._backup(n).exists():
                os.replace(self._backup(n), self._backup(n + 1))
        os.replace(self.path, self._backup(1))
        self._unlock(fd)
        self._reopen()
        return self._lock_current()

    def _backup(self, n: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{n}")

    @staticmethod
    def _write_all(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]

    @staticmethod
    def _lock(fd: int) -> None:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)

    @staticmethod
    def _unlock(fd: int) -> None:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            except OSError:
                pass


def rotated_paths(path: str | os.PathLike[str]) -> list[Path]:
    """Existing backups of ``path``, oldest first (``log.N`` ... ``log.1``)."""
    base = Path(path)
    found: list[tuple[int, Path]] = []
    for candidate in base.parent.glob(f"{base.name}.*") if base.parent.exists() else []:
        suffix = candidate.name[len(base.name) + 1:]
        if suffix.isdigit():
            found.append((int(suffix), candidate))
    return [p for _, p in sorted(found, reverse=True)]
