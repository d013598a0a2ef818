"""Combining signal scores into one score, a verdict and a rejection family."""

from __future__ import annotations

from pipelines.model import Reason

HEADER_SIGNALS = frozenset({"title_stuffing", "header_mismatch", "byline_keyword"})
HIJACK_THRESHOLD = 0.6
PROMOTION_THRESHOLD = 0.5


def total_score(reasons: list[Reason]) -> float:
    """Sum of positive signal scores (legit_context is shown but already applied)."""
    return round(sum(r.score for r in reasons if r.score > 0), 3)


def family_of(reasons: list[Reason]) -> str:
    """hijacked | spliced | promotion | injected, from which signals carry the score."""
    by_name = {r.name: r.score for r in reasons}
    header = sum(by_name.get(name, 0.0) for name in HEADER_SIGNALS)
    if by_name.get("splicing", 0.0) >= 0.4:
        return "spliced"
    over_an_article = "header_mismatch" in by_name or "byline_keyword" in by_name
    if header >= HIJACK_THRESHOLD and over_an_article:
        return "hijacked"
    if by_name.get("lexicon_density", 0.0) >= PROMOTION_THRESHOLD:
        return "promotion"
    if header >= HIJACK_THRESHOLD:
        return "hijacked"
    return "injected"


def title_hijacked(reasons: list[Reason]) -> bool:
    return any(r.name in ("title_stuffing", "header_mismatch") and r.score >= 0.5 for r in reasons)
