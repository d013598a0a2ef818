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


def is_gambling_footer(ctx: Context, line: Line) -> bool:
    text = line.stripped
    if len(text) > 80 or not FOOTER.search(text):
        return False
    return any(brand in text for brand in ctx.brands) or bool(line.hits(*GAMBLING))


def detect(ctx: Context) -> Reason | None:
    if not ctx.brands and not ctx.text.has(*GAMBLING):
        return None  # a gambling footer names a brand or a gambling term of the body
    if not any(len(text) <= 80 and FOOTER.search(text) for _, text in ctx.content_texts[-10:]):
        return None  # no footer-like line at the end: no need for the line objects
    tail = ctx.content_lines[-10:]
    found = [line for line in tail if is_gambling_footer(ctx, line)]
    if not found:
        return None
    return Reason(NAME, min(0.8, 0.5 * len(found)),
                  [ctx.line_evidence(line, note="gambling footer") for line in found])
