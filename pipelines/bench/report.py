"""The targets spamsieve's performance is held to, and the plain-text report of a bench run.

Kept apart from the measuring code so the bars live in one place: the README quotes them
and ``spamsieve bench`` exits non-zero when one fails.
"""

from __future__ import annotations

import platform
import time
from typing import Any

# The bars (see the README's "Performance" section).
MIN_ARTICLES_PER_S = 1500  # whole chain, 4,000-char Chinese articles, one core
MIN_SIMHASH_RATIO = 18.0  # whole chain vs simhash.Simhash(text) alone, same articles
MAX_CRAWL_OVERHEAD = 0.15  # extra CPU of a crawl with the pipelines on
MAX_INDEX_BYTES = 64  # RSS per indexed article
MAX_STREAM_GROWTH = 1.10  # filter peak RSS at 4N items vs N items

STAGE_LABELS = {
    "normalize": "normalise  (prepare_document)",
    "detect": "detect     (Detector.score)",
    "clean": "clean      (analyze - score)",
    "fingerprint": "fingerprint (Fingerprinter)",
    "index": "index      (LocalIndex reserve/commit)",
    "chain": "WHOLE CHAIN (Chain.process)",
    "simhash": "simhash.Simhash(text)",
    "simhash_index": "Simhash(text) + SimhashIndex",
}


def environment() -> dict[str, Any]:
    import numpy
    import scrapy

    return {"when": time.strftime("%Y-%m-%d %H:%M:%S"), "python": platform.python_version(),
            "numpy": numpy.__version__, "scrapy": scrapy.__version__,
            "machine": platform.machine(), "processor": platform.processor() or ""}


def _bar(name: str, target: str, value: Any, ok: bool | None) -> dict[str, Any]:
    status = "SKIPPED" if ok is None else ("PASS" if ok else "FAIL")
    return {"name": name, "target": target, "value": value, "status": status}


def bars(results: dict[str, Any]) -> list[dict[str, Any]]:
    """PASS/FAIL/SKIPPED for every target, from the measured results."""
    out = []
    head = results.get("throughput", {}).get("4000")
    rate = head["stages"]["chain"]["articles_per_s"] if head else None
    ratio = head["ratios"]["chain_vs_simhash"] if head else None
    out.append(_bar("chain throughput, 4,000-char Chinese articles, one core",
                    f">= {MIN_ARTICLES_PER_S:,} articles/s", rate,
                    None if rate is None else rate >= MIN_ARTICLES_PER_S))
    out.append(_bar("chain vs simhash.Simhash(text) alone, same articles",
                    f"> {MIN_SIMHASH_RATIO:g}x", ratio,
                    None if ratio is None else ratio > MIN_SIMHASH_RATIO))
    crawl = results.get("crawl")
    overhead = crawl["cpu_overhead"] if crawl else None
    crawl_ok = None if overhead is None else overhead <= MAX_CRAWL_OVERHEAD
    if crawl and (crawl["off"]["returncode"] or crawl["on"]["returncode"]):
        crawl_ok = False  # a crawl that failed measures nothing: FAIL, never PASS
    out.append(_bar(f"crawl CPU overhead of the pipelines ({crawl['pages']:,} pages)" if crawl
                    else "crawl CPU overhead of the pipelines", f"<= {MAX_CRAWL_OVERHEAD:.0%}",
                    overhead, crawl_ok))
    index = results.get("index_memory")
    per_article = _index_bytes(index)
    out.append(_bar("RSS per indexed article" + (f" (at {index['sizes'][-1]['articles']:,})"
                                                if index else ""),
                    f"<= {MAX_INDEX_BYTES} bytes", per_article,
                    None if per_article is None else per_article <= MAX_INDEX_BYTES))
    stream = results.get("stream_memory")
    growth = stream["peak_ratio"] if stream else None
    out.append(_bar("filter peak RSS at 4N vs N items (flat memory)",
                    f"<= {MAX_STREAM_GROWTH:.2f}x", growth,
                    None if growth is None else growth <= MAX_STREAM_GROWTH))
    return out


def _index_bytes(index: dict[str, Any] | None) -> float | None:
    """RSS growth per article at the largest size: the slope between sizes when there
    are two (fixed costs cancel), else the plain delta (fixed costs included)."""
    if not index:
        return None
    if "slope_bytes_per_article" in index:
        return max(index["slope_bytes_per_article"], 0.0)
    return index["sizes"][-1]["rss_bytes_per_article"]


def render(results: dict[str, Any]) -> str:
    """The human-readable report: one table per section, then the bars."""
    env = results["environment"]
    lines = [f"$ {results.get('command', 'spamsieve bench')}",
             f"spamsieve bench  {env['when']}  Python {env['python']}, numpy {env['numpy']}, "
             f"Scrapy {env['scrapy']}, {env['machine']}",
             f"timings: CPU time, pinned to CPU {env.get('pinned_cpu')}, best of "
             f"{results['settings']['repeat']} passes; dedupe distance k="
             f"{results['settings']['distance']} bits", ""]
    lines += _throughput_table(results.get("throughput", {}))
    lines += _crawl_table(results.get("crawl"))
    lines += _memory_tables(results.get("index_memory"), results.get("stream_memory"))
    lines += ["", "BARS"]
    for bar in results["bars"]:
        value = bar["value"]
        shown = "-" if value is None else (f"{value:,.2f}" if isinstance(value, float) else f"{value:,}")
        lines.append(f"  [{bar['status']:<7}] {bar['name']}: {shown} (target {bar['target']})")
    return "\n".join(lines)


