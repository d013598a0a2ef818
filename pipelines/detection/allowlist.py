"""The allowlist: domains, URL patterns and terms a human has declared innocent.

``spamsieve review allow`` appends to it when a reviewer overrules a rejection, and the
detector honours it: an allowlisted page is always clean, and an allowlisted term never
counts as a gambling match (a newspaper called 金沙报 is not the 金沙 casino).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.detection.normalize import fold

KINDS = ("domain", "url", "term")


class AllowlistError(ValueError):
    """The allowlist file cannot be read or has a malformed line."""


@dataclass
class Allowlist:
    domains: set[str] = field(default_factory=set)
    url_patterns: list[re.Pattern[str]] = field(default_factory=list)
    terms: set[str] = field(default_factory=set)  # folded

    @classmethod
    def load(cls, path: str | Path) -> Allowlist:
        """Read ``path``; a missing file is an empty allowlist."""
        path = Path(path)
        allowlist = cls()
        if not path.exists():
            return allowlist
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise AllowlistError(f"cannot read allowlist {path}: {exc}") from None
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            kind, sep, value = line.partition(":")
            kind, value = kind.strip().lower(), value.strip()
            if not sep or kind not in KINDS or not value:
                raise AllowlistError(
                    f"{path}:{number}: expected 'domain:HOST', 'url:REGEX' or 'term:WORD', "
                    f"got {raw!r}"
                )
            try:
                allowlist._add(kind, value)
            except re.error as exc:
                raise AllowlistError(f"{path}:{number}: bad URL regex {value!r}: {exc}") from None
        return allowlist

    def _add(self, kind: str, value: str) -> None:
        if kind == "domain":
            self.domains.add(value.lower().lstrip(".").removeprefix("www."))
        elif kind == "url":
            self.url_patterns.append(re.compile(value))
        else:
            self.terms.add(fold(value))

    @staticmethod
    def add(path: str | Path, kind: str, value: str) -> None:
        """Append one entry (used by ``spamsieve review allow``); validates it first."""
        if kind not in KINDS:
            raise AllowlistError(f"unknown allowlist kind {kind!r} (use {', '.join(KINDS)})")
        value = value.strip()
        if not value or "\n" in value:
            raise AllowlistError(f"allowlist {kind} must be one non-empty line")
        if kind == "url":
            try:
                re.compile(value)
            except re.error as exc:
                raise AllowlistError(f"bad URL regex {value!r}: {exc}") from None
        path = Path(path)
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        needs_newline = path.exists() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(("\n" if needs_newline else "") + f"{kind}:{value}\n")

    def allows_url(self, url: str) -> bool:
        """Whether the page at ``url`` is allowlisted by domain (or parent) or pattern."""
        if not url or not (self.domains or self.url_patterns):
            return False  # nothing to match (the usual allowlist): no need to parse the URL
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:  # malformed URL (bad IPv6 literal...): only patterns can match
            host = ""
        parts = host.split(".")
        for index in range(len(parts) - 1):
            if ".".join(parts[index:]) in self.domains:
                return True
        return any(pattern.search(url) for pattern in self.url_patterns)

    def __bool__(self) -> bool:
        return bool(self.domains or self.url_patterns or self.terms)
