"""The ``articles`` spider: crawl news sites and yield one ``ArticleItem`` per article page.

Start URLs (first match wins):

* ``-a urls=URL[,URL...]`` — comma-separated start pages;
* ``-a url_file=PATH`` — one URL per line (blank lines and ``#`` comments ignored);
* ``-a sitemap=URL`` — a sitemap or sitemap index; its page URLs become the start pages;
* no argument — the bundled demo site (``crawler/demo_site/index.html`` over ``file://``).

From every page it follows visible links that stay in scope (same host for http(s); for
``file://`` start URLs, files under the start URL's directory). Links hidden with CSS are
never followed: on polluted pages they lead to casino sites. Index/list pages are crawled
but yield nothing (``crawler.extract.looks_like_article``).

Settings (the spider's own; ``SPAMSIEVE_*`` settings belong to the pipelines):

* ``ARTICLES_MAX_DEPTH`` (int, default 3) — links are followed from pages whose depth
  (``response.meta["depth"]``, as set by Scrapy's DepthMiddleware; start pages are 0) is
  below this value, i.e. DEPTH_LIMIT semantics.
* ``ARTICLES_KEEP_HTML`` (bool, default False) — keep the raw decoded page in ``item.html``
  (needed by detectors that look at markup, costly in output size).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from w3lib.encoding import http_content_type_encoding

from crawler.extract import extract_article, looks_like_article
from crawler.items import ArticleItem
from crawler.spiders.redis_mode import RedisStartMixin

DEMO_INDEX = Path(__file__).resolve().parents[1] / "demo_site" / "index.html"


class ArticlesSpider(RedisStartMixin, scrapy.Spider):
    name = "articles"

    def __init__(self, urls: str | None = None, url_file: str | None = None,
                 sitemap: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls_arg = urls
        self.url_file_arg = url_file
        self.sitemap_arg = sitemap
        self.max_depth = 3
        self.keep_html = False
        self.scopes: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticlesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_depth = crawler.settings.getint("ARTICLES_MAX_DEPTH", 3)
        spider.keep_html = crawler.settings.getbool("ARTICLES_KEEP_HTML", False)
        return spider

    # ------------------------------------------------------------------ start URLs
    def start_urls_from_args(self) -> list[str]:
        """Start page URLs from ``urls``/``url_file``, or the demo site when neither is given.

        A method of its own so a scrapy-redis variant can seed its queue the same way.
        """
        if self.urls_arg:
            return [u.strip() for u in self.urls_arg.split(",") if u.strip()]
        if self.url_file_arg:
            lines = Path(self.url_file_arg).read_text("utf-8").splitlines()
            return [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
        if self.sitemap_arg:
            return []
        return [DEMO_INDEX.as_uri()]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.sitemap_arg and not (self.urls_arg or self.url_file_arg):
            self.add_scope(self.sitemap_arg)
            yield scrapy.Request(self.sitemap_arg, callback=self.parse_sitemap)
        for url in self.start_urls_from_args():
            self.add_scope(url)
            yield scrapy.Request(url, callback=self.parse)

    # ------------------------------------------------------------------ scope
    def add_scope(self, url: str) -> None:
        """Remember where a start URL lets the crawl go: its host, or its file directory."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            scope = url.rsplit("/", 1)[0] + "/"
        else:
            scope = f"{parts.scheme}://{parts.netloc.lower()}/"
        if scope not in self.scopes:
            self.scopes.append(scope)

    def in_scope(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "file":
            return any(url.startswith(scope) for scope in self.scopes)
        if parts.scheme not in ("http", "https"):
            return False
        return f"{parts.scheme}://{parts.netloc.lower()}/" in self.scopes

    # ------------------------------------------------------------------ callbacks
    def parse(self, response: Response) -> Iterator[ArticleItem | scrapy.Request]:
        """Yield the page's article (if it is one), then requests for in-scope links."""
        if not isinstance(response, TextResponse):
            return
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        item = extract_article(response.body, response.url,
                               encoding=http_content_type_encoding(content_type),
                               keep_html=self.keep_html)
        stats = self.crawler.stats if getattr(self, "crawler", None) else None
        if looks_like_article(item):
            if stats:
                stats.inc_value("spamsieve/spider/articles")
            yield item
        elif stats:
            stats.inc_value("spamsieve/spider/non_article_pages")
        if response.meta.get("depth", 0) >= self.max_depth:
            return
        for link in item.links:
            url = urldefrag(link["url"])[0]
            if url and self.in_scope(url):
                yield response.follow(url, callback=self.parse)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Turn a sitemap (or sitemap index, gzipped or not) into page requests."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body)
        try:
            sitemap = Sitemap(body)
        except Exception:  # not XML at all: nothing to crawl, but say so
            self.logger.warning("Not a sitemap: %s", response.url)
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(loc, callback=self.parse_sitemap)
            else:
                self.add_scope(loc)
                yield scrapy.Request(loc, callback=self.parse)
