"""url_pattern: gambling words or random labels in the host name (a hint, never proof)."""

from __future__ import annotations

import re
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


HOST_MEMO_SIZE = 4096  # _hosts is emptied when it holds this many
_hosts: dict[str, str | None] = {}  # scheme://netloc -> host_of() (see host_of)
_PLAIN_SCHEMES = ("http://", "https://")
_AFTER_NETLOC = re.compile(r"[/?#]")
_REMOVED = frozenset("\t\r\n")  # what urlsplit deletes anywhere in a URL


def host_of(url: str) -> str | None:
    """The URL's lower-cased host name ("" when it has none), None when it is malformed.

    Memoised by the URL's ``scheme://netloc`` prefix: the pages of a site share a few of
    them, and ``urlsplit`` costs several microseconds per URL. The host is a function of
    that prefix alone when the URL starts with a plain lower-case http(s) scheme (nothing
    ``urlsplit`` strips in front) and holds no tab or newline (which it deletes anywhere):
    then ``urlsplit`` reads the netloc as exactly the text up to the first ``/?#``, so
    the prefix parses to the same netloc, hence the same hostname (or the same error).
    """
    if url.startswith(_PLAIN_SCHEMES) and _REMOVED.isdisjoint(url):
        begin = url.index("//") + 2
        stop = _AFTER_NETLOC.search(url, begin)
        key = url if stop is None else url[:stop.start()]
        if key in _hosts:
            return _hosts[key]
        if len(_hosts) >= HOST_MEMO_SIZE:
            _hosts.clear()
        found = _hosts[key] = _parsed_host(key)
        return found
    return _parsed_host(url)


def _parsed_host(url: str) -> str | None:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:  # malformed URL
        return None


def page_host(ctx: Context) -> str | None:
    """:func:`host_of` the page URL ("" without one), memoised: canonical_mismatch needs
    it too, and parsing a URL is a visible share of these two small signals."""
    return ctx.memoised(HOST, lambda: host_of(ctx.doc.url) if ctx.doc.url else "")


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
