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


def detect(ctx: Context) -> Reason | None:
    try:
        host = (urlsplit(ctx.doc.url).hostname or "").lower() if ctx.doc.url else ""
    except ValueError:  # malformed URL
        return None
    if not host:
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
