"""The contract every dedupe index backend (local, redis) fulfils.

``reserve`` is the one atomic operation: find a fingerprint within ``k`` bits, else store
this one as *pending*. Pending entries already block concurrent copies, but only
``commit`` (the item was finally kept) makes them permanent; ``release`` (the item was
dropped later in the chain) forgets them, so a dropped item never blocks its later clean
copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Match:
    key: str  # the kept item's id (its URL)
    fingerprint: int
    distance: int


class DedupeIndex(Protocol):
    distance: int

    def reserve(self, fingerprint: int, key: str) -> Match | None: ...

    def commit(self, key: str) -> None: ...

    def release(self, key: str) -> None: ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...
