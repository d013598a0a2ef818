"""Render the demo site and its ground-truth manifest: ``python -m crawler.demo_site.build``.

Deterministic (no clocks, no randomness): running it twice gives byte-identical files, and
the output is committed so crawls and tests never need to run it. Page specs below say what
each page is (kind), what spamsieve should do with it (expected/stage), and which copied
article it carries (dup_group); templates.py produces the HTML and the body truth together.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.demo_site.templates import (
    Page,
    Site,
    render_classic,
    render_hijack,
    render_index,
    render_portal,
    render_promo,
    render_trs,
)
from crawler.demo_site.texts import ARTICLES, Article

ROOT = Path(__file__).resolve().parent

SITES: dict[str, Site] = {s.slug: s for s in (
    Site("news-a", "清河日报网", "classic",
         ("版权所有 © 2023 清河日报社 未经授权禁止转载", "清ICP备10086001号")),
    Site("news-b", "东江晚报在线", "trs",
         ("东江晚报社主办 版权所有", "违法和不良信息举报电话：0769-12345678")),
    Site("portal-f", "滨海资讯网", "portal",
         ("Copyright © 2023 滨海资讯网 All Rights Reserved", "滨ICP备20230001号")),
    Site("travel-c", "行走旅游网", "classic",
         ("行走旅游网 版权所有 转载请注明出处",), nav=("首页", "目的地", "游记", "美食", "攻略")),
    Site("tw-h", "南港時報", "classic", ("南港時報 版權所有 2023",),
         nav=("首頁", "地方", "生活", "社會"), lang="zh-TW"),
    Site("hijack-a", "乐乐彩", "hijack", ()),
    Site("hijack-b", "星耀汇娱乐", "hijack", ()),
    Site("hijack-c", "金泰彩票app", "hijack", ()),
    Site("hijack-d", "鸿运国际娱乐城", "hijack", ()),
    Site("promo-e", "娱乐平台导航", "promo", ("本站仅供娱乐 请勿用于非法用途",),
         nav=("首页", "注册", "充值", "优惠活动", "下载APP")),
)}

RENDERERS = {"classic": render_classic, "portal": render_portal, "trs": render_trs,
             "hijack": render_hijack}


def byline_of(article: Article, site: Site) -> str:
    if site.lang == "zh-TW":
        return f"{article.date} 來源：{article.source}"
    return f"{article.date} 来源：{article.source}"


def clean_page(site: Site, article: Article, **extra: object) -> Page:
    """A normally published article (original or ordinary reprint)."""
    page = Page(title=f"{article.headline}_{site.name}", headline=article.headline,
                byline=byline_of(article, site), paragraphs=list(article.paragraphs),
                keywords=article.headline[:8], description=article.paragraphs[0][:60])
    for key, value in extra.items():
        setattr(page, key, value)
    return page


def hijacked_page(brand: str, title: str, article: Article, brand_lines: tuple[int, ...],
                  timestamp: str, links: list[str]) -> Page:
    """The seed's pattern: brand title/byline, real headline + ``******`` inside the body."""
    body = [f"{article.headline}******", *article.paragraphs]
    for offset, position in enumerate(sorted(brand_lines)):
        body.insert(position + offset, brand)
    return Page(title=title, headline=title, byline=f"{brand}{timestamp}", paragraphs=body,
                footer_extra=["本网客户端", "权威资讯 第一时间发布", f"{brand}地图"],
                footer_links=links, keywords=f"{brand},{brand}官网,{brand}注册",
                description=f"{brand}提供最新资讯")


def spliced_page(brand: str, title: str, first: Article, second: Article,
                 timestamp: str) -> Page:
    """Two unrelated copied articles glued under a gambling brand, each with its source line."""
    body: list[str] = []
    for article in (first, second):
        body += [f"{article.headline}******", *article.paragraphs, f"来源：{article.source}"]
    return Page(title=title, headline=title, byline=f"{brand}{timestamp}", paragraphs=body,
                footer_extra=[f"{brand}地图"], keywords=brand)


