"""One ``DropItem`` subclass per rejection family, so Scrapy's own
``item_dropped_reasons_count/<Class>`` stats split rejections by reason for free.

Each exception carries the structured record (stage, reason, reasons with evidence,
score, duplicate_of, distance) that the rejected-items log writes; its ``str()`` is a
short one-line message, never an article body.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from pipelines.model import Reason


class SpamSieveDrop(DropItem):
    stage = "spamsieve"

    def __init__(
        self,
        message: str,
        *,
        reason: str,
        reasons: list[Reason] | None = None,
        score: float | None = None,
        url: str = "",
        extra: dict[str, Any] | None = None,
        log_level: str | None = None,
    ) -> None:
        super().__init__(message, log_level=log_level) if log_level else super().__init__(message)
        self.reason = reason
        self.reasons = reasons or []
        self.score = score
        self.url = url
        self.extra = extra or {}

    def record_fields(self) -> dict[str, Any]:
        """The fields of a rejected-log record this drop decides."""
        fields: dict[str, Any] = {
            "stage": self.stage,
            "reason": self.reason,
            "message": str(self),
            "score": None if self.score is None else round(self.score, 3),
            "reasons": [r.to_dict() for r in self.reasons],
        }
        fields.update(self.extra)
        return fields


class GamblingPollution(SpamSieveDrop):
    """Base of the detection stage's rejections (stage ``gambling``)."""

    stage = "gambling"


class HijackedPage(GamblingPollution):
    """A gambling brand took over the title/byline of a copied article."""


class SplicedPage(GamblingPollution):
    """Unrelated copied articles glued together under gambling keywords."""


class GamblingPromotion(GamblingPollution):
    """The page itself promotes gambling."""


class InjectedContent(GamblingPollution):
    """Gambling lines/links injected into real content that cleaning could not remove."""


class NearDuplicate(SpamSieveDrop):
    """A near-identical copy of an article already kept."""

    stage = "duplicate"


class DedupeUnavailable(SpamSieveDrop):
    """The shared dedupe backend failed: the item is logged (restorable), never kept
    unchecked, and the crawl is closed."""

    stage = "error"


class DedupeBackendError(RuntimeError):
    """The shared dedupe backend cannot be used (Redis unreachable or broken)."""


class Unanalyzable(SpamSieveDrop):
    """The item cannot be analysed (no text, binary, too long, broken encoding...)."""

    stage = "unanalyzable"


FAMILY_EXCEPTIONS: dict[str, type[GamblingPollution]] = {
    "hijacked": HijackedPage,
    "spliced": SplicedPage,
    "promotion": GamblingPromotion,
    "injected": InjectedContent,
}
