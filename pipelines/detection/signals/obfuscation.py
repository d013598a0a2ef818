"""obfuscation: gambling terms written with separators or glosses to dodge filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.model import Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "obfuscation"
KIND = "structure"


def detect(ctx: Context) -> Reason | None:
    evidence = []
    for view in (ctx.title, ctx.text):
        if not view.norm._points:
            continue  # normalisation removed nothing from this field: nothing was obfuscated
        for hit in view.hits("brand", "spam", "game", "suffix"):
            if view.norm.deleted_inside(hit.start, hit.end):
                evidence.append(ctx.evidence(view, hit.start, hit.end, f"obfuscated {hit.term}"))
    if not evidence:
        return None
    return Reason(NAME, min(0.8, 0.4 * len(evidence)), evidence[:6])
