"""canonical_mismatch: canonical/og URL on another site (a mirror of someone's article)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "canonical_mismatch"
KIND = "html"


def _site(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # malformed URL
        return ""
    return ".".join(host.split(".")[-2:])


def detect(ctx: Context) -> Reason | None:
    canonical = ctx.doc.canonical_url
    if not canonical or not ctx.doc.url or "://" not in canonical:
        return None
    if not _site(canonical) or not _site(ctx.doc.url) or _site(canonical) == _site(ctx.doc.url):
        return None
    return Reason(NAME, 0.2, [Evidence("canonical_url", text=canonical[:200],
                                       note=f"page is on {_site(ctx.doc.url)}")])
