"""``spamsieve review allow``: turn a false positive into an allowlist entry.

The allowlist format and its reader belong to ``pipelines.detection.allowlist``; this
module delegates to ``Allowlist.add`` when that module is importable and otherwise
appends the same documented line format itself (``domain:example.com``, ``url:REGEX``,
``term:WORD``), so the review tool works even in a partial install.
"""

from __future__ import annotations

import re
from pathlib import Path

KINDS = ("domain", "url", "term")


class AllowError(ValueError):
    pass


def validate(kind: str, value: str) -> str:
    """The cleaned value, or AllowError with a message for the user."""
    if kind not in KINDS:
        raise AllowError(f"unknown allowlist kind {kind!r}; expected one of {', '.join(KINDS)}")
    value = value.strip()
    if not value or "\n" in value or "\r" in value:
        raise AllowError(f"--{kind}: expected a non-empty single-line value")
    if kind == "domain":
        value = value.lower().removeprefix("http://").removeprefix("https://").split("/")[0]
        if not re.fullmatch(r"[a-z0-9\u00a1-\uffff.-]+(:\d+)?", value):
            raise AllowError(f"--domain: {value!r} does not look like a host name")
    return value  # URL regexes are checked by Allowlist.add


def add_entry(path: str | Path, kind: str, value: str) -> tuple[bool, str]:
    """Append ``kind:value`` to the allowlist at ``path``.

    Returns (added, line): added is False when the line was already there."""
    value = validate(kind, value)
    line = f"{kind}:{value}"
    target = Path(path)
    if target.exists() and line in target.read_text(encoding="utf-8").splitlines():
        return False, line
    from pipelines.detection.allowlist import Allowlist, AllowlistError

    try:
        Allowlist.add(str(target), kind, value)
    except AllowlistError as exc:  # its message is for the user
        raise AllowError(str(exc)) from None
    return True, line

