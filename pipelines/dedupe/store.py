"""Where kept fingerprints live between crawls: one SQLite file in the state directory.

The in-memory index holds only fingerprints and integer row ids (a few dozen bytes per
article); the keys (URLs) stay here on disk and are read only when a duplicate is found,
so a crawl of millions of pages does not hold millions of URLs in memory.

Durability: rows are written in small batches in WAL mode — when ``flush_every`` (50)
commits are pending, or a commit arrives ``flush_seconds`` (1 s) after the last write, and
always on close — so killing the crawl loses at most the last unflushed batch, whose
items are then simply treated as new next time. (There is no timer thread: an idle crawl
holds its last few commits until the next commit or close.)

Sharing: the directory is locked with ``fcntl.flock`` on ``state.lock`` for the whole
run. A second crawl pointed at the same directory is refused with
:class:`StateLockedError` rather than silently forking the state (two writers would
each miss the other's new fingerprints); processes that must share dedupe state while
running use the redis backend.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from pathlib import Path

import numpy as np

FILENAME = "fingerprints.sqlite"
LOCKNAME = "state.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fingerprints (
    rowid INTEGER PRIMARY KEY,
    fingerprint INTEGER NOT NULL,  -- the 64-bit simhash as a signed int64
    key TEXT NOT NULL,             -- the kept item's id (its URL)
    added_at REAL NOT NULL         -- unix time
)
"""


class StateLockedError(RuntimeError):
    """Another process holds the state directory."""


class StateDirError(RuntimeError):
    """The state directory holds something spamsieve must not open (e.g. a symlink)."""


def to_signed(fp: int) -> int:
    """SQLite integers are signed 64-bit."""
    return fp - (1 << 64) if fp >= (1 << 63) else fp


class FingerprintStore:
    """Append-only table of (rowid, fingerprint, key, added_at).

    ``FingerprintStore(path_dir)`` persists under ``path_dir`` and locks it;
    ``FingerprintStore.temporary()`` keeps the keys of a memory-only run in a private
    temporary SQLite database (spilled to a temp file by SQLite, deleted on close), so
    memory-only runs also do not hold every URL in RAM.
    """

    def __init__(
        self,
        path_dir: str | os.PathLike[str] | None,
        *,
        flush_every: int = 50,
        flush_seconds: float = 1.0,
    ) -> None:
        self.path_dir = Path(path_dir) if path_dir is not None else None
        self.flush_every = flush_every
        self.flush_seconds = flush_seconds
        self._pending: list[tuple[int, int, str, float]] = []
        self._pending_keys: dict[int, str] = {}
        self._last_flush = time.monotonic()
        self._lock_fd: int | None = None
        if self.path_dir is None:
            self._db = sqlite3.connect("")
        else:
            self.path_dir.mkdir(parents=True, exist_ok=True)
            self._lock()
            try:
                self._refuse_symlinks()
                self._db = sqlite3.connect(self.path_dir / FILENAME)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            except (sqlite3.Error, StateDirError):
                self._unlock()
                raise
        self._db.execute(_SCHEMA)
        self._db.commit()
        row = self._db.execute("SELECT max(rowid) FROM fingerprints").fetchone()
        self._next_rowid = (row[0] or 0) + 1

    @classmethod
    def temporary(cls) -> FingerprintStore:
        return cls(None)

    @property
    def persistent(self) -> bool:
        return self.path_dir is not None

    # -- locking -------------------------------------------------------------------
    def _refuse_symlinks(self) -> None:
        """A symlink planted in the state directory must not make spamsieve create or
        write a database (or its -wal/-shm files) somewhere else."""
        assert self.path_dir is not None
        for name in (FILENAME, f"{FILENAME}-wal", f"{FILENAME}-shm"):
            if (self.path_dir / name).is_symlink():
                raise StateDirError(f"spamsieve state file {self.path_dir / name} is a symbolic "
                                    "link; refusing to follow it (remove it or use another "
                                    "SPAMSIEVE_STATE_DIR)")

    def _lock(self) -> None:
        assert self.path_dir is not None
        path = self.path_dir / LOCKNAME
        try:  # O_NOFOLLOW: the lock file is truncated below, never through a symlink
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise StateDirError(f"cannot use {path} as the spamsieve state lock ({exc.strerror}; "
                                "a symbolic link is refused)") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise StateLockedError(
                f"spamsieve state directory {self.path_dir} is in use by another process "
                f"(pid {holder}). Give each concurrent crawl its own SPAMSIEVE_STATE_DIR, "
                f"or share dedupe state through SPAMSIEVE_DEDUPE_BACKEND='redis'."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- reading -------------------------------------------------------------------
    def __len__(self) -> int:
        (count,) = self._db.execute("SELECT count(*) FROM fingerprints").fetchone()
        return int(count) + len(self._pending)

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        """All stored (rowids int64, fingerprints uint64) in rowid order, fetched straight
        into numpy (about a second per million rows)."""
        self.flush()
        count = self._db.execute("SELECT count(*) FROM fingerprints").fetchone()[0]
        cursor = self._db.execute("SELECT rowid, fingerprint FROM fingerprints ORDER BY rowid")
        rows = np.fromiter(cursor, dtype=[("rowid", "<i8"), ("fp", "<i8")], count=count)
        return rows["rowid"].copy(), rows["fp"].view(np.uint64).copy()

    def key_of(self, rowid: int) -> str | None:
        if rowid in self._pending_keys:
            return self._pending_keys[rowid]
        row = self._db.execute("SELECT key FROM fingerprints WHERE rowid = ?", (rowid,)).fetchone()
        return row[0] if row else None

    # -- writing -------------------------------------------------------------------
    def append(self, fingerprint: int, key: str) -> int:
        """Queue a kept fingerprint; returns its row id. Written within the batch."""
        rowid = self._next_rowid
        self._next_rowid += 1
        self._pending.append((rowid, to_signed(fingerprint), key, time.time()))
        self._pending_keys[rowid] = key
        if (
            len(self._pending) >= self.flush_every
            or time.monotonic() - self._last_flush >= self.flush_seconds
        ):
            self.flush()
        return rowid

    def flush(self) -> None:
        if self._pending:
            with self._db:
                self._db.executemany(
                    "INSERT INTO fingerprints (rowid, fingerprint, key, added_at) "
                    "VALUES (?, ?, ?, ?)",
                    self._pending,
                )
            self._pending.clear()
            self._pending_keys.clear()
        self._last_flush = time.monotonic()

    def close(self) -> None:
        """Flush, close the database and release the directory lock (idempotent)."""
        if getattr(self, "_db", None) is None:
            return
        try:
            self.flush()
        finally:
            self._db.close()
            self._db = None  # type: ignore[assignment]
            self._unlock()
