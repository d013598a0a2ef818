"""link_cloud: runs of short lines (or one crowded line) made of gambling names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.context import GAMBLING
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

NAME = "link_cloud"
KIND = "structure"


def _gambling_short(ctx: Context, line: Line) -> bool:
    text = line.stripped
    if not text or len(text) > 24:
        return False
    return any(b in text for b in ctx.brands) or bool(line.hits("brand", "spam", "suffix"))


def cloud_lines(ctx: Context) -> list[Line]:
    """Lines belonging to a run of >= 3 short gambling lines, or crowded gambling lines."""
    if NAME not in ctx.memo:
        ctx.memo[NAME] = _cloud_lines(ctx)
    return ctx.memo[NAME]  # type: ignore[return-value]


def _cloud_lines(ctx: Context) -> list[Line]:
    if not ctx.brands and not ctx.text.has("brand", "spam", "suffix") and \
            len({m.term for m in ctx.text.hits(*GAMBLING)}) < 4:
        return []  # no line can be a short gambling line, none can hold 4 gambling terms
    found: list[Line] = []
    run: list[Line] = []
    for line in ctx.content_lines + [None]:  # type: ignore[list-item]
        if line is not None and _gambling_short(ctx, line):
            run.append(line)
            continue
        if len(run) >= 3:
            found.extend(run)
        run = []
        if line is not None and line.match_count >= 4 and len(line.stripped) <= 200:
            distinct = {m.term for m in line.hits(*GAMBLING)}
            if len(distinct) >= 4 and sum(m.end - m.start for m in line.hits(*GAMBLING)) > 0.4 * len(line.stripped):
                found.append(line)
    return found


def detect(ctx: Context) -> Reason | None:
    found = cloud_lines(ctx)
    if not found:
        return None
    return Reason(NAME, min(0.9, 0.2 * len(found) + 0.3),
                  [ctx.line_evidence(line, note="gambling link cloud") for line in found[:8]])
