"""Measure the extractor on the demo site's ground truth: ``python -m crawler.evaluate_extraction``.

Prints, for title / headline / byline / body, how many article pages of the manifest the
extractor reproduces exactly (after whitespace normalisation), and lists the misses so a
template or extractor regression is visible at a glance.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from crawler.extract import extract_article
from crawler.extraction.lines import normalise_space

DEMO_DIR = Path(__file__).resolve().parent / "demo_site"
FIELDS = ("title", "headline", "byline", "body")


def expected_fields(entry: dict) -> dict[str, object]:
    return {
        "title": normalise_space(entry["title"]),
        "headline": normalise_space(entry["headline"]),
        "byline": normalise_space(entry.get("byline", "")),
        "body": [line for line in (normalise_space(x) for x in entry["body"]) if line],
    }


def extracted_fields(entry: dict, demo_dir: Path = DEMO_DIR) -> dict[str, object]:
    path = demo_dir / entry["path"]
    item = extract_article(path.read_bytes(), path.as_uri())
    return {
        "title": item.title,
        "headline": item.headline,
        "byline": item.byline,
        "body": item.text.split("\n") if item.text else [],
    }


def evaluate(manifest: list[dict], demo_dir: Path = DEMO_DIR) -> tuple[dict[str, int], int,
                                                                       list[tuple[str, str]]]:
    """(exact-match count per field, number of article pages, [(path, field) misses])."""
    hits = dict.fromkeys(FIELDS, 0)
    misses: list[tuple[str, str]] = []
    articles = [e for e in manifest if e["expected"] != "index"]
    for entry in articles:
        want, got = expected_fields(entry), extracted_fields(entry, demo_dir)
        for field in FIELDS:
            if want[field] == got[field]:
                hits[field] += 1
            else:
                misses.append((entry["path"], field))
    return hits, len(articles), misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    parser.add_argument("--bench", type=int, default=0, metavar="ROUNDS",
                        help="also time ROUNDS extractions of every demo page")
    args = parser.parse_args(argv)
    manifest = json.loads((args.demo_dir / "manifest.json").read_text("utf-8"))
    hits, total, misses = evaluate(manifest, args.demo_dir)
    print(f"extraction exact match on {total} demo article pages:")
    for field in FIELDS:
        print(f"  {field:<9} {hits[field]:>3}/{total}")
    for path, field in misses:
        print(f"  MISS {field}: {path}")
    if args.bench:
        print(bench(manifest, args.demo_dir, args.bench))
    return 0


def bench(manifest: list[dict], demo_dir: Path, rounds: int) -> str:
    """Throughput of extract_article on the demo pages (a number to watch, not to assert)."""
    pages = [(demo_dir / e["path"]).read_bytes() for e in manifest]
    started = time.perf_counter()
    for _ in range(rounds):
        for body in pages:
            extract_article(body, "http://demo.example/")
    elapsed = time.perf_counter() - started
    count = rounds * len(pages)
    size = rounds * sum(len(p) for p in pages) / 1e6
    return f"bench: {count} pages, {size:.1f} MB in {elapsed:.2f} s = {count / elapsed:.0f} pages/s"


if __name__ == "__main__":
    raise SystemExit(main())
