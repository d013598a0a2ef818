"""``spamsieve bench``: what the chain costs, side by side with the ``simhash`` package.

Why one command: item pipelines run on Scrapy's event loop, so a slow pipeline slows the
whole crawl. This prints, in one run and on one core, the throughput of every stage and
of the whole chain on a reproducible synthetic corpus, the same articles through
``simhash.Simhash(text)`` (+ ``SimhashIndex``) as the baseline, the CPU overhead of the
pipelines in a real ``scrapy crawl``, the dedupe index's memory per article and the
memory of ``spamsieve filter`` on growing inputs — and checks them against the targets.

Timings are CPU time (``time.process_time``) of this process pinned to one core, best of
``--repeat`` passes; every pass runs all contenders on the same articles one after the
other, so machine load hits them alike and the ratios stay meaningful on a busy machine.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.bench import report

HEADLINE_CHARS = 4000
STAGES = ("normalize", "detect", "clean", "fingerprint", "index", "chain", "simhash",
          "simhash_index")


@dataclass
class Corpus:
    """Benchmark items (without ground truth) and what they are made of."""

    name: str
    description: str
    items: list[dict[str, Any]]
    patterns: Counter = field(default_factory=Counter)

    @property
    def text_bytes(self) -> int:
        return sum(len(item["text"].encode("utf-8")) for item in self.items)

    @property
    def mean_chars(self) -> float:
        return sum(len(item["text"]) for item in self.items) / max(1, len(self.items))

    def summary(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "articles": len(self.items),
                "mean_chars": round(self.mean_chars), "text_mb": round(self.text_bytes / 1e6, 2),
                "patterns": dict(sorted(self.patterns.items()))}


def mixed_corpus(articles: int, seed: int) -> Corpus:
    """The synthetic crawl mix: 1,000-6,000 chars, ~30% polluted (every pattern), ~20%
    near-duplicate reprints."""
    from pipelines.bench.synthetic import generate

    items, patterns = [], Counter()
    for item in generate(articles, seed=seed):
        patterns[item.pop("truth")["pattern"]] += 1
        items.append(item)
    return Corpus("mixed", f"{articles:,} synthetic articles, 1,000-6,000 chars (seed {seed})",
                  items, patterns)


def headline_corpus(articles: int, seed: int, chars: int = HEADLINE_CHARS) -> Corpus:
    """Chinese articles of exactly ``chars`` characters (same mix, cut to length), for the
    headline bar: per-article costs grow with length, so the bar fixes the length."""
    from pipelines.bench.synthetic import generate

    items, patterns = [], Counter()
    for item in generate(articles * 2, seed=seed, min_chars=chars + 200, max_chars=chars + 2000):
        if len(item["text"]) < chars:
            continue
        item["text"] = item["text"][:chars]
        patterns[item.pop("truth")["pattern"]] += 1
        items.append(item)
        if len(items) == articles:
            break
    return Corpus("4000", f"{len(items):,} Chinese articles of exactly {chars:,} chars "
                  f"(seed {seed})", items, patterns)


def default_values() -> dict[str, Any]:
    """Every SPAMSIEVE_* setting at its default, validated (what a crawl runs with)."""
    from scrapy.settings import Settings

    from pipelines.config import validate_settings
    from pipelines.defaults import SETTINGS

    settings = Settings()
    for setting in SETTINGS:
        settings.set(setting.name, setting.default, priority="default")
    return validate_settings(settings)


@contextmanager
def one_core(cpu: int | None) -> Iterator[int | None]:
    """Pin this process (and the children it starts meanwhile) to one CPU: "per core"
    numbers, and no migration between cores in the middle of a timing."""
    if not hasattr(os, "sched_getaffinity"):
        yield None
        return
    allowed = os.sched_getaffinity(0)
    chosen = cpu if cpu is not None and cpu in allowed else max(allowed)
    os.sched_setaffinity(0, {chosen})
    try:
        yield chosen
    finally:
        os.sched_setaffinity(0, allowed)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = fn()
    return time.process_time() - started, result


def _each(fn: Callable[[Any], Any], values: list[Any]) -> None:
    for value in values:
        fn(value)


def time_pass(corpus: Corpus, values: dict[str, Any]) -> dict[str, float]:
    """CPU seconds per stage for one pass over ``corpus`` (every contender, in turn)."""
    import simhash

    from pipelines.chain import Chain
    from pipelines.dedupe.fingerprint import Fingerprinter
    from pipelines.dedupe.local_index import LocalIndex
    from pipelines.detect import build_detector
    from pipelines.fields import FieldMap
    from pipelines.normalize import prepare_document

    fieldmap = FieldMap.from_value(values["SPAMSIEVE_FIELDS"])
    detector = build_detector(values)
    fingerprinter = Fingerprinter(min_features=values["SPAMSIEVE_DEDUPE_MIN_FEATURES"])
    distance = values["SPAMSIEVE_DEDUPE_DISTANCE"]
    extract, max_chars = values["SPAMSIEVE_EXTRACT_HTML"], values["SPAMSIEVE_MAX_TEXT_CHARS"]
    items = [copy.deepcopy(item) for item in corpus.items]
    seconds: dict[str, float] = {}

    seconds["normalize"], docs = _timed(lambda: [
        prepare_document(item, fieldmap, extract_html=extract, max_chars=max_chars)
        for item in items])
    # results are not kept: holding 3,000 Contexts would slow the pass (GC) by itself
    seconds["detect"], _ = _timed(lambda: _each(detector.score, docs))
    # analyze = score + verdict + cleaning; "clean" is derived from the best of each
    seconds["analyze"], _ = _timed(lambda: _each(detector.analyze, docs))
    seconds["fingerprint"], fps = _timed(lambda: [fingerprinter.fingerprint(d.text) for d in docs])

    index = LocalIndex(distance)

    def index_all() -> None:
        for number, fp in enumerate(fps):
            if fp is not None and index.reserve(fp, str(number)) is None:
                index.commit(str(number))

    seconds["index"], _ = _timed(index_all)
    index.close()

    chain = Chain(values)
    fresh = [copy.deepcopy(item) for item in corpus.items]
    seconds["chain"], _ = _timed(lambda: _each(chain.process, fresh))
    chain.close()

    texts = [item["text"] for item in corpus.items]
    seconds["simhash"], _ = _timed(lambda: _each(simhash.Simhash, texts))
    baseline = simhash.SimhashIndex([], k=distance)

    def simhash_index_all() -> None:
        for number, text in enumerate(texts):
            value = simhash.Simhash(text)
            if not baseline.get_near_dups(value):
                baseline.add(str(number), value)

    seconds["simhash_index"], _ = _timed(simhash_index_all)
    return seconds


def time_stages(corpus: Corpus, values: dict[str, Any], repeat: int, log=print) -> dict[str, Any]:
    """Best-of-``repeat`` CPU seconds per stage, as articles/s and MB/s."""
    warm = Corpus(corpus.name, "", corpus.items[:20])
    time_pass(warm, values)  # build lazy tables (fold map, lexicon, fingerprint tables)
    best: dict[str, float] = {}
    for number in range(repeat):
        seconds = time_pass(corpus, values)
        for stage, value in seconds.items():
            best[stage] = min(best.get(stage, float("inf")), value)
        log(f"  {corpus.name} pass {number + 1}/{repeat}: chain {seconds['chain']:.2f} s, "
            f"Simhash(text) {seconds['simhash']:.2f} s CPU")
    best["clean"] = max(0.0, best.pop("analyze") - best["detect"])
    count, megabytes = len(corpus.items), corpus.text_bytes / 1e6
    rows = {stage: {"us_per_article": round(1e6 * s / count, 1),
                    "articles_per_s": round(count / s, 1) if s else None,
                    "mb_per_s": round(megabytes / s, 2) if s else None}
            for stage, s in best.items()}
    ratios = {"chain_vs_simhash": round(best["simhash"] / best["chain"], 2),
              "chain_vs_simhash_index": round(best["simhash_index"] / best["chain"], 2)}
    return {"corpus": corpus.summary(), "seconds": {k: round(v, 4) for k, v in best.items()},
            "stages": rows, "ratios": ratios}


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parser = parser or argparse.ArgumentParser(prog="spamsieve bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=3000,
                        help="synthetic mixed-corpus articles (default 3000)")
    parser.add_argument("--headline-articles", type=int, default=1000,
                        help="exactly-4,000-char articles for the headline bar (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timing passes, best kept")
    parser.add_argument("--cpu", type=int, default=None, help="core to pin timings to")
    parser.add_argument("--crawl-pages", type=int, default=5000,
                        help="pages of the locally generated site crawled with/without spamsieve")
    parser.add_argument("--crawl-runs", type=int, default=2, help="crawls each way, best kept")
    parser.add_argument("--no-crawl", action="store_true", help="skip the crawl benchmark")
    parser.add_argument("--index-sizes", default="100000,1000000",
                        help="comma-separated LocalIndex sizes for the memory benchmark")
    parser.add_argument("--stream-items", type=int, default=2000,
                        help="items for the filter memory test (run at N and 4N)")
    parser.add_argument("--no-memory", action="store_true", help="skip both memory benchmarks")
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    parser.add_argument("--json-out", default=None, metavar="PATH",
                        help="also write the JSON results to PATH")
    return parser


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every benchmark section; returns the JSON-able results (bars included)."""
    log = (lambda msg: print(msg, file=sys.stderr, flush=True)) if args.json else (
        lambda msg: print(msg, flush=True))
    logging.getLogger("simhash").setLevel(logging.ERROR)
    logging.getLogger("pipelines").setLevel(logging.WARNING)
    values = default_values()
    results: dict[str, Any] = {
        "command": _command_line(),
        "environment": report.environment(),
        "settings": {"distance": values["SPAMSIEVE_DEDUPE_DISTANCE"], "repeat": args.repeat},
    }
    log("Generating corpora ...")
    corpora = [mixed_corpus(args.articles, args.seed),
               headline_corpus(args.headline_articles, args.seed + 1)]
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    with one_core(args.cpu) as cpu:  # the crawls and memory children inherit the pinning
        results["environment"]["pinned_cpu"] = cpu
        log(f"Timing stages (CPU time, pinned to CPU {cpu}, best of {args.repeat}) ...")
        results["throughput"] = {c.name: time_stages(c, values, args.repeat, log) for c in corpora}
        del corpora
        if not args.no_crawl:
            from pipelines.bench.crawl_bench import crawl_overhead

            log(f"Crawling a local {args.crawl_pages:,}-page site with spamsieve off and on ...")
            results["crawl"] = crawl_overhead(args.crawl_pages, runs=args.crawl_runs,
                                              server_cpus=allowed, log=log).to_dict()
        if not args.no_memory:
            results.update(memory_sections(args, values, log))
    results["bars"] = report.bars(results)
    return results