HIDDEN_CLOUD = (
    '<div style="display:none">'
    '<a href="http://www.jinsha-casino.example/">金沙娱乐场</a> '
    '<a href="http://www.weinisi88.example/">威尼斯人官网</a> '
    '<a href="http://www.xpj-app.example/">新葡京APP下载</a></div>\n'
)
HIDDEN_BY_CLASS = (
    '<div class="lk"><a href="http://www.hongyun-bet.example/">鸿运国际娱乐城</a> '
    '<a href="http://www.baijiale.example/">百家乐在线</a></div>\n'
)

PROMO_RULES = {
    "promo_register": ["首存100%彩金，最高8888元", "每日签到送彩金，连续7天额外加赠", "提现流水要求：本金加彩金3倍"],
    "promo_app": ["下载APP注册即送38元体验金", "充值满500元返现50元", "代理返佣最高2%，次日结算"],
    "promo_rules": ["庄家赢按1:0.95赔付", "闲家赢按1:1赔付", "和局按1:8赔付", "每日返水1.2%，无上限"],
}


def article_specs() -> list[dict]:
    """Every article page: path, site, page, and its manifest facts."""
    A = ARTICLES
    s = SITES
    specs: list[dict] = []

    def add(path: str, site: str, page: Page, kind: str, expected: str,
            stage: str | None = None, dup_group: str | None = None,
            promo_rules: list[str] | None = None) -> None:
        specs.append(dict(path=path, site=site, page=page, kind=kind, expected=expected,
                          stage=stage, dup_group=dup_group, promo_rules=promo_rules))

    side_a = [("river.html", A["river"].headline), ("school.html", A["school"].headline)]
    # --- news-a (classic, UTF-8)
    add("sites/news-a/elder-care.html", "news-a", clean_page(s["news-a"], A["elder_care"], sidebar=side_a,
        canonical="http://qinghe-daily.example/2023/03/elder-care.html"), "clean", "clean", dup_group="elder_care")
    add("sites/news-a/river.html", "news-a", clean_page(s["news-a"], A["river"], sidebar=side_a), "clean", "clean")
    add("sites/news-a/school.html", "news-a", clean_page(s["news-a"], A["school"]), "clean", "clean")
    add("sites/news-a/spring-farming.html", "news-a", clean_page(s["news-a"], A["spring_farming"],
        after=["（责任编辑：孙浩）"]), "clean", "clean")
    add("sites/news-a/sports-lottery-fund.html", "news-a", clean_page(s["news-a"], A["sports_lottery_fund"]),
        "lottery_legit", "clean")
    add("sites/news-a/police-ring.html", "news-a", clean_page(s["news-a"], A["police_ring"], sidebar=side_a),
        "anti_gambling", "clean")
    add("sites/news-a/metro-line6.html", "news-a", clean_page(s["news-a"], A["metro_line6"]),
        "reprint", "clean", dup_group="metro_line6")
    add("sites/news-a/graduate-jobs.html", "news-a", clean_page(s["news-a"], A["graduate_jobs"],
        after=["（来源：东江晚报）"]), "reprint", "rejected", "duplicate", "graduate_jobs")
    # --- news-b (TRS layout, one GBK page)
    add("sites/news-b/tech-park.html", "news-b", clean_page(s["news-b"], A["tech_park"]), "clean", "clean")
    add("sites/news-b/library-night.html", "news-b", clean_page(s["news-b"], A["library_night"], charset="gbk"),
        "clean", "clean")
    add("sites/news-b/cold-wave.html", "news-b", clean_page(s["news-b"], A["cold_wave"]), "clean", "clean")
    add("sites/news-b/welfare-draw.html", "news-b", clean_page(s["news-b"], A["welfare_draw"]),
        "lottery_legit", "clean")
    add("sites/news-b/court-case.html", "news-b", clean_page(s["news-b"], A["court_case"]),
        "anti_gambling", "clean")
    add("sites/news-b/gambling-app-warning.html", "news-b", clean_page(s["news-b"], A["gambling_app_warning"],
        after=["（记者 周敏 通讯员 郑涛）"]), "anti_gambling", "clean")
    add("sites/news-b/graduate-jobs.html", "news-b", clean_page(s["news-b"], A["graduate_jobs"]),
        "reprint", "clean", dup_group="graduate_jobs")
    add("sites/news-b/metro-line6.html", "news-b", clean_page(s["news-b"], A["metro_line6"],
        after=["（编辑：陈晨 校对：王丽）"]), "reprint", "rejected", "duplicate", "metro_line6")
    # --- portal-f (old portal layout): reprints and pages with injected gambling
    add("sites/portal-f/metro-line6.html", "portal-f", clean_page(s["portal-f"], A["metro_line6"],
        paragraphs=list(A["metro_line6"].paragraphs[:-1])), "reprint", "rejected", "duplicate", "metro_line6")
    add("sites/portal-f/graduate-jobs.html", "portal-f", clean_page(s["portal-f"], A["graduate_jobs"],
        after=["本文转载自东江晚报，如有侵权请联系删除。"]), "reprint", "rejected", "duplicate", "graduate_jobs")
    water = list(A["inj_water"].paragraphs)
    water[0] = "【星耀汇娱乐】" + water[0]
    water.insert(2, "金泰彩票ＡＰＰ官网注册送３８元彩金，充值秒到账")
    add("sites/portal-f/water-pipes.html", "portal-f", clean_page(s["portal-f"], A["inj_water"],
        paragraphs=water), "injected_lines", "cleaned")
    jobs = list(A["inj_job"].paragraphs)
    jobs[0] = jobs[0].replace("滨海市人社局", "鸿运国际娱乐城")
    add("sites/portal-f/job-fair.html", "portal-f", clean_page(s["portal-f"], A["inj_job"], paragraphs=jobs,
        hidden_html=HIDDEN_CLOUD), "injected_lines", "cleaned")
    forest = [*A["inj_forest"].paragraphs, "更多精彩内容请访问澳门威尼斯人官网 www.weinisi88.example 注册即送彩金"]
    add("sites/portal-f/forest-fire.html", "portal-f", clean_page(s["portal-f"], A["inj_forest"],
        paragraphs=forest, hidden_html=HIDDEN_BY_CLASS,
        head_extra="<style>.lk{display:none}</style>"), "injected_lines", "cleaned")
    # --- travel-c: hard negatives with gambling-looking words
    add("sites/travel-c/macau-trip.html", "travel-c", clean_page(s["travel-c"], A["macau_travel"]),
        "other_clean", "clean")
    add("sites/travel-c/rainbow-painter.html", "travel-c", clean_page(s["travel-c"], A["rainbow_kid"]),
        "other_clean", "clean")
    add("sites/travel-c/metro-line6.html", "travel-c", clean_page(s["travel-c"], A["metro_line6"],
        after=["（本文来源：清河日报）"]), "reprint", "rejected", "duplicate", "metro_line6")
    # --- tw-h: traditional Chinese in Big5
    add("sites/tw-h/elder-meals.html", "tw-h", clean_page(s["tw-h"], A["tw_meal"], charset="big5"),
        "clean", "clean")
    # --- hijacked copies of one article under four brands
    elder = A["elder_care"]
    add("sites/hijack-a/20230131/article-1605.html", "hijack-a", hijacked_page(
        "乐乐彩", "乐乐彩_乐乐彩", elder, (2,), "2023-01-31 16:05", ["乐乐彩", "乐乐彩官网", "乐乐彩app"]),
        "hijacked_news", "rejected", "gambling", "elder_care")
    add("sites/hijack-b/news/7781.html", "hijack-b", hijacked_page(
        "星耀汇娱乐", f"{elder.headline}_星耀汇娱乐", elder, (1, 4), "2023-03-15 08:12", []),
        "hijacked_news", "rejected", "gambling", "elder_care")
    add("sites/hijack-c/show-3390.html", "hijack-c", hijacked_page(
        "金泰彩票app", "金泰彩票app下载-金泰彩票app官网", elder, (3,), "2023-03-16 22:40",
        ["金泰彩票app", "金泰彩票注册", "金泰彩票平台"]),
        "hijacked_news", "rejected", "gambling", "elder_care")
    add("sites/hijack-d/a/20230317.html", "hijack-d", hijacked_page(
        "鸿运国际娱乐城", "鸿运国际娱乐城_鸿运国际娱乐城", elder, (0, 5), "2023-03-17 11:30", []),
        "hijacked_news", "rejected", "gambling", "elder_care")
    # --- spliced pages
    add("sites/hijack-a/20230214/article-0930.html", "hijack-a", spliced_page(
        "乐乐彩", "乐乐彩_乐乐彩平台", A["sp_bridge"], A["sp_flu"], "2023-02-14 09:30"),
        "spliced", "rejected", "gambling")
    add("sites/hijack-b/news/7802.html", "hijack-b", spliced_page(
        "星耀汇娱乐", "星耀汇娱乐官网_星耀汇娱乐", A["sp_tea"], A["sp_museum"], "2023-04-19 13:00"),
        "spliced", "rejected", "gambling")
    add("sites/hijack-c/show-3412.html", "hijack-c", spliced_page(
        "金泰彩票app", "金泰彩票app_金泰彩票app注册", A["sp_marathon"], A["sp_rail"], "2023-06-02 07:45"),
        "spliced", "rejected", "gambling")
    # --- gambling promotion pages
    for key, slug in (("promo_register", "xingyaohui"), ("promo_app", "jintai-app"),
                      ("promo_rules", "baccarat-rules")):
        art = A[key]
        page = Page(title=f"{art.headline}_{art.source}", headline=art.headline,
                    byline=f"发布时间：{art.date[:10]} {art.source}客服", paragraphs=list(art.paragraphs),
                    footer_extra=[f"{art.source}地图"], keywords=f"{art.source},{art.source}官网,注册,充值")
        add(f"sites/promo-e/{slug}.html", "promo-e", page, "gambling_promo", "rejected", "gambling",
            promo_rules=PROMO_RULES[key])
    return specs


