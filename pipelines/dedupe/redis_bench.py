"""Throughput and memory of the redis dedupe backend: ``python -m pipelines.dedupe.redis_bench``.

Why: scaling out only helps if the shared index is not the bottleneck, and the Redis you
size must hold every fingerprint. This measures the dedupe stage alone (reserve + commit,
as the pipeline does for each article) from 1, 2 and 4 client processes in parallel, and
Redis' ``used_memory`` growth per stored article.

Fingerprints: random 64-bit values (what simhash gives unrelated articles) plus planted
near-duplicates — a share of the stream are copies of an earlier article with 0..k+2 bits
flipped, as hijacked copies are — so the match path and the store path are both timed.

Starts its own ``redis-server`` on a free loopback port unless ``--url`` is given (then it
uses a fresh key prefix there and deletes its keys afterwards).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from pipelines.dedupe.redis_admin import clear_prefix
from pipelines.dedupe.redis_index import (
    Layout,
    RedisIndex,
    choose_layout,
    connect,
)


@dataclass
class Row:
    layout: Layout
    workers: int
    articles: int
    seconds: float
    kept: int
    bytes_per_article: float | None
    tail_rate: float = 0.0  # articles/s over the last 10%, index almost full

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def fingerprints(n: int, distance: int, dup_share: float, seed: int) -> list[int]:
    """``n`` fingerprints: fresh random ones and near-copies of earlier ones."""
    rng = random.Random(seed)
    out: list[int] = []
    for _ in range(n):
        if out and rng.random() < dup_share:
            fp = rng.choice(out)
            for bit in rng.sample(range(64), rng.randint(0, distance + 2)):
                fp ^= 1 << bit
        else:
            fp = rng.getrandbits(64)
        out.append(fp)
    return out


def _worker(url: str, prefix: str, distance: int, layout: Layout, fps: Sequence[int],
            name: str, start, done) -> None:  # noqa: ANN001 - multiprocessing primitives
    index = RedisIndex(connect(url), distance, prefix=prefix, layout=layout)
    start.wait()
    kept = 0
    tail_from = len(fps) - len(fps) // 10
    tail_start = time.perf_counter()
    for i, fp in enumerate(fps):
        if i == tail_from:
            tail_start = time.perf_counter()
        key = f"https://bench.invalid/{name}/{i}"
        if index.reserve(fp, key) is None:
            index.commit(key)
            kept += 1
    done.put((kept, len(fps) - tail_from, tail_start, time.perf_counter()))
    index.close()


def run(url: str, fps: list[int], distance: int, layout: Layout, workers: int,
        measure_memory: bool) -> Row:
    import redis

    client = redis.Redis.from_url(url)
    prefix = f"bench{uuid.uuid4().hex[:6]}"
    RedisIndex(connect(url), distance, prefix=prefix, layout=layout).close()  # create cfg
    before = int(client.info("memory")["used_memory"])
    ctx = multiprocessing.get_context("fork")
    start, done = ctx.Barrier(workers + 1), ctx.Queue()
    chunks = [fps[w::workers] for w in range(workers)]
    procs = [
        ctx.Process(target=_worker,
                    args=(url, prefix, distance, layout, chunks[w], f"w{w}", start, done))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    results = [done.get() for _ in procs]
    seconds = time.perf_counter() - t0
    kept = sum(r[0] for r in results)
    # the last 10% of every worker's articles: the rate once the index is (nearly) full
    tail_rate = sum(r[1] for r in results) / (max(r[3] for r in results)
                                              - min(r[2] for r in results))
    for p in procs:
        p.join()
    per_article = None
    if measure_memory:
        stored = int(client.hlen(f"{prefix}:r"))
        per_article = (int(client.info("memory")["used_memory"]) - before) / max(stored, 1)
    clear_prefix(client, prefix)
    return Row(layout, workers, len(fps), seconds, kept, per_article, tail_rate)


@contextmanager
def own_redis() -> Iterator[str]:
    """A private redis-server on a free loopback port, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server not found: install it (apt-get install redis-server) or pass --url")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as workdir:
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            import redis

            client = redis.Redis(port=port)
            for _ in range(200):
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles per run")
    parser.add_argument("--distance", type=int, default=6, help="k (SPAMSIEVE_DEDUPE_DISTANCE)")
    parser.add_argument("--workers", default="1,2,4", help="client process counts")
    parser.add_argument("--dup-share", type=float, default=0.3,
                        help="share of articles that are near-copies of earlier ones")
    parser.add_argument("--layouts", default="",
                        help="compare layouts BLOCKSxRADIUS, e.g. 4x1,5x1,4x2 "
                             "(default: the one chosen for --distance)")
    parser.add_argument("--url", default="", help="use this Redis instead of starting one")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    layouts = ([Layout.parse(x) for x in args.layouts.split(",")] if args.layouts
               else [choose_layout(args.distance)])
    for layout in layouts:
        if layout.reach < args.distance:
            parser.error(f"layout {layout.blocks}x{layout.radius} only reaches {layout.reach} bits")
    fps = fingerprints(args.n, args.distance, args.dup_share, args.seed)
    counts = [int(x) for x in args.workers.split(",")]

    with (own_redis() if not args.url else _given(args.url)) as url:
        rows = [
            run(url, fps, args.distance, layout, w, measure_memory=(i == 0))
            for layout in layouts
            for i, w in enumerate(counts)
        ]
    print(f"redis dedupe backend, k={args.distance}, {args.n} articles "
          f"({args.dup_share:.0%} planted near-copies), reserve+commit per article")
    print(f"{'layout':>7} {'clients':>7} {'articles/s':>11} {'at full size':>13} {'seconds':>8} "
          f"{'kept':>8} {'bytes/stored article':>21}")
    for r in rows:
        mem = f"{r.bytes_per_article:.0f}" if r.bytes_per_article is not None else "-"
        layout = f"{r.layout.blocks}x{r.layout.radius}"
        print(f"{layout:>7} {r.workers:>7} {r.rate:>11.0f} {r.tail_rate:>13.0f} "
              f"{r.seconds:>8.2f} {r.kept:>8} {mem:>21}")
    print("articles/s: mean while the index fills from empty to N; at full size: the last "
          "10% of articles")
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    raise SystemExit(main())
