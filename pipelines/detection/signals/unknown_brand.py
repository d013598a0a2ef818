"""unknown_brand: brands no lexicon knows, found by structure (see ``brands.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "unknown_brand"
KIND = "structure"


def detect(ctx: Context) -> Reason | None:
    unknown = {brand: how for brand, how in ctx.brands.items() if not how & {"lexicon", "spam", "promo"}}
    if not unknown:
        return None
    evidence = []
    score = 0.0
    for brand, how in sorted(unknown.items()):
        structural = any(h.startswith("structure") for h in how)
        score += 0.4 if structural else 0.2
        evidence.append(Evidence("page", text=brand, note=", ".join(sorted(how))))
    return Reason(NAME, round(min(0.6, score), 3), evidence[:8])
