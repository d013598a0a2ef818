"""The article item the project's spiders yield (a dataclass, as Scrapy's docs recommend)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleItem:
    url: str = ""
    title: str = ""  # the page's <title>
    headline: str = ""  # the article's h1 / heading
    byline: str = ""  # the line under the headline: source/author/time as printed
    published: str = ""  # ISO-8601 when it could be parsed from the byline/meta, else ""
    source: str = ""  # the outlet named in the byline or meta
    text: str = ""  # the body, one paragraph per line, in page order (footer lines kept)
    html: str | None = None  # the raw page, only when ARTICLE_KEEP_HTML is on
    links: list[dict[str, str]] = field(default_factory=list)  # {"url", "text"}
    hidden_links: list[dict[str, str]] = field(default_factory=list)  # {"url", "text", "how"}
    meta_keywords: str = ""
    meta_description: str = ""
    canonical_url: str = ""
    lang: str = ""
    spamsieve: dict[str, Any] | None = None  # verdict/actions, set when SPAMSIEVE_ANNOTATE
