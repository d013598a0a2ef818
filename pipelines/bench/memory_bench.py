"""Memory of the dedupe index and of streaming filtering, each measured in a fresh process.

Why subprocesses: RSS is a per-process number and Python never gives memory back neatly,
so each measurement starts from a clean interpreter and reports what the OS saw:

* ``index N``: N fingerprints inserted one by one into :class:`LocalIndex` (the way a
  crawl commits kept items, keys going to the temporary key store), RSS before/after and
  the index arrays' own bytes. The per-article cost is also taken as the *slope* between
  two sizes, which removes fixed costs (interpreter, SQLite cache) from the figure.
* ``spamsieve filter`` over a generated JSONL of N and of 4N items: peak RSS of the
  child must not grow with the input (the command streams records).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipelines.bench.measure import high_water_mb, run_module

REPO = Path(__file__).resolve().parents[2]


@dataclass
class IndexMemory:
    articles: int
    rss_before_mb: float
    rss_after_mb: float  # after freed heap memory went back to the OS (malloc_trim)
    rss_untrimmed_mb: float  # before: includes freed heap glibc still caches
    peak_rss_mb: float
    rss_bytes_per_article: float  # (after - before) / articles
    index_bytes_per_article: float  # LocalIndex.nbytes() / articles: the arrays alone
    add_per_s: float


@dataclass
class StreamMemory:
    items: int
    peak_rss_mb: float
    cpu_s: float
    returncode: int


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _measure_index(articles: int, distance: int, seed: int) -> dict[str, Any]:
    """Runs in the child: insert ``articles`` random fingerprints through ``add``."""
    import time

    import numpy as np

    from pipelines.dedupe.local_index import LocalIndex

    index = LocalIndex(distance)
    rng = np.random.default_rng(seed)
    before = _rss_bytes()
    started = time.perf_counter()
    for offset in range(0, articles, 10_000):
        chunk = rng.integers(0, 2**64 - 1, size=min(10_000, articles - offset), dtype=np.uint64)
        for number, fingerprint in enumerate(chunk.tolist(), start=offset):
            index.add(fingerprint, f"https://news.example.com/{number}.html")
    elapsed = time.perf_counter() - started
    index.flush()
    untrimmed = _rss_bytes()
    _return_free_heap()
    after = _rss_bytes()
    return asdict(IndexMemory(
        articles=articles,
        rss_before_mb=round(before / 2**20, 1),
        rss_after_mb=round(after / 2**20, 1),
        rss_untrimmed_mb=round(untrimmed / 2**20, 1),
        peak_rss_mb=round(high_water_mb(), 1),
        rss_bytes_per_article=round((after - before) / articles, 1),
        index_bytes_per_article=round(index.nbytes() / articles, 1),
        add_per_s=round(articles / elapsed),
    ))


def _return_free_heap() -> None:
    """``malloc_trim(0)``: glibc keeps memory freed by the index's merges (old arrays) in
    its heap; that memory is reusable, not held by the index, so it is handed back before
    measuring. The untrimmed figure is reported alongside."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _child_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))


def index_memory(articles: int, distance: int, seed: int = 0) -> IndexMemory:
    """``_measure_index`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-m", "pipelines.bench.memory_bench", "index", str(articles),
         "--distance", str(distance), "--seed", str(seed)],
        capture_output=True, text=True, check=True, env=_child_env(),
    )
    return IndexMemory(**json.loads(out.stdout.strip().splitlines()[-1]))


def slope_bytes_per_article(small: IndexMemory, large: IndexMemory, *,
                            untrimmed: bool = False) -> float:
    """Marginal bytes per indexed article between two sizes (fixed costs cancel out)."""
    def grown(m: IndexMemory) -> float:
        return (m.rss_untrimmed_mb if untrimmed else m.rss_after_mb) - m.rss_before_mb

    return round((grown(large) - grown(small)) * 2**20 / max(1, large.articles - small.articles), 1)


def write_corpus(path: Path, items: int, seed: int) -> Path:
    from pipelines.bench.synthetic import generate

    with path.open("w", encoding="utf-8") as handle:
        for item in generate(items, seed=seed):
            item.pop("truth", None)
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def filter_memory(items: int, workdir: Path, seed: int = 11) -> StreamMemory:
    """Peak RSS of ``spamsieve filter`` over ``items`` generated records."""
    source = write_corpus(workdir / f"in-{items}.jsonl", items, seed)
    measured = run_module(["pipelines.cli", "filter", str(source),
                           "--kept", str(workdir / f"kept-{items}.jsonl"),
                           "--rejected", str(workdir / f"rejected-{items}.jsonl"),
                           "--progress", "never"], cwd=workdir, env=_child_env())
    return StreamMemory(items, measured.peak_rss_mb, round(measured.cpu_s, 2), measured.returncode)


def stream_flatness(items: int, factor: int = 4) -> tuple[StreamMemory, StreamMemory]:
    """``filter`` peak RSS at ``items`` and ``factor * items`` records."""
    with tempfile.TemporaryDirectory(prefix="spamsieve-stream-") as tmp:
        small = filter_memory(items, Path(tmp))
        large = filter_memory(items * factor, Path(tmp))
    return small, large


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    index = sub.add_parser("index", help="RSS of N fingerprints in LocalIndex (prints JSON)")
    index.add_argument("articles", type=int)
    index.add_argument("--distance", type=int, default=8)
    index.add_argument("--seed", type=int, default=0)
    stream = sub.add_parser("stream", help="peak RSS of spamsieve filter at N and 4N items")
    stream.add_argument("items", type=int)
    args = parser.parse_args(argv)
    if args.what == "index":
        print(json.dumps(_measure_index(args.articles, args.distance, args.seed)))
    else:
        print(json.dumps([asdict(m) for m in stream_flatness(args.items)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
