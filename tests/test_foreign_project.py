"""A separate, existing Scrapy project enables spamsieve with the add-on line and a mapping.

The project has its own attrs item (`headline`, `content`, `link`), its own spider and
its own pipelines, one of which drops items for its own reasons. The README's "Use it in
your crawler" lines are exactly the two settings written below.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
from functools import partial
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.crawl

NEWS = [
    "市交通部门发布消息，地铁三号线北延段将于下月开通试运营，新增车站六座。",
    "据介绍，北延段全长十二公里，开通后从城北到市中心的通勤时间将缩短约二十分钟。",
    "运营方表示，试运营期间将加密早晚高峰班次，并在各站增设志愿服务岗。",
    "市民可通过官方客户端查询首末班车时间，换乘站均设有无障碍电梯。",
]
SCHOOL = [
    "本学期起，全市中小学将推行课后服务全覆盖，学生可自愿参加。",
    "教育局负责人介绍，课后服务以作业辅导、体育锻炼和兴趣小组为主。",
    "各校将根据实际情况安排教师轮岗，并通过家校平台公布服务内容。",
    "家长普遍认为，这项措施缓解了接孩子难的问题。",
]
BRAND = "鑫博娱乐城"

PAGES = {
    "metro.html": ("地铁三号线北延段下月开通", "地铁三号线北延段下月开通", "市交通报 2024-03-02", NEWS, ""),
    "school.html": ("课后服务实现全覆盖", "课后服务实现全覆盖", "教育时报 2024-03-03", SCHOOL, ""),
    "hijacked.html": (
        f"{BRAND}_{BRAND}", BRAND, f"{BRAND}2024-03-04 10:21",
        ["地铁三号线北延段下月开通******", *NEWS, BRAND, "课后服务实现全覆盖******", *SCHOOL],
        f"{BRAND}地图",
    ),
    "promo.html": (
        f"{BRAND}官网入口-{BRAND}注册送彩金", f"{BRAND}官网", "",
        [f"{BRAND}官方网址，注册即送888元彩金，首存优惠百分之百。",
         "百家乐、真人视讯、电子游艺、体育投注，充值秒到账，提款五分钟到账。",
         f"立即下载{BRAND}app，登录开户即享每日返水。",
         "客服二十四小时在线，平台信誉保障，欢迎注册体验。"],
        "",
    ),
    "advertorial.html": ("春季家装节火热开幕", "春季家装节火热开幕", "广告", SCHOOL[:2], ""),
}


def render(title: str, headline: str, byline: str, paragraphs: list[str], footer: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<h1>{headline}</h1><div class='info'>{byline}</div>"
            f"<div class='article'>{body}</div><div class='footer'>{footer}</div></body></html>")


PROJECT_FILES = {
    "scrapy.cfg": "[settings]\ndefault = newsbot.settings\n",
    "newsbot/__init__.py": "",
    "newsbot/items.py": """
        import attrs

        @attrs.define
        class NewsItem:
            headline: str = ""
            content: str = ""
            link: str = ""
            tags: list = attrs.Factory(list)
    """,
    "newsbot/pipelines.py": """
        import json
        from scrapy.exceptions import DropItem

        class TagPipeline:
            def process_item(self, item):
                item.tags.append("tagged")
                return item

        class NoAdvertorialsPipeline:
            def process_item(self, item):
                if "广告" in item.content:
                    raise DropItem("advertorial, not news")
                return item

        class StorePipeline:
            def open_spider(self):
                self.out = open("stored.jsonl", "w", encoding="utf-8")
            def close_spider(self):
                self.out.close()
            def process_item(self, item):
                self.out.write(json.dumps({"link": item.link, "tags": item.tags}) + "\\n")
                return item
    """,
    "newsbot/spiders/__init__.py": "",
    "newsbot/spiders/news.py": """
        import scrapy
        from newsbot.items import NewsItem

        class NewsSpider(scrapy.Spider):
            name = "news"

            async def start(self):
                yield scrapy.Request(self.settings["NEWSBOT_START"])

            def parse(self, response):
                for href in response.css("a::attr(href)").getall():
                    yield response.follow(href, self.parse_page)

            def parse_page(self, response):
                lines = response.css(".info::text, .article p::text, .footer::text").getall()
                yield NewsItem(
                    headline=response.css("title::text").get(""),
                    content="\\n".join(line.strip() for line in lines if line.strip()),
                    link=response.url,
                )
    """,
    "newsbot/settings.py": """
        BOT_NAME = "newsbot"
        SPIDER_MODULES = ["newsbot.spiders"]
        ROBOTSTXT_OBEY = False
        TELNETCONSOLE_ENABLED = False
        ITEM_PIPELINES = {
            "newsbot.pipelines.TagPipeline": 50,
            "newsbot.pipelines.NoAdvertorialsPipeline": 60,
            "newsbot.pipelines.StorePipeline": 800,
        }
        FEEDS = {"kept.jsonl": {"format": "jsonlines", "encoding": "utf-8"}}
        # The two lines a user adds (README "Use it in your crawler"):
        ADDONS = {"pipelines.SpamSieveAddon": 100}
        SPAMSIEVE_FIELDS = {"title": "headline", "text": "content", "url": "link"}
        SPAMSIEVE_REJECTED_LOG = "rejected.jsonl"
    """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    for name, spec in PAGES.items():
        (root / name).write_text(render(*spec), "utf-8")
    links = "".join(f"<a href='{name}'>{name}</a>" for name in PAGES)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>", "utf-8")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def crawl(site, tmp_path_factory):
    project = tmp_path_factory.mktemp("newsbot")
    for name, content in PROJECT_FILES.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip(), "utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(project), str(REPO)]))
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-s", f"NEWSBOT_START={site}/index.html"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    def rows(name):
        path = project / name
        return [json.loads(x) for x in path.read_text("utf-8").splitlines()] if path.exists() else []

    return {"kept": rows("kept.jsonl"), "rejected": rows("rejected.jsonl"),
            "stored": rows("stored.jsonl"), "log": proc.stderr}


def name_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_polluted_pages_are_rejected_with_reasons(crawl) -> None:
    rejected = {name_of(r["url"]): r for r in crawl["rejected"]}
    for name in ("hijacked.html", "promo.html"):
        assert rejected[name]["stage"] == "gambling", rejected.get(name)
        assert rejected[name]["reasons"]
        assert rejected[name]["item"]["link"].endswith(name)  # the user's own field names


def test_clean_pages_are_kept_with_the_users_item_intact(crawl) -> None:
    kept = {name_of(i["link"]): i for i in crawl["kept"]}
    assert set(kept) == {"metro.html", "school.html"}
    for item in kept.values():
        assert set(item) == {"headline", "content", "link", "tags"}  # nothing added
        assert item["tags"] == ["tagged"]


def test_the_users_own_drops_are_in_the_rejected_log(crawl) -> None:
    rejected = {name_of(r["url"]): r for r in crawl["rejected"]}
    own = rejected["advertorial.html"]
    assert own["stage"] == "pipeline"
    assert "DropItem" in own["reason"] or "DropItem" in own.get("exception", "")
    assert "advertorial" in own["message"]


def test_the_users_other_pipelines_still_run(crawl) -> None:
    stored = {name_of(r["link"]) for r in crawl["stored"]}
    assert stored == {"metro.html", "school.html"}
    assert len(crawl["kept"]) + len(crawl["rejected"]) == len(PAGES)
