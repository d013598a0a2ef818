"""footer_lines: ``X地图`` sitemap and copyright lines naming a gambling brand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.detection.context import GAMBLING
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

NAME = "footer_lines"
KIND = "structure"
FOOTER = regex.compile(r"地图\s*$|版权所有|copyright|©|all rights reserved|备案号|icp", regex.I)
TAIL = 10  # footers are among the last lines


def is_gambling_footer(ctx: Context, line: Line) -> bool:
    text = line.stripped
    if len(text) > 80 or not FOOTER.search(text):
        return False
    return _names_gambling(ctx, line)


def _names_gambling(ctx: Context, line: Line) -> bool:
    """The line names a page brand or holds a gambling hit (``bool(line.hits(*GAMBLING))``
    from the body-offset hits: only their categories matter)."""
    text = line.stripped
    return any(brand in text for brand in ctx.brands) or any(m[3] in GAMBLING for m in line.field_matches)


def gambling_footers(ctx: Context) -> list[Line]:
    """The last lines :func:`is_gambling_footer` accepts, in order, memoised: this signal
    and cleaning both need them."""
    return ctx.memoised(NAME, lambda: _gambling_footers(ctx))


def _gambling_footers(ctx: Context) -> list[Line]:
    if not ctx.brands and not ctx.text.has(*GAMBLING):
        return []  # a gambling footer names a brand or a gambling term of the body
    # is_gambling_footer() of each last line, the footer pattern tried once per line: the
    # line objects are only needed when one looks like a footer
    numbers = [number for number, (_, text) in enumerate(ctx.content_texts[-TAIL:])
               if len(text) <= 80 and FOOTER.search(text)]
    if not numbers:
        return []
    tail = ctx.content_lines[-TAIL:]
    return [tail[number] for number in numbers if _names_gambling(ctx, tail[number])]


def detect(ctx: Context) -> Reason | None:
    found = gambling_footers(ctx)
    if not found:
        return None
    return Reason(NAME, min(0.8, 0.5 * len(found)),
                  [ctx.line_evidence(line, note="gambling footer") for line in found])
