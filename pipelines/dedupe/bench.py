"""Speed and memory of the dedupe stage: ``python -m pipelines.dedupe.bench``.

Side by side in one run (so machine load affects both alike):

* fingerprints/s of spamsieve's :class:`Fingerprinter` vs ``simhash.Simhash(text)`` on
  the same ~4,000-character Chinese articles (built by concatenating corpus texts), and
  the ratio; also spamsieve with uniform weights (``decay=0``), which reads the whole
  text instead of the weighted head;
* index bytes per article, build time and median/p99 query time of :class:`LocalIndex`
  at each size (random 64-bit fingerprints plus planted near neighbours, which must all
  be found), vs ``simhash.SimhashIndex`` at the same k on a smaller size (it keeps
  Python strings per entry and is too slow to build at millions).
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from pipelines.dedupe.fingerprint import Fingerprinter
from pipelines.dedupe.local_index import LocalIndex
from pipelines.defaults import DEFAULTS

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def chinese_articles(count: int = 100, length: int = 4000, corpus: Path = CORPUS) -> list[str]:
    """~``length``-character Chinese articles made by concatenating corpus texts."""
    pages = [json.loads(line) for line in (corpus / "dev_pages.jsonl").open(encoding="utf-8")]
    han = re.compile(r"[\u4e00-\u9fff]")
    texts = [p["text"] for p in pages if len(han.findall(p["text"])) > 0.5 * len(p["text"])]
    articles = []
    for i in range(count):
        parts, size, j = [], 0, i
        while size < length:
            parts.append(texts[j % len(texts)])
            size += len(parts[-1]) + 1
            j += 7
        articles.append("\n".join(parts)[:length])
    return articles


def _rates(fns: dict[str, object], items: list[str], rounds: int = 5) -> dict[str, float]:
    """Items/s of each function in CPU time of this process, rounds interleaved and the
    best round kept: on a shared machine wall time mostly measures the neighbours."""
    best = dict.fromkeys(fns, 0.0)
    for fn in fns.values():
        fn(items[0])  # type: ignore[operator]
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.process_time()
            for item in items:
                fn(item)  # type: ignore[operator]
            elapsed = max(time.process_time() - start, 1e-9)
            best[name] = max(best[name], len(items) / elapsed)
    return best


def bench_fingerprints(corpus: Path) -> None:
    import simhash

    articles = chinese_articles(corpus=corpus)
    mean_len = sum(map(len, articles)) / len(articles)
    print(f"Fingerprinting {len(articles)} Chinese articles of {mean_len:.0f} characters")
    rates = _rates({
        "ours": Fingerprinter().fingerprint,
        "uniform": Fingerprinter(decay=0).fingerprint,
        "simhash": simhash.Simhash,
    }, articles)
    ours, uniform, theirs = rates["ours"], rates["uniform"], rates["simhash"]
    print(f"  spamsieve Fingerprinter (head-weighted): {ours:9.0f} fingerprints/s "
          f"({1e6 / ours:.0f} us each)")
    print(f"  spamsieve Fingerprinter(decay=0), whole: {uniform:9.0f} fingerprints/s "
          f"({1e6 / uniform:.0f} us each)")
    print(f"  simhash.Simhash(text):                   {theirs:9.0f} fingerprints/s "
          f"({1e6 / theirs:.0f} us each)")
    print(f"  ratio: {ours / theirs:.1f}x (head-weighted), {uniform / theirs:.1f}x (whole text)"
          "  [CPU time, best of 5 interleaved rounds]")


def _queries(stored: np.ndarray, k: int, rng: np.random.Generator, count: int) -> tuple[list[int], list[int]]:
    """Planted near neighbours (1..k bits flipped from a stored fingerprint) and random ones."""
    planted = []
    for i in rng.integers(0, stored.size, size=count):
        fp = int(stored[i])
        for bit in rng.choice(64, size=int(rng.integers(1, k + 1)), replace=False):
            fp ^= 1 << int(bit)
        planted.append(fp)
    randoms = [int(x) for x in rng.integers(0, 2**64 - 1, size=count, dtype=np.uint64)]
    return planted, randoms


def _time_queries(query, fps: list[int]) -> np.ndarray:
    """Microseconds per query in CPU time of this process (wall time on a shared machine
    mostly measures preemption by the neighbours)."""
    times = np.empty(len(fps))
    for i, fp in enumerate(fps):
        start = time.process_time_ns()
        query(fp)
        times[i] = time.process_time_ns() - start
    return times / 1e3


def bench_index(size: int, k: int, rng: np.random.Generator, queries: int = 2000) -> None:
    stored = rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64)
    gc.collect()
    start = time.perf_counter()
    index = LocalIndex(k)
    index.load_arrays(stored)
    build = time.perf_counter() - start
    planted, randoms = _queries(stored, k, rng, queries // 2)
    found = sum(index.query(fp) is not None for fp in planted)
    times = _time_queries(index.query, planted + randoms)
    # inserts through the LSM buffer (with keys written to the temporary key store)
    start = time.perf_counter()
    extra = rng.integers(0, 2**64 - 1, size=20_000, dtype=np.uint64)
    for i, fp in enumerate(extra.tolist()):
        index.add(fp, f"https://example.com/article/{i}")
    inserts = len(extra) / (time.perf_counter() - start)
    print(f"  LocalIndex   n={size:>10,}  {index.nbytes() / len(index):5.1f} bytes/article  "
          f"build {build:6.2f} s  query median {np.median(times):7.1f} us  "
          f"p99 {np.percentile(times, 99):7.1f} us  planted found {found}/{len(planted)}  "
          f"add {inserts:,.0f}/s (blocks m={index.blocks}, r={index.radius})")
    index.close()


def bench_store(size: int, k: int, rng: np.random.Generator) -> None:
    """Persistence: append ``size`` kept fingerprints with URL keys, close, and time the
    bulk load of the next crawl's open."""
    import tempfile

    from pipelines.dedupe.store import FILENAME, FingerprintStore

    fps = rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64).tolist()
    with tempfile.TemporaryDirectory() as tmp:
        store = FingerprintStore(tmp)
        start = time.perf_counter()
        for i, fp in enumerate(fps):
            store.append(fp, f"https://news.example.com/2024/05/{i:08d}.html")
        store.close()
        append = size / (time.perf_counter() - start)
        disk = sum(p.stat().st_size for p in Path(tmp).iterdir() if p.name.startswith(FILENAME))
        start = time.perf_counter()
        index = LocalIndex(k, FingerprintStore(tmp))
        load = time.perf_counter() - start
        assert len(index) == size
        index.close()
    print(f"  FingerprintStore n={size:>10,}  {disk / size:5.0f} bytes/article on disk (with "
          f"~45-char URLs)  append {append:,.0f}/s  reopen+load {load:.2f} s")