def _throughput_table(throughput: dict[str, Any]) -> list[str]:
    if not throughput:
        return []
    names = list(throughput)
    lines = ["THROUGHPUT (per input article; a stage's cost spread over all articles)"]
    for name in names:
        corpus = throughput[name]["corpus"]
        patterns = ", ".join(f"{k} {v}" for k, v in corpus["patterns"].items())
        lines.append(f"  corpus {name}: {corpus['description']}; mean {corpus['mean_chars']:,} "
                     f"chars, {corpus['text_mb']} MB UTF-8; {patterns}")
    header = f"  {'stage':<38}" + "".join(f"| {n + ' us/art':>13} {'art/s':>9} {'MB/s':>7} "
                                           for n in names)
    lines += [header, "  " + "-" * (len(header) - 2)]
    for stage, label in STAGE_LABELS.items():
        row = f"  {label:<38}"
        for name in names:
            cell = throughput[name]["stages"].get(stage)
            if cell is None:
                row += f"| {'-':>13} {'-':>9} {'-':>7} "
                continue
            rate, mbs = cell["articles_per_s"], cell["mb_per_s"]
            row += (f"| {cell['us_per_article']:>13,.1f} "
                    f"{'-' if rate is None else f'{rate:,.0f}':>9} "
                    f"{'-' if mbs is None else f'{mbs:,.2f}':>7} ")
        lines.append(row)
    for key, label in (("chain_vs_simhash", "chain vs Simhash(text)"),
                       ("chain_vs_simhash_index", "chain vs Simhash(text)+SimhashIndex")):
        lines.append(f"  {label:<38}" + "".join(
            f"| {throughput[n]['ratios'][key]:>12.2f}x {'':>9} {'':>7} " for n in names))
    return lines + [""]


def _crawl_table(crawl: dict[str, Any] | None) -> list[str]:
    if not crawl:
        return ["CRAWL  skipped (--no-crawl)", ""]
    where = ("local pages served over HTTP from 127.0.0.1" if crawl.get("source") == "http"
             else "local file:// pages")  # results without "source" predate serving
    lines = [f"CRAWL  scrapy crawl articles over {crawl['pages']:,} {where} "
             f"(best of {crawl['runs_each']} runs each)",
             f"  {'spamsieve':<10}{'CPU s':>9}{'wall s':>9}{'pages/CPU s':>13}{'peak RSS MB':>13}"
             f"{'kept':>8}{'rejected':>10}"]
    for key in ("off", "on"):
        run = crawl[key]
        lines.append(f"  {key:<10}{run['cpu_s']:>9.2f}{run['wall_s']:>9.2f}"
                     f"{run['pages_per_cpu_s']:>13,.0f}{run['max_rss_mb']:>13.1f}"
                     f"{run['items_kept']:>8,}{run['items_rejected']:>10,}")
    lines.append(f"  pipelines' CPU overhead: {crawl['cpu_overhead']:+.1%}")
    for key in ("off", "on"):
        if crawl[key]["returncode"]:
            lines.append(f"  the crawl with spamsieve {key} FAILED (exit status "
                         f"{crawl[key]['returncode']}); see its log with "
                         "python -m pipelines.bench.crawl_bench --keep-dir DIR")
    return lines + [""]


def _memory_tables(index: dict[str, Any] | None, stream: dict[str, Any] | None) -> list[str]:
    lines = []
    if index:
        lines.append("INDEX MEMORY  fingerprints added one by one to LocalIndex (keys to the "
                     "temporary key store), fresh process each")
        lines.append(f"  {'articles':>10}{'RSS before MB':>15}{'after MB':>10}{'untrimmed MB':>14}"
                     f"{'peak MB':>9}{'RSS B/art':>11}{'arrays B/art':>14}{'adds/s':>10}")
        for m in index["sizes"]:
            lines.append(f"  {m['articles']:>10,}{m['rss_before_mb']:>15.1f}{m['rss_after_mb']:>10.1f}"
                         f"{m['rss_untrimmed_mb']:>14.1f}{m['peak_rss_mb']:>9.1f}"
                         f"{m['rss_bytes_per_article']:>11.1f}{m['index_bytes_per_article']:>14.1f}"
                         f"{m['add_per_s']:>10,}")
        lines.append("  after = RSS once freed heap is returned (malloc_trim); untrimmed = before that")
        if "slope_bytes_per_article" in index:
            lines.append(f"  marginal RSS per article between sizes: "
                         f"{index['slope_bytes_per_article']:.1f} bytes "
                         f"({index['slope_untrimmed_bytes_per_article']:.1f} untrimmed)")
        lines.append("")
    if stream:
        lines.append("STREAMING MEMORY  spamsieve filter over generated JSONL, fresh process each")
        for run in stream["runs"]:
            lines.append(f"  {run['items']:>8,} items: peak RSS {run['peak_rss_mb']:.1f} MB, "
                         f"{run['cpu_s']:.1f} s CPU")
        lines.append(f"  peak RSS ratio 4N/N: {stream['peak_ratio']:.3f}")
        lines.append("")
    if not index and not stream:
        lines += ["MEMORY  skipped (--no-memory)", ""]
    return lines
