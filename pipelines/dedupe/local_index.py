"""In-process near-duplicate index: multi-index hashing over sorted numpy arrays.

Why this structure: a linear scan of 1M fingerprints costs milliseconds per item, and
``simhash.SimhashIndex`` keeps Python strings and dicts per entry (hundreds of bytes an
article). Multi-index hashing splits the 64 bits into ``m`` blocks; by the pigeonhole
principle two fingerprints within ``k`` bits agree within ``r = k // m`` bits on at least
one block. Each block is a sorted uint32 array of block values plus the permutation back
to rows, so a query enumerates the block values within ``r`` bits of its own and
``np.searchsorted``'s them all at once, then verifies the few candidates with
``np.bitwise_count``. New fingerprints go to a small unsorted buffer scanned linearly
and merged into the sorted arrays once it is full (LSM style), so inserts stay cheap.

Memory per stored article: 8 (fingerprint) + 8 (row id) + m x (4 block value + 4 row
index) bytes = 40 bytes at m = 3, 48 at m = 4. Keys (URLs) are not held in memory: they
live in the :class:`~pipelines.dedupe.store.FingerprintStore` (on disk, or a temporary
SQLite file for memory-only runs) and are read only when a duplicate is found.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from pipelines.dedupe.index import Match
from pipelines.dedupe.store import FingerprintStore

_MASK64 = (1 << 64) - 1


def block_plan(distance: int) -> tuple[int, int]:
    """(blocks m, per-block radius r) for a Hamming radius ``k``, with m * (r + 1) > k.

    Measured at 1M random fingerprints with ``python -m pipelines.dedupe.bench``
    (median query): 16-bit exact blocks (4, 0) for k <= 3 (~40 us); three 21/22-bit
    blocks with r = 1 for k <= 5 (~45 us); four 16-bit blocks with r = 1 for k = 6, 7
    (~90 us, vs ~170 us for (3, 2)); (3, 2) for k = 8 (~170 us, vs ~340 us for (4, 2)).
    """
    if distance < 0:
        raise ValueError("distance must be >= 0")
    if distance <= 1:
        return 2, 0
    if distance <= 3:
        return 4, 0
    if distance <= 5:
        return 3, 1
    if distance <= 7:
        return 4, 1
    if distance == 8:
        return 3, 2
    m = 4 if distance <= 11 else min(8, distance // 3 + 1)
    return m, distance // m


def _flip_masks(width: int, radius: int) -> np.ndarray:
    """All ``width``-bit masks with at most ``radius`` bits set."""
    masks = [0]
    for r in range(1, radius + 1):
        for bits in combinations(range(width), r):
            masks.append(sum(1 << b for b in bits))
    return np.array(masks, dtype=np.uint32)


class LocalIndex:
    """Near-duplicate index of 64-bit fingerprints, optionally persisted.

    ``reserve`` finds the nearest stored (or pending) fingerprint within ``distance``
    bits, else records this one as pending under ``key``; ``commit`` makes it permanent
    (written to the store), ``release`` forgets it. ``query``/``add`` are the plain
    read/insert operations.
    """

    def __init__(
        self,
        distance: int,
        store: FingerprintStore | None = None,
        *,
        min_buffer: int = 4096,
    ) -> None:
        self.distance = distance
        self._store = store if store is not None else FingerprintStore.temporary()
        self._min_buffer = min_buffer
        self.blocks, self.radius = block_plan(distance)
        widths = [64 // self.blocks + (1 if i < 64 % self.blocks else 0)
                  for i in range(self.blocks)]
        self._shifts = [sum(widths[:i]) for i in range(self.blocks)]
        self._bmasks = [(1 << w) - 1 for w in widths]
        self._variants = [_flip_masks(w, self.radius) for w in widths]
        self._fps = np.empty(0, dtype=np.uint64)
        self._rowids = np.empty(0, dtype=np.int64)
        self._n = 0  # rows in _fps/_rowids
        self._n_sorted = 0  # rows [0, _n_sorted) are in the sorted block tables
        self._sorted_vals = [np.empty(0, dtype=np.uint32) for _ in range(self.blocks)]
        self._sorted_rows = [np.empty(0, dtype=np.uint32) for _ in range(self.blocks)]
        self._pending: dict[str, int] = {}
        rowids, fps = self._store.load()
        if fps.size:
            self.load_arrays(fps, rowids)

    # -- bulk --------------------------------------------------------------------
    def load_arrays(self, fps: np.ndarray, rowids: np.ndarray | None = None) -> None:
        """Append many fingerprints at once (already stored, or benchmark data without
        keys) and rebuild the sorted tables: one argsort per block."""
        fps = np.asarray(fps, dtype=np.uint64)
        if rowids is None:
            rowids = -1 - np.arange(self._n, self._n + fps.size, dtype=np.int64)
        self._append_rows(fps, np.asarray(rowids, dtype=np.int64))
        self._rebuild()

    def _append_rows(self, fps: np.ndarray, rowids: np.ndarray) -> None:
        need = self._n + fps.size
        if need > self._fps.size:
            cap = max(need, int(self._fps.size * 1.5) + 1024)
            self._fps = np.resize(self._fps, cap)
            self._rowids = np.resize(self._rowids, cap)
        self._fps[self._n : need] = fps
        self._rowids[self._n : need] = rowids
        self._n = need

    def _block_values(self, fps: np.ndarray, j: int) -> np.ndarray:
        return ((fps >> np.uint64(self._shifts[j])) & np.uint64(self._bmasks[j])).astype(np.uint32)

    def _rebuild(self) -> None:
        fps = self._fps[: self._n]
        for j in range(self.blocks):
            vals = self._block_values(fps, j)
            order = np.argsort(vals, kind="stable").astype(np.uint32)
            self._sorted_vals[j] = vals[order]
            self._sorted_rows[j] = order
        self._n_sorted = self._n

    def _merge_buffer(self) -> None:
        """Insert buffered rows into the sorted tables (O(n) copy, no re-sort)."""
        rows = np.arange(self._n_sorted, self._n, dtype=np.uint32)
        fps = self._fps[self._n_sorted : self._n]
        for j in range(self.blocks):
            vals = self._block_values(fps, j)
            order = np.argsort(vals, kind="stable")
            vals, new_rows = vals[order], rows[order]
            at = np.searchsorted(self._sorted_vals[j], vals, side="right")
            self._sorted_vals[j] = np.insert(self._sorted_vals[j], at, vals)
            self._sorted_rows[j] = np.insert(self._sorted_rows[j], at, new_rows)
        self._n_sorted = self._n

    def _buffer_limit(self) -> int:
        # grows like sqrt(n): scanning the buffer and amortised merging cost about the same
        return max(self._min_buffer, 4 * math.isqrt(self._n))

    # -- queries -------------------------------------------------------------------
    def _nearest_row(self, fp: int) -> tuple[int, int] | None:
        """(row, distance) of the nearest stored fingerprint within ``distance``."""
        q = np.uint64(fp)
        best: tuple[int, int] | None = None
        if self._n_sorted:
            cands = []
            for j in range(self.blocks):
                probe = np.uint32((fp >> self._shifts[j]) & self._bmasks[j]) ^ self._variants[j]
                vals = self._sorted_vals[j]
                lo = np.searchsorted(vals, probe, side="left")
                hi = np.searchsorted(vals, probe, side="right")
                nz = hi > lo
                if not nz.any():
                    continue
                lo, counts = lo[nz], (hi - lo)[nz]
                # expand the [lo, lo + count) ranges into one index array
                idx = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
                cands.append(self._sorted_rows[j][idx])
            if cands:
                rows = np.concatenate(cands) if len(cands) > 1 else cands[0]
                dist = np.bitwise_count(self._fps[rows] ^ q)
                i = int(np.argmin(dist))
                if dist[i] <= self.distance:
                    best = (int(rows[i]), int(dist[i]))
        if self._n > self._n_sorted:
            dist = np.bitwise_count(self._fps[self._n_sorted : self._n] ^ q)
            i = int(np.argmin(dist))
            if dist[i] <= self.distance and (best is None or dist[i] < best[1]):
                best = (self._n_sorted + i, int(dist[i]))
        return best

    def query(self, fingerprint: int) -> Match | None:
        """The nearest kept or pending fingerprint within ``distance`` bits, if any."""
        fp = fingerprint & _MASK64
        match: Match | None = None
        hit = self._nearest_row(fp)
        if hit is not None:
            row, dist = hit
            rowid = int(self._rowids[row])
            key = self._store.key_of(rowid) if rowid > 0 else None
            match = Match(key=key or f"row:{row}", fingerprint=int(self._fps[row]), distance=dist)
        for key, other in self._pending.items():
            dist = (fp ^ other).bit_count()
            if dist <= self.distance and (match is None or dist < match.distance):
                match = Match(key=key, fingerprint=other, distance=dist)
        return match

    # -- DedupeIndex -----------------------------------------------------------------
    def reserve(self, fingerprint: int, key: str) -> Match | None:
        match = self.query(fingerprint)
        if match is None:
            self._pending[key] = fingerprint & _MASK64
        return match

    def commit(self, key: str) -> None:
        fp = self._pending.pop(key, None)
        if fp is not None:
            self.add(fp, key)

    def release(self, key: str) -> None:
        self._pending.pop(key, None)

    def add(self, fingerprint: int, key: str) -> None:
        """Store a fingerprint as kept, without checking for duplicates."""
        fp = fingerprint & _MASK64
        rowid = self._store.append(fp, key)
        self._append_rows(np.array([fp], dtype=np.uint64), np.array([rowid], dtype=np.int64))
        if self._n - self._n_sorted >= self._buffer_limit():
            self._merge_buffer()

    def __len__(self) -> int:
        """Kept fingerprints (pending reservations are not counted)."""
        return self._n

    @property
    def pending(self) -> int:
        return len(self._pending)

    def nbytes(self) -> int:
        """Bytes held in memory by the index arrays (for the per-article budget)."""
        sorted_bytes = sum(v.nbytes + r.nbytes for v, r in zip(self._sorted_vals, self._sorted_rows, strict=True))
        return int(self._fps[: self._n].nbytes + self._rowids[: self._n].nbytes + sorted_bytes)

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        """Persist pending writes and release the state directory. Pending reservations
        (items still in the pipeline) are dropped: they were never kept."""
        self._pending.clear()
        self._store.close()
