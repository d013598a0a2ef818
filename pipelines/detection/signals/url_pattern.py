"""url_pattern: gambling words or random labels in the host name (a hint, never proof)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import regex

from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "url_pattern"
KIND = "structure"
GAMBLING_HOST = regex.compile(
    r"casino|bet(?!ter)|slot|poker|bocai|caipiao|yule|qipai|pk10|lottery|baccarat|judi|togel|"
    r"(?<!\d)(?:88|888|777|168)(?!\d)"
)
RANDOM_LABEL = regex.compile(r"^(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{4,10}$")
HOST = "url_pattern/host"  # memo: page_host()


def host_of(url: str) -> str | None:
    """The URL's lower-cased host name ("" when it has none), None when it is malformed."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # malformed URL
        return None


def page_host(ctx: Context) -> str | None:
    """:func:`host_of` the page URL ("" without one), memoised: canonical_mismatch needs
    it too, and parsing a URL is a visible share of these two small signals."""
    if HOST not in ctx.memo:
        ctx.memo[HOST] = host_of(ctx.doc.url) if ctx.doc.url else ""
    return ctx.memo[HOST]  # type: ignore[return-value]


def detect(ctx: Context) -> Reason | None:
    host = page_host(ctx)
    if not host:  # no URL, no host name or a malformed URL
        return None
    labels = host.split(".")
    score = 0.0
    notes = []
    found = GAMBLING_HOST.search(host)
    if found:
        score += 0.2
        notes.append(f"gambling word {found.group()!r} in host")
    if len(labels) > 2 and RANDOM_LABEL.match(labels[0]):
        score += 0.1
        notes.append("random-looking subdomain")
    if not score:
        return None
    return Reason(NAME, score, [Evidence("url", text=host, note="; ".join(notes))])
