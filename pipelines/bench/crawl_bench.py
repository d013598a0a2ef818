"""What spamsieve costs inside a real crawl: ``scrapy crawl`` with the chain on vs off.

Why a real crawl: micro-benchmarks say how fast the chain is, but users care about how
much slower *their crawl* gets. The bar is about "a real ``scrapy crawl`` of a locally
served copy of at least 5,000 pages", so the generated synthetic news site is served over
HTTP from 127.0.0.1: a real crawl downloads its pages over HTTP, and the crawler's own
cost per page (connections, headers, the download machinery) is part of what spamsieve's
cost is compared against. The server is a process of its own (:mod:`pipelines.bench.serve`)
and, when the crawl is pinned to one core, runs on another one, so its CPU is neither
counted in nor competing with the crawl's; the measurement stays crawler + pipelines only.
``--source file`` crawls the same pages over ``file://`` instead (no server at all), for
comparison with earlier numbers.

The overhead is the extra CPU time (user + sys of the crawl subprocess, read with
``os.wait4``) of the crawl with ``SPAMSIEVE_ENABLED=True`` over the same crawl with
``-s SPAMSIEVE_ENABLED=False`` (the add-on then installs nothing). Runs alternate off/on
against the same server and the fastest of each is kept, which removes most of the noise
of a shared machine.
"""

from __future__ import annotations

import html
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipelines.bench.measure import run_module
from pipelines.bench.synthetic import generate, write_html_site

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("http", "file")
HOST = "127.0.0.1"
# Same for the off and on crawls, whatever the project's settings say: a robots.txt fetch,
# an HTTP cache (later runs would not download at all), AutoThrottle's delays or an
# http_proxy from the environment would measure something other than crawl + pipelines.
BENCH_SETTINGS = ("ARTICLES_MAX_DEPTH=3", "ROBOTSTXT_OBEY=False", "HTTPCACHE_ENABLED=False",
                  "AUTOTHROTTLE_ENABLED=False", "HTTPPROXY_ENABLED=False")


@dataclass
class CrawlRun:
    enabled: bool
    cpu_s: float  # user + sys of the crawl process
    wall_s: float
    max_rss_mb: float
    returncode: int
    items_kept: int
    items_rejected: int
    pages_per_cpu_s: float


@dataclass
class CrawlResult:
    pages: int
    off: CrawlRun
    on: CrawlRun
    runs: int
    source: str = "http"  # "http": served from 127.0.0.1; "file": read over file://
    server_cpus: list[int] | None = None  # where the HTTP server ran

    @property
    def overhead(self) -> float:
        """Extra CPU of the crawl with spamsieve, as a share of the crawl without it."""
        return self.on.cpu_s / self.off.cpu_s - 1.0

    def to_dict(self) -> dict[str, Any]:
        out = {"pages": self.pages, "runs_each": self.runs, "source": self.source,
               "off": asdict(self.off), "on": asdict(self.on),
               "cpu_overhead": round(self.overhead, 4)}
        if self.source == "http":
            out["server_cpus"] = self.server_cpus
        return out


def build_site(pages: int, out_dir: Path, seed: int = 7) -> Path:
    """Write ``pages`` synthetic article pages plus index pages; return the start page.

    ``write_html_site`` chains its index pages with "next" links (one level deeper each);
    ``all.html`` links every index page directly, so every article is at depth 2 and the
    spider's default ``ARTICLES_MAX_DEPTH`` reaches all of them.
    """
    write_html_site(generate(pages, seed=seed), out_dir)
    indexes = sorted(out_dir.glob("index*.html"))
    links = "\n".join(f'<li><a href="{p.name}">{html.escape(p.stem)}</a></li>' for p in indexes)
    start = out_dir / "all.html"
    start.write_text(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>目录</title>'
        f"</head>\n<body><ul>\n{links}\n</ul></body></html>\n",
        encoding="utf-8",
    )
    return start


@dataclass
class Served:
    url: str  # of the site's root, ending in "/"
    cpus: list[int]  # the server process' affinity


