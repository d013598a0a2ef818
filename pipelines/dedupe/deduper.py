"""Near-duplicate checking without Scrapy: a fingerprinter plus an index.

The Scrapy pipeline and the ``spamsieve filter`` command both use this, so the same text
gets the same decision in a crawl and in an offline run::

    deduper = Deduper(LocalIndex(distance=DEFAULT_DISTANCE), Fingerprinter())
    for record in records:
        result = deduper.check(record["text"], key=record["url"])
        if result.status == "duplicate":
            drop(record, duplicate_of=result.match.key, distance=result.match.distance)
            continue
        if keep_after_other_checks(record):
            deduper.commit(record["url"])   # only kept items block later copies
        else:
            deduper.release(record["url"])

When the item is final as soon as it is checked (dedupe is the last stage, as in
``spamsieve filter``), ``check_and_commit(text, key)`` does both steps and raises
:class:`~pipelines.errors.NearDuplicate` for a copy.

``check`` reserves the fingerprint of a unique text, so a copy arriving before the
original is committed is already caught; ``release`` undoes the reservation of an item
that was dropped later, so its clean copy elsewhere is still kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pipelines.dedupe.fingerprint import Fingerprinter
from pipelines.dedupe.index import DedupeIndex, Match
from pipelines.errors import NearDuplicate

Status = Literal["unique", "duplicate", "too_short"]


@dataclass(frozen=True)
class DedupeResult:
    status: Status
    fingerprint: int | None = None  # None when too short
    match: Match | None = None  # the kept copy, when a duplicate

    @property
    def fingerprint_hex(self) -> str:
        return "" if self.fingerprint is None else f"{self.fingerprint:016x}"


class Deduper:
    """Fingerprint a text and reserve it in ``index`` unless a near copy is there."""

    def __init__(self, index: DedupeIndex, fingerprinter: Fingerprinter | None = None) -> None:
        self.index = index
        self.fingerprinter = fingerprinter or Fingerprinter()

    def check(self, text: str, key: str) -> DedupeResult:
        """``too_short`` (not deduped, nothing reserved), ``duplicate`` (with the match;
        nothing reserved) or ``unique`` (reserved under ``key``: commit or release it)."""
        fp = self.fingerprinter.fingerprint(text)
        if fp is None:
            return DedupeResult("too_short")
        match = self.index.reserve(fp, key)
        if match is not None:
            return DedupeResult("duplicate", fp, match)
        return DedupeResult("unique", fp)

    def check_and_commit(self, text: str, key: str) -> DedupeResult:
        """``check`` for an item that is final now: a unique text is committed at once,
        a copy raises :class:`NearDuplicate` (too-short texts pass, not stored)."""
        result = self.check(text, key)
        if result.status == "duplicate":
            raise near_duplicate(result, key)
        if result.status == "unique":
            self.index.commit(key)
        return result

    def commit(self, key: str) -> None:
        """The reserved item was kept: its fingerprint now blocks later copies for good."""
        self.index.commit(key)

    def release(self, key: str) -> None:
        """The reserved item was dropped later: forget its fingerprint."""
        self.index.release(key)

    def close(self) -> None:
        self.index.close()


def near_duplicate(result: DedupeResult, url: str) -> NearDuplicate:
    """The drop for a duplicate: short message, the kept copy and the distance as data."""
    match = result.match
    assert match is not None
    if url and match.key == url:  # the same page crawled again (an earlier run, a resume)
        message, reason = f"already kept: {url} ({match.distance} bits)", "already_kept"
    else:
        message = f"near-duplicate of {match.key} ({match.distance} bits)"
        reason = "near_duplicate"
    return NearDuplicate(
        message,
        reason=reason,
        url=url,
        extra={
            "duplicate_of": match.key,
            "distance": match.distance,
            "fingerprint": result.fingerprint_hex,
        },
    )
