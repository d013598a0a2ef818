"""canonical_mismatch: canonical/og URL on another site (a mirror of someone's article)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.detection.signals.url_pattern import host_of, page_host
from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "canonical_mismatch"
KIND = "html"


def _site(host: str | None) -> str:
    """The last two labels of a host name ("" for no host or a malformed URL's None)."""
    if not host:
        return ""
    return ".".join(host.split(".")[-2:])


def detect(ctx: Context) -> Reason | None:
    canonical = ctx.doc.canonical_url
    if not canonical or not ctx.doc.url or "://" not in canonical:
        return None
    # each URL parsed once (the page's shared with url_pattern), not once per comparison
    canonical_site = _site(host_of(canonical))
    if not canonical_site:
        return None
    page_site = _site(page_host(ctx))
    if not page_site or canonical_site == page_site:
        return None
    return Reason(NAME, 0.2, [Evidence("canonical_url", text=canonical[:200],
                                       note=f"page is on {page_site}")])
