"""splicing: several copied articles glued into one page, each with its own headline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.headlines import marker_lines
from pipelines.detection.signals.keyword_lines import brand_only
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "splicing"
KIND = "structure"


def detect(ctx: Context) -> Reason | None:
    marked = marker_lines(ctx)
    if len(marked) < 2 or not ctx.brands:
        return None  # the marker template without any gambling brand is a junk mirror
    score = min(0.8, 0.4 + 0.2 * (len(marked) - 2))
    evidence = [ctx.line_evidence(line, note="article headline") for line in marked[:6]]
    separators = [
        line for line in ctx.content_lines
        if marked[0].index < line.index < marked[-1].index and brand_only(ctx, line)
    ]
    if separators:
        score += 0.2
        evidence.extend(ctx.line_evidence(line, note="brand between articles") for line in separators[:3])
    return Reason(NAME, round(score, 3), evidence)