def render(spec: dict) -> tuple[str, list[str]]:
    site = SITES[spec["site"]]
    nesting = len(Path(spec["path"]).relative_to(f"sites/{site.slug}").parts) - 1
    spec["page"].home = "../" * nesting + "index.html"
    if site.style == "promo":
        return render_promo(site, spec["page"], spec["promo_rules"])
    return RENDERERS[site.style](site, spec["page"])


def write(path: Path, html: str, charset: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    codec = {"gbk": "gbk", "big5": "big5"}.get(charset, "utf-8")
    path.write_bytes(html.encode(codec))  # strict: a character the charset lacks is a bug here


def build(root: Path = ROOT) -> list[dict]:
    specs = article_specs()
    manifest: list[dict] = []
    for spec in specs:
        page: Page = spec["page"]
        html, body = render(spec)
        write(root / spec["path"], html, page.charset)
        entry = {"path": spec["path"], "kind": spec["kind"], "expected": spec["expected"]}
        if spec["stage"]:
            entry["stage"] = spec["stage"]
        entry.update(dup_group=spec["dup_group"], encoding=page.charset, title=page.title,
                     headline=page.headline, byline=page.byline, body=body)
        manifest.append(entry)
    # index pages: the root and one list page per site
    by_site: dict[str, list[dict]] = {}
    for spec in specs:
        by_site.setdefault(spec["site"], []).append(spec)
    root_links = []
    index_entries = []
    for slug, site in SITES.items():
        links = [(str(Path(sp["path"]).relative_to(f"sites/{slug}")), sp["page"].headline)
                 for sp in by_site.get(slug, [])]
        path = f"sites/{slug}/index.html"
        write(root / path, render_index(site.name, f"{site.name}最新内容", links, site.lang), "utf-8")
        index_entries.append({"path": path, "kind": "index", "expected": "index", "dup_group": None,
                              "encoding": "utf-8", "title": site.name, "headline": "", "byline": "",
                              "body": []})
        root_links.append((path, site.name))
    write(root / "index.html", render_index("spamsieve 演示站点", "以下站点均为虚构，用于演示和测试。",
                                            root_links), "utf-8")
    index_entries.insert(0, {"path": "index.html", "kind": "index", "expected": "index",
                             "dup_group": None, "encoding": "utf-8", "title": "spamsieve 演示站点",
                             "headline": "", "byline": "", "body": []})
    manifest = index_entries + manifest
    (root / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


if __name__ == "__main__":
    pages = build()
    print(f"wrote {len(pages)} pages to {ROOT}")
