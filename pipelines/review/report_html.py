"""``spamsieve review report --html``: one self-contained page to review a crawl's rejects.

The page is mailed around and opened offline, so it has no external assets: inline CSS,
a few lines of inline JS (a filter box), charts as inline SVG. Every record's content
comes from hostile pages (gambling SEO), so *everything* taken from a record goes through
:func:`esc` — the only markup in the page is the template's own.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from pipelines.review.evidence import locate
from pipelines.review.filters import record_time
from pipelines.review.listing import format_score
from pipelines.review.summary import SCORE_BUCKETS, Summary, summarize

ITEM_JSON_MAX_CHARS = 20_000
TOP_BARS = 15

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
.charts{display:flex;flex-wrap:wrap;gap:1.5em}.chart{flex:1 1 480px}
svg text{font:11px system-ui,sans-serif;fill:#333}
details.rec{border:1px solid #ddd;border-radius:4px;margin:.3em 0;padding:.2em .6em}
details.rec>summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:12.5px}
.stage{color:#a35200}.err{color:#b00}.score{color:#555}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1em;margin:.5em 0}
dt{font-weight:600}dd{margin:0;word-break:break-all}
mark{background:#ffd24d;color:#000}.ctx{color:#555}.nf{color:#888;font-style:italic}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5em;max-height:30em;overflow:auto}
#q{width:100%;padding:.4em;font-size:1em}
"""

JS = """
(function(){var q=document.getElementById('q'),n=document.getElementById('shown');
q.addEventListener('input',function(){var v=q.value.toLowerCase(),c=0;
document.querySelectorAll('details.rec').forEach(function(d){
var ok=!v||d.textContent.toLowerCase().indexOf(v)>=0;d.style.display=ok?'':'none';if(ok)c++;});
n.textContent=c;});})();
"""


def esc(value: Any) -> str:
    """HTML-escape anything shown on the page (quotes too: it may land in attributes)."""
    return html.escape(str(value), quote=True)


def render_report(records: Sequence[dict[str, Any]], *, title: str = "spamsieve rejected items",
                  sources: Sequence[str] = ()) -> str:
    summary = summarize(records)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{summary.total} records from {len(summary.jobs)} job(s)"
        + (f"; logs: {esc(', '.join(sources))}" if sources else "") + "</p>",
        '<div class="charts">',
        _chart("Rejections by stage/reason", summary.by_reason.most_common(TOP_BARS)),
        _chart(f"Top {TOP_BARS} domains", summary.by_domain.most_common(TOP_BARS)),
        _chart("Scores", [(b[0], summary.scores.get(b[0], 0)) for b in SCORE_BUCKETS]
               + [("no score", summary.scores.get("no score", 0))]),
        _timeline(records),
        "</div>",
        _terms(summary),
        f'<h2>Records (<span id="shown">{len(records)}</span> shown)</h2>',
        '<input id="q" type="search" placeholder="filter: id, reason, domain, text…">',
    ]
    parts.extend(_record(r) for r in records)
    parts.append(f"<script>{JS}</script></body></html>")
    return "\n".join(parts)


def _chart(title: str, rows: Sequence[tuple[str, int]]) -> str:
    """Horizontal bar chart; labels are escaped text nodes."""
    if not rows:
        return f'<div class="chart"><h2>{esc(title)}</h2><p>none</p></div>'
    bar_h, label_w, bar_w = 18, 220, 300
    top = max(n for _, n in rows) or 1
    height = bar_h * len(rows) + 4
    items = []
    for i, (label, n) in enumerate(rows):
        y = i * bar_h + 2
        width = round(bar_w * n / top)
        short = label if len(label) <= 34 else label[:33] + "…"
        items.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{width}" height="{bar_h - 5}" fill="#d9822b">'
            f"<title>{esc(label)}: {n}</title></rect>"
            f'<text x="{label_w + width + 4}" y="{y + 13}">{n}</text>'
        )
    return (f'<div class="chart"><h2>{esc(title)}</h2>'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 50}" '
            f'height="{height}" role="img">{"".join(items)}</svg></div>')


