"""The ``articles`` spider as users run it: a real ``scrapy crawl`` subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from crawler.spiders.articles import ArticlesSpider

pytestmark = pytest.mark.crawl

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO = REPO_ROOT / "crawler" / "demo_site"


def crawl(output: Path, *args: str) -> list[dict]:
    """Run ``scrapy crawl articles`` from the repo root with the spamsieve chain off.

    ``FEEDS={}`` because ``-O`` adds a feed instead of replacing the project's feeds, and the
    project feed would write into the repository's ``output/``.
    """
    command = [sys.executable, "-m", "scrapy", "crawl", "articles", *args,
               "-s", "SPAMSIEVE_ENABLED=False", "-s", "ADDONS={}", "-s", "FEEDS={}",
               "-s", "LOG_LEVEL=WARNING", "-O", str(output)]
    proc = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "ERROR" not in proc.stderr, proc.stderr[-3000:]
    return [json.loads(line) for line in output.read_text("utf-8").splitlines() if line.strip()]


def demo_path(url: str) -> str:
    """A crawled URL (http://127.0.0.1:PORT/... or file:///.../demo_site/...) as a manifest path."""
    path = unquote(urlsplit(url).path)
    if url.startswith("file:"):
        return Path(path).relative_to(DEMO).as_posix()
    return path.lstrip("/")


def test_http_crawl_yields_each_article_once_and_no_index_pages(
    demo_server: str, manifest: list[dict], tmp_path: Path
) -> None:
    items = crawl(tmp_path / "items.jsonl", "-a", f"urls={demo_server}/index.html")
    counts = Counter(demo_path(item["url"]) for item in items)
    articles = {e["path"] for e in manifest if e["expected"] != "index"}
    assert set(counts) == articles
    assert {path: n for path, n in counts.items() if n != 1} == {}
    truth = {e["path"]: e for e in manifest}
    for item in items:
        entry = truth[demo_path(item["url"])]
        assert item["headline"] == entry["headline"]
        assert item["html"] is None  # ARTICLES_KEEP_HTML defaults to False


def test_crawl_without_arguments_covers_the_bundled_demo_site(
    manifest: list[dict], tmp_path: Path
) -> None:
    items = crawl(tmp_path / "items.jsonl", "-s", "ARTICLES_KEEP_HTML=True")
    articles = {e["path"] for e in manifest if e["expected"] != "index"}
    assert sorted(demo_path(item["url"]) for item in items) == sorted(articles)
    assert all(item["html"] for item in items)


def test_max_depth_limits_how_far_links_are_followed(
    demo_server: str, tmp_path: Path
) -> None:
    # depth 0 = the root index, 1 = site list pages, 2 = articles: depth 1 stops before articles
    assert crawl(tmp_path / "items.jsonl", "-a", f"urls={demo_server}/index.html",
                 "-s", "ARTICLES_MAX_DEPTH=1") == []


def test_start_urls_come_from_urls_then_url_file_then_the_demo(tmp_path: Path) -> None:
    url_file = tmp_path / "urls.txt"
    url_file.write_text("# seeds\nhttp://a.example/x.html\n\nhttp://b.example/\n", "utf-8")
    assert ArticlesSpider(urls="http://a.example/, http://b.example/").start_urls_from_args() == [
        "http://a.example/", "http://b.example/"]
    assert ArticlesSpider(url_file=str(url_file)).start_urls_from_args() == [
        "http://a.example/x.html", "http://b.example/"]
    assert ArticlesSpider().start_urls_from_args() == [(DEMO / "index.html").as_uri()]


def test_scope_stays_on_the_start_host_or_under_the_start_directory() -> None:
    spider = ArticlesSpider()
    spider.add_scope("http://news.example/index.html")
    spider.add_scope("file:///srv/site/sub/index.html")
    assert spider.in_scope("http://news.example/a/b.html")
    assert not spider.in_scope("http://casino.example/")
    assert spider.in_scope("file:///srv/site/sub/deeper/page.html")
    assert not spider.in_scope("file:///srv/site/other.html")
    assert not spider.in_scope("javascript:void(0)")


def test_sitemap_start_crawls_the_listed_pages(demo_server: str, tmp_path: Path) -> None:
    paths = ["sites/news-a/river.html", "sites/news-b/cold-wave.html", "sites/tw-h/elder-meals.html"]
    urls = "".join(f"<url><loc>{demo_server}/{p}</loc></url>" for p in paths)
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
                       f'"http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>', "utf-8")
    items = crawl(tmp_path / "items.jsonl", "-a", f"sitemap={sitemap.as_uri()}",
                  "-s", "ARTICLES_MAX_DEPTH=1")
    assert sorted(demo_path(item["url"]) for item in items) == sorted(paths)
