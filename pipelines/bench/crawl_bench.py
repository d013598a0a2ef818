"""What spamsieve costs inside a real crawl: ``scrapy crawl`` with the chain on vs off.

Why a real crawl: micro-benchmarks say how fast the chain is, but users care about how
much slower *their crawl* gets. The crawl reads a locally generated copy of synthetic news
pages over ``file://`` (the ``articles`` spider follows links under the start directory),
so no server competes for the CPU and the measurement is crawler + pipelines only.

The overhead is the extra CPU time (user + sys of the crawl subprocess, read with
``os.wait4``) of the crawl with ``SPAMSIEVE_ENABLED=True`` over the same crawl with
``-s SPAMSIEVE_ENABLED=False`` (the add-on then installs nothing). Runs alternate off/on
and the fastest of each is kept, which removes most of the noise of a shared machine.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipelines.bench.measure import run_module
from pipelines.bench.synthetic import generate, write_html_site

REPO = Path(__file__).resolve().parents[2]


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

    @property
    def overhead(self) -> float:
        """Extra CPU of the crawl with spamsieve, as a share of the crawl without it."""
        return self.on.cpu_s / self.off.cpu_s - 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"pages": self.pages, "runs_each": self.runs, "off": asdict(self.off),
                "on": asdict(self.on), "cpu_overhead": round(self.overhead, 4)}


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


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def run_crawl(start: Path, workdir: Path, *, enabled: bool) -> CrawlRun:
    """One ``scrapy crawl articles`` subprocess, measured (CPU from ``wait4``, peak RSS
    from the child's own high-water mark)."""
    workdir.mkdir(parents=True, exist_ok=True)
    args = ["scrapy", "crawl", "articles", "-a", f"urls={start.as_uri()}",
            "-s", f"SPAMSIEVE_ENABLED={enabled}", "-s", "ARTICLES_MAX_DEPTH=3"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="settings",
               PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    with (workdir / "crawl.log").open("wb") as log:
        measured = run_module(args, cwd=workdir, env=env, stdout=log)
    kept = _count_lines(workdir / "output" / "kept.jsonl")
    rejected = _count_lines(workdir / "output" / "rejected.jsonl")
    return CrawlRun(enabled, measured.cpu_s, measured.wall_s, measured.peak_rss_mb,
                    measured.returncode, kept, rejected,
                    round((kept + rejected) / max(measured.cpu_s, 1e-9), 1))


def crawl_overhead(pages: int, *, runs: int = 2, seed: int = 7, keep_dir: str | None = None,
                   log=print) -> CrawlResult:
    """Crawl a ``pages``-page local site ``runs`` times each with spamsieve off and on."""
    base = Path(keep_dir) if keep_dir else Path(tempfile.mkdtemp(prefix="spamsieve-crawl-"))
    try:
        log(f"  building a {pages:,}-page site in {base} ...")
        start = build_site(pages, base / "site", seed=seed)
        best: dict[bool, CrawlRun] = {}
        for number in range(runs):
            for enabled in (False, True):
                run = run_crawl(start, base / f"run-{number}-{'on' if enabled else 'off'}",
                                enabled=enabled)
                log(f"  crawl {'on ' if enabled else 'off'} #{number + 1}: {run.cpu_s:.1f} s CPU, "
                    f"{run.wall_s:.1f} s wall, {run.items_kept} kept, {run.items_rejected} rejected"
                    + ("" if run.returncode == 0 else f", exit status {run.returncode}"))
                if enabled not in best or run.cpu_s < best[enabled].cpu_s:
                    best[enabled] = run
        return CrawlResult(pages, best[False], best[True], runs)
    finally:
        if not keep_dir:
            import shutil

            shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep-dir", default=None)
    args = parser.parse_args(argv)
    result = crawl_overhead(args.pages, runs=args.runs, keep_dir=args.keep_dir)
    print(json.dumps(result.to_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