def _timeline(records: Sequence[dict[str, Any]]) -> str:
    """Score of each record over time (scatter); records without a score sit at 0."""
    points = [(t, float(r["score"]) if isinstance(r.get("score"), (int, float)) else 0.0)
              for r in records if (t := record_time(r)) is not None]
    title = "Scores over time"
    if not points:
        return f'<div class="chart"><h2>{title}</h2><p>none</p></div>'
    w, h, pad = 520, 180, 30
    t0 = min(p[0] for p in points).timestamp()
    t1 = max(p[0] for p in points).timestamp()
    smax = max(max(p[1] for p in points), 1.0)
    dots = []
    for when, score in points:
        x = pad + (w - 2 * pad) * ((when.timestamp() - t0) / (t1 - t0) if t1 > t0 else 0.5)
        y = h - pad - (h - 2 * pad) * (score / smax)
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#c0392b" fill-opacity=".6"/>')
    first = esc(min(p[0] for p in points).isoformat(timespec="minutes"))
    last = esc(max(p[0] for p in points).isoformat(timespec="minutes"))
    axes = (f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="#999"/>'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="#999"/>'
            f'<text x="{pad}" y="{h - 8}">{first}</text>'
            f'<text x="{w - pad}" y="{h - 8}" text-anchor="end">{last}</text>'
            f'<text x="4" y="{pad}">{smax:.1f}</text><text x="4" y="{h - pad}">0</text>')
    return (f'<div class="chart"><h2>{title}</h2><svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{w}" height="{h}" role="img">{axes}{"".join(dots)}</svg></div>')


def _terms(summary: Summary) -> str:
    if not summary.terms:
        return ""
    rows = "".join(f"<tr><td>{esc(t)}</td><td>{n}</td></tr>"
                   for t, n in summary.terms.most_common(20))
    return f"<h2>Most frequent matched terms</h2><table>{rows}</table>"


def _record(record: dict[str, Any]) -> str:
    rid = str(record.get("id", ""))
    stage = str(record.get("stage", "?"))
    cls = "err" if stage == "error" else "stage"
    head = (f"{esc(rid)} · {esc(str(record.get('time', ''))[:19])} · "
            f'<span class="{cls}">{esc(stage)}/{esc(record.get("reason", "?"))}</span> · '
            f'<span class="score">{esc(format_score(record.get("score")))}</span> · '
            f"{esc(record.get('url') or '(no url)')}")
    fields = "".join(
        f"<dt>{esc(k)}</dt><dd>{esc(record[k])}</dd>"
        for k in ("job", "spider", "domain", "message", "duplicate_of", "distance",
                  "exception")
        if record.get(k) not in (None, "")
    )
    trace = "".join(f"<div>{esc(line)}</div>" for line in record.get("traceback") or [])
    evidence = []
    for loc in locate(record):
        if loc.found:
            body = (f'<span class="ctx">{esc(loc.before)}</span><mark>{esc(loc.match)}</mark>'
                    f'<span class="ctx">{esc(loc.after)}</span>')
        else:
            body = f'<mark>{esc(loc.match)}</mark> <span class="nf">(not located in the item)</span>'
        evidence.append(f"<li><b>{esc(loc.label)}</b><br>{body}</li>")
    item_json = json.dumps(record.get("item"), ensure_ascii=False, indent=1)
    if len(item_json) > ITEM_JSON_MAX_CHARS:
        item_json = item_json[:ITEM_JSON_MAX_CHARS] + f"\n… ({len(item_json)} chars in total)"
    return (
        f'<details class="rec" id="r-{esc(rid)}"><summary>{head}</summary>'
        f"<dl>{fields}</dl>{trace}"
        + (f"<ul>{''.join(evidence)}</ul>" if evidence else "")
        + f"<details><summary>original item</summary><pre>{esc(item_json)}</pre></details>"
        "</details>"
    )
