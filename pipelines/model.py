"""The data that flows between spamsieve's stages and into the rejected-items log.

Every stage speaks in these types so that a reason computed by a detector reaches the
stats, the ``DropItem`` message, the rejected log and ``spamsieve review`` under the same
name with the same evidence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

VerdictName = Literal["clean", "cleaned", "rejected"]

# Canonical fields spamsieve reads from an item (SPAMSIEVE_FIELDS maps them to user names).
CANONICAL_FIELDS = (
    "url", "title", "headline", "byline", "text", "html",
    "hidden_links", "meta_keywords", "meta_description", "canonical_url",
)


# Signals that measure how much gambling vocabulary there is rather than where it sits.
SUPPORTING_SIGNALS = frozenset({"lexicon_density", "unknown_brand", "legit_context"})


@dataclass
class Evidence:
    """One piece of proof: where (field + character span of the *original* field value),
    what was matched, and the measured value when the signal is a measurement."""

    field: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    value: float | str | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass
class Reason:
    """A signal that fired: its name (same word in evidence, stats and docs) and score."""

    name: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": round(self.score, 3),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class CleanAction:
    """One change cleaning made to a kept item (removed a line, recovered the headline...)."""

    action: str  # remove_line | remove_span | replace_title | recover_headline | ...
    field: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    reason: str = ""
    replacement: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass
class Document:
    """The canonical view of an item that detectors read. Built by ``pipelines.fields``."""

    url: str = ""
    title: str = ""
    headline: str = ""
    byline: str = ""
    text: str = ""
    html: str = ""
    hidden_links: list[dict[str, str]] = field(default_factory=list)
    meta_keywords: str = ""
    meta_description: str = ""
    canonical_url: str = ""

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass
class Verdict:
    """The detection stage's answer for one item."""

    verdict: VerdictName
    score: float
    reasons: list[Reason] = field(default_factory=list)
    actions: list[CleanAction] = field(default_factory=list)
    cleaned: Document | None = None  # the document after cleaning (clean: unchanged copy)
    family: str = ""  # rejection family: hijacked | spliced | promotion | injected
    articles: list[Document] = field(default_factory=list)  # salvage: one per article

    @property
    def main_reason(self) -> str:
        """The strongest *structural* signal (where the gambling words sit), which tells a
        reviewer more than the supporting word counts; those only when nothing else fired."""
        structural = [r for r in self.reasons if r.score > 0 and r.name not in SUPPORTING_SIGNALS]
        candidates = structural or [r for r in self.reasons if r.score > 0] or self.reasons
        if not candidates:
            return ""
        return max(candidates, key=lambda r: r.score).name

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "score": round(self.score, 3),
            "reasons": [r.to_dict() for r in self.reasons],
            "actions": [a.to_dict() for a in self.actions],
        }
