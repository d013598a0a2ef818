"""Record selection shared by ``review list``, ``restore`` and ``report``.

One filter object so "the records I listed" and "the records I restored" are provably the
same set for the same options.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


class FilterError(ValueError):
    """An option value that cannot be used (bad regex, bad date)."""


@dataclass
class RecordFilter:
    ids: Sequence[str] = ()
    reasons: Sequence[str] = ()
    stages: Sequence[str] = ()
    domains: Sequence[str] = ()
    grep: str | None = None
    since: str | None = None
    _grep: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _since: datetime | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.grep:
            try:
                self._grep = re.compile(self.grep, re.IGNORECASE)
            except re.error as exc:
                raise FilterError(f"--grep: invalid regular expression {self.grep!r}: {exc}") from None
        if self.since:
            self._since = parse_time(self.since, option="--since")

    def matches(self, record: dict[str, Any]) -> bool:
        if self.ids and not any(str(record.get("id", "")).startswith(i) for i in self.ids):
            return False
        if self.reasons and not _reason_matches(record, self.reasons):
            return False
        if self.stages and record.get("stage") not in self.stages:
            return False
        if self.domains and not _domain_matches(str(record.get("domain") or ""), self.domains):
            return False
        if self._since is not None:
            when = record_time(record)
            if when is None or when < self._since:
                return False
        if self._grep is not None and not self._grep.search(searchable_text(record)):
            return False
        return True

    def apply(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        return (r for r in records if self.matches(r))


def _reason_matches(record: dict[str, Any], wanted: Sequence[str]) -> bool:
    """--reason matches the main reason, ``stage/reason``, or any signal that fired."""
    names = {str(record.get("reason")), f"{record.get('stage')}/{record.get('reason')}"}
    names.update(str(r.get("name")) for r in record.get("reasons") or [] if isinstance(r, dict))
    return any(w in names for w in wanted)


def _domain_matches(domain: str, wanted: Sequence[str]) -> bool:
    for d in wanted:
        d = d.lower().removeprefix("www.")
        if domain == d or domain.endswith("." + d):
            return True
    return False


def searchable_text(record: dict[str, Any]) -> str:
    """What --grep searches: url, reason, message, evidence texts and the item itself."""
    parts = [str(record.get(k) or "") for k in ("url", "stage", "reason", "message")]
    for reason in record.get("reasons") or []:
        if isinstance(reason, dict):
            parts.append(str(reason.get("name", "")))
            parts.extend(str(e.get("text", "")) for e in reason.get("evidence") or []
                         if isinstance(e, dict))
    parts.append(json.dumps(record.get("item"), ensure_ascii=False))
    return "\n".join(parts)


def parse_time(text: str, *, option: str = "time") -> datetime:
    """ISO date or date-time; naive values are UTC."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{option}: expected a date like 2026-11-28 or "
                          f"2026-11-28T13:00:00, got {text!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def record_time(record: dict[str, Any]) -> datetime | None:
    try:
        return parse_time(str(record.get("time") or ""))
    except FilterError:
        return None
