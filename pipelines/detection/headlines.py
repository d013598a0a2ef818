"""Where the real article's headline is when a gambling brand took the title.

Hijack networks copy a news article and keep its headline as a body line, usually
followed by a ``******`` marker; spliced pages have several such lines. Header checks,
cleaning (headline recovery) and salvage all need these lines, so they live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    from pipelines.detection.context import Context, Line

MARKER = regex.compile(r"\s*\*{5,}\s*$")
SENTENCE_END = regex.compile(r"[。！？!?;；:：,，]\s*$")
DATEISH = regex.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2}")


def marker_lines(ctx: Context) -> list[Line]:
    """Body lines ending in a ``*****`` headline marker (the copied article's headline)."""
    return [line for line in ctx.content_lines if "*****" in line.norm and MARKER.search(line.norm)]


def strip_marker(text: str) -> str:
    return MARKER.sub("", text).strip()


def looks_like_headline(ctx: Context, line: Line) -> bool:
    """A short line without sentence punctuation, date or gambling brand."""
    text = strip_marker(line.stripped)
    if not 6 <= len(text) <= 60 or SENTENCE_END.search(text) or DATEISH.search(text):
        return False
    return not any(brand in text for brand in ctx.brands)


def body_headline(ctx: Context) -> Line | None:
    """The copied article's headline line, if the body shows one."""
    marked = marker_lines(ctx)
    if marked:
        return marked[0]
    for line in ctx.content_lines[:6]:
        if looks_like_headline(ctx, line):
            return line
    return None
