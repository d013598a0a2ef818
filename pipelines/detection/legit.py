"""legit_context: how much the page reads like police, court or official-lottery reporting.

Reporting *about* gambling is kept, so the body-topic (``content``) signals are scaled
down by this strength. Header and structure signals are not: a hijacked header over
police news is still pollution.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "legit_context"
MAX_STRENGTH = 0.85


def legit_strength(ctx: Context) -> tuple[float, Reason | None]:
    """(discount in [0, MAX_STRENGTH], the reason to show when it applied)."""
    legit = ctx.title.hits("legit") + ctx.text.hits("legit")
    if not legit:
        return 0.0, None
    promo = sum(len(view.hits(category)) for view in (ctx.text, ctx.title)  # counts per category
                for category in ("cta", "suffix", "spam"))
    distinct = {m.term for m in legit}
    strength = min(MAX_STRENGTH, 0.08 * len(legit) + 0.05 * len(distinct) - 0.03 * promo)
    if strength <= 0.05:
        return 0.0, None
    reason = Reason(NAME, -round(strength, 3), [
        Evidence("text", value=len(legit), note="legit terms: " + ", ".join(sorted(distinct)[:10])),
    ])
    return strength, reason
