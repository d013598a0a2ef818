"""meta_keywords_mismatch: meta keywords full of gambling terms the body never uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "meta_keywords_mismatch"
KIND = "html"


def detect(ctx: Context) -> Reason | None:
    view = ctx.meta_keywords
    hits = view.hits("brand", "spam", "game", "suffix")
    absent = [m for m in hits if m.term not in ctx.text.text]
    if not absent:
        return None
    evidence = [ctx.evidence(view, m.start, m.end, "meta keyword absent from body") for m in absent[:6]]
    return Reason(NAME, min(0.8, 0.3 + 0.2 * len(absent)), evidence)
