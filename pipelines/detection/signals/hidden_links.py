"""hidden_links: invisible links (display:none, off-screen...) pointing at gambling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.context import GAMBLING
from pipelines.detection.normalize import normalize
from pipelines.detection.signals.url_pattern import GAMBLING_HOST
from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "hidden_links"
KIND = "html"


def gambling_links(ctx: Context) -> list[int]:
    """Indexes into ``doc.hidden_links`` of the links whose anchor or host is gambling."""
    if NAME in ctx.memo:
        return ctx.memo[NAME]  # type: ignore[return-value]
    found = []
    for index, link in enumerate(ctx.doc.hidden_links or []):
        if not isinstance(link, dict):
            continue
        anchor = normalize(str(link.get("text") or "")).text
        url = str(link.get("url") or "").lower()
        hits = [m for m in ctx.lexicon.find(anchor) if m.category in GAMBLING]
        if hits or GAMBLING_HOST.search(url) or any(b in anchor for b in ctx.brands):
            found.append(index)
    ctx.memo[NAME] = found
    return found


def detect(ctx: Context) -> Reason | None:
    evidence = []
    for index in gambling_links(ctx):
        link = ctx.doc.hidden_links[index]
        anchor_text = str(link.get("text") or "")
        url = str(link.get("url") or "").lower()
        evidence.append(Evidence("hidden_links", text=anchor_text[:80], value=url[:200],
                                 note=str(link.get("how") or "hidden link")))
    if not evidence:
        return None
    return Reason(NAME, min(1.0, 0.4 * len(evidence)), evidence[:8])
