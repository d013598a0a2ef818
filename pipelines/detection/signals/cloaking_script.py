"""cloaking_script: JavaScript that redirects visitors coming from search engines."""

from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from pipelines.model import Evidence, Reason

if TYPE_CHECKING:
    from pipelines.detection.context import Context

NAME = "cloaking_script"
KIND = "html"
REFERRER = regex.compile(r"document\.referrer", regex.I)
ENGINES = regex.compile(r"baidu|sogou|so\.com|sm\.cn|google|bing|360", regex.I)
REDIRECT = regex.compile(r"(?:window\.|document\.|top\.)?location(?:\.href|\.replace)?\s*[=(]", regex.I)


def detect(ctx: Context) -> Reason | None:
    html = ctx.doc.html or ""
    found = REFERRER.search(html)
    if not found:
        return None
    window = html[max(0, found.start() - 600):found.end() + 600]
    if not (ENGINES.search(window) and REDIRECT.search(window)):
        return None
    return Reason(NAME, 0.8, [Evidence("html", found.start(), found.end(),
                                       window[:160], note="referrer-based redirect")])
