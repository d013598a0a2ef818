"""``spamsieve review LOG``: what was rejected, where from, when, how sure, and why.

The summary is computed once as plain data (:func:`summarize`) so the terminal tables,
``--json`` and the HTML report all show the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# Score buckets: rejection starts at SPAMSIEVE_REJECT_SCORE (1.0 by default).
SCORE_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("<1", float("-inf"), 1.0),
    ("1-2", 1.0, 2.0),
    ("2-3", 2.0, 3.0),
    ("3-5", 3.0, 5.0),
    ("5+", 5.0, float("inf")),
)
NO_SCORE = "no score"
TOP_N = 20
MAX_TERM_CHARS = 40


@dataclass
class Summary:
    total: int = 0
    by_stage: Counter[str] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)  # "stage/reason"
    by_domain: Counter[str] = field(default_factory=Counter)
    by_day: Counter[str] = field(default_factory=Counter)
    scores: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    jobs: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_stage": dict(self.by_stage.most_common()),
            "by_reason": dict(self.by_reason.most_common()),
            "by_domain": dict(self.by_domain.most_common()),
            "by_day": dict(sorted(self.by_day.items())),
            "scores": {name: self.scores.get(name, 0)
                       for name in [b[0] for b in SCORE_BUCKETS] + [NO_SCORE]},
            "terms": dict(self.terms.most_common(TOP_N)),
            "jobs": dict(self.jobs.most_common()),
        }


def score_bucket(score: Any) -> str:
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        return NO_SCORE
    for name, low, high in SCORE_BUCKETS:
        if low <= score < high:
            return name
    return NO_SCORE


def evidence_terms(record: dict[str, Any]) -> list[str]:
    """Matched terms of a record: short evidence texts, once per record."""
    terms: list[str] = []
    for reason in record.get("reasons") or []:
        if not isinstance(reason, dict):
            continue
        for ev in reason.get("evidence") or []:
            text = " ".join(str(ev.get("text", "")).split()) if isinstance(ev, dict) else ""
            if text and len(text) <= MAX_TERM_CHARS and text not in terms:
                terms.append(text)
    return terms


def summarize(records: Iterable[dict[str, Any]]) -> Summary:
    summary = Summary()
    for record in records:
        summary.total += 1
        stage = str(record.get("stage") or "?")
        summary.by_stage[stage] += 1
        summary.by_reason[f"{stage}/{record.get('reason') or '?'}"] += 1
        summary.by_domain[str(record.get("domain") or "(no domain)")] += 1
        summary.by_day[str(record.get("time") or "?")[:10]] += 1
        summary.scores[score_bucket(record.get("score"))] += 1
        summary.terms.update(evidence_terms(record))
        summary.jobs[str(record.get("job") or "?")] += 1
    return summary


def render_summary(summary: Summary, console: Console) -> None:
    console.print(f"[bold]{summary.total}[/bold] rejected-log records "
                  f"from {len(summary.jobs)} job(s)")
    if not summary.total:
        return
    _table(console, "By stage and reason", ("stage/reason", "records"),
           summary.by_reason.most_common())
    _table(console, f"By domain (top {TOP_N})", ("domain", "records"),
           summary.by_domain.most_common(TOP_N))
    _table(console, "By day (UTC)", ("day", "records"), sorted(summary.by_day.items()))
    buckets = [(name, summary.scores.get(name, 0)) for name in
               [b[0] for b in SCORE_BUCKETS] + [NO_SCORE]]
    _table(console, "Scores", ("score", "records", ""),
           [(name, n, "█" * _bar(n, summary.total)) for name, n in buckets])
    if summary.terms:
        _table(console, f"Most frequent matched terms (top {TOP_N})", ("term", "records"),
               summary.terms.most_common(TOP_N))


def _bar(n: int, total: int, width: int = 30) -> int:
    return 0 if not total else max(1 if n else 0, round(width * n / total))


def _table(console: Console, title: str, columns: tuple[str, ...],
           rows: Iterable[tuple[Any, ...]]) -> None:
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for i, column in enumerate(columns):
        table.add_column(column, justify="right" if i == 1 else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text(str(v)) for v in row))  # Text: content is never markup
    console.print()
    console.print(table)
