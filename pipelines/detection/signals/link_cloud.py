"""link_cloud: runs of short lines (or one crowded line) made of gambling names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.context import GAMBLING
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

NAME = "link_cloud"
KIND = "structure"


SHORT_HITS = frozenset({"brand", "spam", "suffix"})
SHORT = 24  # the longest line of a link cloud run


def _gambling_short(ctx: Context, line: Line) -> bool:
    text = line.stripped
    if not text or len(text) > SHORT:
        return False
    # the line's hits in body offsets: only their categories matter, so the line-relative
    # copies ``line.hits`` builds are not needed
    return any(b in text for b in ctx.brands) or any(m[3] in SHORT_HITS for m in line.field_matches)


def cloud_lines(ctx: Context) -> list[Line]:
    """Lines belonging to a run of >= 3 short gambling lines, or crowded gambling lines."""
    return ctx.memoised(NAME, lambda: _cloud_lines(ctx))


def _cloud_lines(ctx: Context) -> list[Line]:
    if not ctx.brands and not ctx.text.has("brand", "spam", "suffix") and \
            len({m.term for m in ctx.text.hits(*GAMBLING)}) < 4:
        return []  # no line can be a short gambling line, none can hold 4 gambling terms
    # Scanning the lines in order, a run of short gambling lines is kept when the next
    # line ends it, and that line is kept if crowded: the kept lines come in line order.
    # So they are the runs' lines and the crowded lines, sorted, found without walking
    # every line through both tests (only short lines can start or extend a run).
    lines = ctx.content_lines
    short = [number for number, (_, text) in enumerate(ctx.content_texts)
             if len(text) <= SHORT and _gambling_short(ctx, lines[number])]
    found = _runs(short)
    in_run = set(short)
    found.extend(number for number, line in enumerate(lines)
                 if line.match_count >= 4 and number not in in_run and _crowded(line))
    return [lines[number] for number in sorted(found)]


def _runs(numbers: list[int]) -> list[int]:
    """The members of the runs of >= 3 consecutive numbers in an increasing list."""
    found: list[int] = []
    run: list[int] = []
    for number in numbers:
        if run and number != run[-1] + 1:
            if len(run) >= 3:
                found.extend(run)
            run = []
        run.append(number)
    if len(run) >= 3:
        found.extend(run)
    return found


def _crowded(line: Line) -> bool:
    """A line (<= 200 chars) whose gambling hits are >= 4 distinct terms covering > 40% of it."""
    if len(line.stripped) > 200:
        return False
    # body-offset hits: the same terms and lengths as the line-relative ones
    hits = [m for m in line.field_matches if m[3] in GAMBLING]
    if len(hits) < 4:
        return False  # fewer than 4 distinct terms
    distinct = {m.term for m in hits}
    return len(distinct) >= 4 and sum(m.end - m.start for m in hits) > 0.4 * len(line.stripped)


def detect(ctx: Context) -> Reason | None:
    found = cloud_lines(ctx)
    if not found:
        return None
    return Reason(NAME, min(0.9, 0.2 * len(found) + 0.3),
                  [ctx.line_evidence(line, note="gambling link cloud") for line in found[:8]])