def _command_line() -> str:
    """How this run was started, for the report (the README quotes it)."""
    via_cli = sys.argv[0].endswith("spamsieve") or "cli" in Path(sys.argv[0]).parts
    prefix = "spamsieve" if via_cli else "python -m pipelines.bench.chain_bench"
    return " ".join([prefix, *sys.argv[1:]])


def memory_sections(args: argparse.Namespace, values: dict[str, Any], log) -> dict[str, Any]:
    from dataclasses import asdict

    from pipelines.bench import memory_bench

    out: dict[str, Any] = {}
    sizes = [int(s) for s in args.index_sizes.split(",") if s.strip()]
    if sizes:
        measured = []
        for size in sizes:
            log(f"Index memory: {size:,} fingerprints in a fresh process ...")
            measured.append(memory_bench.index_memory(size, values["SPAMSIEVE_DEDUPE_DISTANCE"]))
        out["index_memory"] = {"sizes": [asdict(m) for m in measured]}
        if len(measured) > 1:
            out["index_memory"]["slope_bytes_per_article"] = memory_bench.slope_bytes_per_article(
                measured[0], measured[-1])
            out["index_memory"]["slope_untrimmed_bytes_per_article"] = (
                memory_bench.slope_bytes_per_article(measured[0], measured[-1], untrimmed=True))
    if args.stream_items:
        log(f"Streaming memory: spamsieve filter over {args.stream_items:,} and "
            f"{4 * args.stream_items:,} items ...")
        small, large = memory_bench.stream_flatness(args.stream_items)
        out["stream_memory"] = {"runs": [asdict(small), asdict(large)],
                                "peak_ratio": round(large.peak_rss_mb / small.peak_rss_mb, 3)}
    return out


def main(args: argparse.Namespace | list[str] | None = None) -> int:
    if not isinstance(args, argparse.Namespace):
        args = build_parser().parse_args(args)
    results = run(args)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2, ensure_ascii=False)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print(report.render(results))
    return 0 if all(bar["status"] != "FAIL" for bar in results["bars"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