def _server_cpus(wanted: set[int] | None) -> set[int] | None:
    """CPUs for the server: off the crawl's. The crawl inherits this process' affinity;
    when that is one core (``spamsieve bench`` pins itself), the server goes to the other
    cores of ``wanted`` (default: every CPU, which the kernel cuts to what the container
    allows). An unpinned crawl, or a single core, shares with the server (None)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    crawl = os.sched_getaffinity(0)
    if wanted is None:
        if len(crawl) > 1:
            return None
        wanted = set(range(os.cpu_count() or 1))
    return (set(wanted) - crawl) or None


def _python_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))


@contextmanager
def serve_site(directory: Path, *, cpus: set[int] | None = None, timeout: float = 20.0,
               log_path: Path | None = None) -> Iterator[Served]:
    """Serve ``directory`` over HTTP from 127.0.0.1 on a port the OS picks, in a separate
    process; stopped on leaving the block, whatever happened inside."""
    command = [sys.executable, "-m", "pipelines.bench.serve", str(directory), "--bind", HOST]
    if cpus:
        command += ["--cpus", ",".join(map(str, sorted(cpus)))]
    log = log_path.open("wb") if log_path else None
    proc = subprocess.Popen(command, stdout=subprocess.PIPE,
                            stderr=log if log else subprocess.DEVNULL, env=_python_env())
    try:
        deadline = time.monotonic() + timeout
        port, server_cpus = _ready_line(proc, deadline, log_path)
        _wait_for_port(port, deadline)
        yield Served(f"http://{HOST}:{port}/", server_cpus)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
        if log:
            log.close()


def _ready_line(proc: subprocess.Popen[bytes], deadline: float,
                log_path: Path | None) -> tuple[int, list[int]]:
    """The "PORT CPUS" line the server prints once it listens."""
    see = f"; see {log_path}" if log_path else ""
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=max(deadline - time.monotonic(), 0)):
            raise RuntimeError(f"the crawl bench's HTTP server did not start within "
                               f"the timeout{see}")
    line = proc.stdout.readline().decode("ascii", "replace").split()
    if not line or not line[0].isdigit():
        try:
            status = f"exit status {proc.wait(timeout=5)}"
        except subprocess.TimeoutExpired:
            status = f"it printed {' '.join(line)!r}"
        raise RuntimeError(f"the crawl bench's HTTP server failed to start ({status}){see}")
    cpus = [int(c) for c in line[1].split(",")] if len(line) > 1 else []
    return int(line[0]), cpus


def _wait_for_port(port: int, deadline: float) -> None:
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the crawl bench's HTTP server does not accept "
                                   f"connections on {HOST}:{port} ({exc})") from exc
            time.sleep(0.05)


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def run_crawl(start_url: str, workdir: Path, *, enabled: bool) -> CrawlRun:
    """One ``scrapy crawl articles`` subprocess, measured (CPU from ``wait4``, peak RSS
    from the child's own high-water mark)."""
    workdir.mkdir(parents=True, exist_ok=True)
    args = ["scrapy", "crawl", "articles", "-a", f"urls={start_url}",
            "-s", f"SPAMSIEVE_ENABLED={enabled}"]
    for setting in BENCH_SETTINGS:
        args += ["-s", setting]
    env = dict(_python_env(), SCRAPY_SETTINGS_MODULE="settings")
    with (workdir / "crawl.log").open("wb") as log:
        measured = run_module(args, cwd=workdir, env=env, stdout=log)
    kept = _count_lines(workdir / "output" / "kept.jsonl")
    rejected = _count_lines(workdir / "output" / "rejected.jsonl")
    return CrawlRun(enabled, measured.cpu_s, measured.wall_s, measured.peak_rss_mb,
                    measured.returncode, kept, rejected,
                    round((kept + rejected) / max(measured.cpu_s, 1e-9), 1))


def crawl_overhead(pages: int, *, runs: int = 2, seed: int = 7, keep_dir: str | None = None,
                   source: str = "http", server_cpus: set[int] | None = None,
                   log=print) -> CrawlResult:
    """Crawl a ``pages``-page local site ``runs`` times each with spamsieve off and on,
    served over HTTP from 127.0.0.1 (``source="http"``) or read over ``file://``.

    ``server_cpus``: where the HTTP server may run (the crawl's own cores are removed);
    pass the affinity from before pinning to keep it inside a ``taskset`` restriction.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    base = Path(keep_dir) if keep_dir else Path(tempfile.mkdtemp(prefix="spamsieve-crawl-"))
    try:
        log(f"  building a {pages:,}-page site in {base} ...")
        start = build_site(pages, base / "site", seed=seed)
        if source == "file":
            best = _crawl_both(start.as_uri(), base, runs, log)
            return CrawlResult(pages, best[False], best[True], runs, source)
        with serve_site(start.parent, cpus=_server_cpus(server_cpus),
                        log_path=base / "server.log") as served:
            log(f"  serving it at {served.url} (server on CPU "
                f"{','.join(map(str, served.cpus)) or '?'})")
            best = _crawl_both(served.url + start.name, base, runs, log)
        return CrawlResult(pages, best[False], best[True], runs, source, served.cpus)
    finally:
        if not keep_dir:
            shutil.rmtree(base, ignore_errors=True)


def _crawl_both(start_url: str, base: Path, runs: int, log) -> dict[bool, CrawlRun]:
    """Alternate off/on crawls; the fastest (least CPU) of each."""
    best: dict[bool, CrawlRun] = {}
    for number in range(runs):
        for enabled in (False, True):
            run = run_crawl(start_url, base / f"run-{number}-{'on' if enabled else 'off'}",
                            enabled=enabled)
            log(f"  crawl {'on ' if enabled else 'off'} #{number + 1}: {run.cpu_s:.1f} s CPU, "
                f"{run.wall_s:.1f} s wall, {run.items_kept} kept, {run.items_rejected} rejected"
                + ("" if run.returncode == 0 else f", exit status {run.returncode}"))
            if enabled not in best or run.cpu_s < best[enabled].cpu_s:
                best[enabled] = run
    return best


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--source", choices=SOURCES, default="http",
                        help="serve the pages over HTTP from 127.0.0.1 (default) or read "
                             "them over file://")
    parser.add_argument("--keep-dir", default=None)
    args = parser.parse_args(argv)
    result = crawl_overhead(args.pages, runs=args.runs, keep_dir=args.keep_dir,
                            source=args.source)
    print(json.dumps(result.to_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
