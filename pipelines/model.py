"""The data that flows between spamsieve's stages and into the rejected-items log.

Every stage speaks in these types so that a reason computed by a detector reaches the
stats, the ``DropItem`` message, the rejected log and ``spamsieve review`` under the same
name with the same evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

VerdictName = Literal["clean", "cleaned", "rejected"]

# Canonical fields spamsieve reads from an item (SPAMSIEVE_FIELDS maps them to user names).
CANONICAL_FIELDS = (
    "url", "title", "headline", "byline", "text", "html",
    "hidden_links", "meta_keywords", "meta_description", "canonical_url",
)


# Signals that measure how much gambling vocabulary there is rather than where it sits.
SUPPORTING_SIGNALS = frozenset({"lexicon_density", "unknown_brand", "legit_context"})
# The signals that define each rejection family.
FAMILY_SIGNALS: dict[str, tuple[str, ...]] = {
    "hijacked": ("header_mismatch", "title_stuffing", "byline_keyword"),
    "spliced": ("splicing",),
    "promotion": ("lexicon_density",),
    "injected": ("injected_lines", "mid_sentence_injection", "hidden_links", "link_cloud"),
}


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
        # by hand, not dataclasses.asdict: asdict deep-copies every value and this runs
        # for every piece of evidence of every item (same keys, order and omissions)
        return _present((("field", self.field), ("start", self.start), ("end", self.end),
                         ("text", self.text), ("value", self.value), ("note", self.note)))


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
        return _present((("action", self.action), ("field", self.field), ("start", self.start),
                         ("end", self.end), ("text", self.text), ("reason", self.reason),
                         ("replacement", self.replacement)))


def _present(pairs: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """The pairs whose value is set (not None or ""), as the records have always shown."""
    return {k: v for k, v in pairs if v is not None and v != ""}


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
        """The signal that best explains the verdict to a reviewer: the strongest signal
        defining the rejection family (splicing for a spliced page, the hijacked header
        for a hijacked one...), else the strongest *structural* signal (where the gambling
        words sit), and the supporting word counts only when nothing else fired."""
        positive = [r for r in self.reasons if r.score > 0]
        defining = [r for r in positive if r.name in FAMILY_SIGNALS.get(self.family, ())]
        structural = [r for r in positive if r.name not in SUPPORTING_SIGNALS]
        candidates = defining or structural or positive or self.reasons
        if not candidates:
            return ""
        return max(candidates, key=lambda r: r.score).name

    def to_dict(self, *, reasons: bool = True) -> dict[str, Any]:
        """``reasons=False`` leaves them out, for a record that holds them already."""
        out: dict[str, Any] = {"verdict": self.verdict, "score": round(self.score, 3)}
        if reasons:
            out["reasons"] = [r.to_dict() for r in self.reasons]
        out["actions"] = [a.to_dict() for a in self.actions]
        return out
