"""headline_markers: ``******`` after a headline line, the hijack networks' template mark."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.headlines import MARKER, marker_lines
from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "headline_markers"
KIND = "structure"


def detect(ctx: Context) -> Reason | None:
    lines = marker_lines(ctx)
    if not lines:
        return None
    evidence = []
    for line in lines[:5]:
        found = MARKER.search(line.norm)
        start = found.start() if found else 0
        evidence.append(ctx.line_evidence(line, start, len(line.norm), "headline marker"))
    # Weak on its own: junk mirrors of clean news carry the marker too.
    return Reason(NAME, 0.1, evidence)