def bench_simhash_index(size: int, k: int, rng: np.random.Generator, queries: int = 200) -> None:
    import simhash

    stored = rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64)
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    objs = [(str(i), simhash.Simhash(int(fp))) for i, fp in enumerate(stored.tolist())]
    index = simhash.SimhashIndex(objs, k=k)
    build = time.perf_counter() - start
    memory, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del objs
    planted, randoms = _queries(stored, k, rng, queries // 2)
    found = sum(bool(index.get_near_dups(simhash.Simhash(fp))) for fp in planted)
    times = _time_queries(lambda fp: index.get_near_dups(simhash.Simhash(fp)), planted + randoms)
    print(f"  SimhashIndex n={size:>10,}  {memory / size:5.0f} bytes/article  "
          f"build {build:6.2f} s  query median {np.median(times):7.1f} us  "
          f"p99 {np.percentile(times, 99):7.1f} us  planted found {found}/{len(planted)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000",
                        help="comma-separated index sizes (e.g. 100000,1000000,10000000)")
    parser.add_argument("--k", type=int, default=DEFAULTS["SPAMSIEVE_DEDUPE_DISTANCE"])
    parser.add_argument("--simhash-index-size", type=int, default=100_000,
                        help="size for simhash.SimhashIndex (0 skips it)")
    parser.add_argument("--store-size", type=int, default=200_000,
                        help="rows for the persistence benchmark (0 skips it)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    logging_quiet()
    if (args.corpus / "dev_pages.jsonl").exists():
        bench_fingerprints(args.corpus)
    else:
        print(f"corpus not found at {args.corpus}: skipping the fingerprint benchmark")
    rng = np.random.default_rng(1)
    print(f"\nIndex at k={args.k} (random fingerprints + planted neighbours within k bits)")
    for size in (int(s) for s in args.sizes.split(",") if s and int(s) > 0):
        bench_index(size, args.k, rng)
    if args.store_size:
        bench_store(args.store_size, args.k, rng)
    if args.simhash_index_size:
        bench_simhash_index(args.simhash_index_size, args.k, rng)
    return 0


def logging_quiet() -> None:
    import logging

    logging.getLogger("simhash").setLevel(logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
