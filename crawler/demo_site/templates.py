"""HTML templates of the demo sites: a few real-world Chinese news layouts.

Each template returns (html, body_lines): the page and the body the extractor must output
(article paragraphs, lines shown after the article, visible footer lines). Writing both from
one place keeps the ground truth honest when a template changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class Site:
    slug: str
    name: str
    style: str  # classic | portal | trs | hijack | promo
    footer: tuple[str, ...]
    nav: tuple[str, ...] = ("首页", "时政", "社会", "经济", "文化", "体育")
    lang: str = "zh-CN"


@dataclass
class Page:
    """What one article page shows; templates decide how it is marked up."""

    title: str
    headline: str
    byline: str
    paragraphs: list[str]
    after: list[str] = field(default_factory=list)  # lines right after the body (editor...)
    footer_extra: list[str] = field(default_factory=list)  # page-specific visible footer lines
    footer_links: list[str] = field(default_factory=list)  # visible link cloud (one line)
    hidden_html: str = ""  # invisible injected markup (not part of the body truth)
    head_extra: str = ""
    keywords: str = ""
    description: str = ""
    charset: str = "utf-8"
    sidebar: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    canonical: str = ""
    home: str = "index.html"  # relative link to the site's list page


_TRADITIONAL_CHROME = {
    "搜索": "搜尋", "当前位置：": "目前位置：", "正文": "內文", "分享到：": "分享到：",
    "微信": "微信", "微博": "微博", "QQ空间": "QQ空間", "热点新闻": "熱門新聞",
    "关于我们": "關於我們", "联系我们": "聯絡我們", "网站地图": "網站導覽",
}


def _t(site: Site, text: str) -> str:
    """Template chrome in the site's script (a Taiwanese site does not say 关于我们)."""
    return _TRADITIONAL_CHROME.get(text, text) if site.lang == "zh-TW" else text


def _head(site: Site, page: Page) -> str:
    if page.charset == "big5":
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=big5">'
    else:
        meta = f'<meta charset="{page.charset}">'
    canonical = f'<link rel="canonical" href="{escape(page.canonical)}">' if page.canonical else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{site.lang}">\n<head>\n{meta}\n'
        f"<title>{escape(page.title)}</title>\n"
        f'<meta name="keywords" content="{escape(page.keywords)}">\n'
        f'<meta name="description" content="{escape(page.description)}">\n{canonical}\n'
        f"{page.head_extra}\n"
        "<script>var _hmt = _hmt || []; (function(){ /* analytics */ })();</script>\n"
        "</head>\n"
    )


def _header(site: Site, page: Page) -> str:
    items = "".join(f'<li><a href="{page.home}">{escape(n)}</a></li>' for n in site.nav)
    return (
        f'<div class="header"><div class="logo"><a href="{page.home}">{escape(site.name)}</a></div>\n'
        f'<ul class="nav">{items}</ul>\n'
        f'<div class="search"><form action="#"><input name="q"><button>{_t(site, "搜索")}</button></form></div></div>\n'
    )


def _sidebar(site: Site, page: Page) -> str:
    if not page.sidebar:
        return ""
    items = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in page.sidebar)
    return f'<div class="sidebar"><h3>{_t(site, "热点新闻")}</h3><ul>{items}</ul></div>\n'


def _footer(site: Site, page: Page, css_class: str = "footer") -> tuple[str, list[str]]:
    lines: list[str] = []
    parts: list[str] = []
    for line in page.footer_extra:
        parts.append(f"<p>{escape(line)}</p>")
        lines.append(line)
    if page.footer_links:
        anchors = " ".join(
            f'<a href="{page.home}">{escape(t)}</a>' for t in page.footer_links
        )
        parts.append(f'<div class="links">{anchors}</div>')
        lines.append(" ".join(page.footer_links))
    labels = [_t(site, t) for t in ("关于我们", "联系我们", "网站地图")]
    nav = " | ".join(f'<a href="{page.home}">{t}</a>' for t in labels)
    parts.append(f'<div class="footer-nav">{nav}</div>')
    lines.append(" | ".join(labels))
    for line in site.footer:
        parts.append(f"<p>{escape(line)}</p>")
        lines.append(line)
    return f'<div id="{css_class}" class="{css_class}">\n' + "\n".join(parts) + "\n</div>\n", lines


def render_classic(site: Site, page: Page) -> tuple[str, list[str]]:
    """Mainstream CMS layout: #content with <p> paragraphs indented by full-width spaces."""
    paras = "\n".join(f"<p>\u3000\u3000{escape(p)}</p>" for p in page.paragraphs)
    after = "".join(f'<div class="editor">{escape(a)}</div>\n' for a in page.after)
    footer, footer_lines = _footer(site, page)
    html = (
        _head(site, page) + "<body>\n" + _header(site, page)
        + f'<div class="crumb">{_t(site, "当前位置：")}<a href="{page.home}">{escape(site.name)}</a> &gt; {_t(site, "正文")}</div>\n'
        + '<div class="main-wrap">\n<div class="article">\n'
        + f"<h1>{escape(page.headline)}</h1>\n"
        + f'<div class="info">{escape(page.byline)}</div>\n'
        + f'<div id="content" class="content">\n{paras}\n</div>\n{after}'
        + f'<div class="share">{_t(site, "分享到：")}<a href="#">微信</a> <a href="#">微博</a> <a href="#">{_t(site, "QQ空间")}</a></div>\n'
        + "</div>\n" + _sidebar(site, page) + "</div>\n" + page.hidden_html + footer
        + "</body>\n</html>\n"
    )
    return html, [*page.paragraphs, *page.after, *footer_lines]


def render_portal(site: Site, page: Page) -> tuple[str, list[str]]:
    """Older portal layout: .left_zw#zoom body, headline block .left_t, bottom footer."""
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    after = "".join(f'<p class="editor">{escape(a)}</p>\n' for a in page.after)
    footer, footer_lines = _footer(site, page, css_class="bottom")
    html = (
        _head(site, page) + "<body>\n" + _header(site, page)
        + '<table width="100%"><tr><td valign="top">\n<div class="left">\n'
        + f'<div class="left_t"><h1>{escape(page.headline)}</h1>\n'
        + f'<div class="left_time">{escape(page.byline)}</div></div>\n'
        + f'<div class="left_zw" id="zoom">\n{paras}\n</div>\n{after}'
        + f'<div class="related"><h3>相关新闻</h3><ul><li><a href="{page.home}">更多新闻</a></li></ul></div>\n'
        + "</div></td>\n<td class=\"right\" width=\"300\">" + _sidebar(site, page) + "</td></tr></table>\n"
        + page.hidden_html + footer + "</body>\n</html>\n"
    )
    return html, [*page.paragraphs, *page.after, *footer_lines]


def render_trs(site: Site, page: Page) -> tuple[str, list[str]]:
    """Government-CMS layout: .TRS_Editor with <br>-separated text and sloppy markup."""
    body = "<br>\n".join(f"\u3000\u3000{escape(p)}" for p in page.paragraphs)
    after = "".join(f"<p>{escape(a)}\n" for a in page.after)  # unclosed <p> on purpose
    footer, footer_lines = _footer(site, page)
    html = (
        _head(site, page) + "<BODY>\n" + _header(site, page)
        + f'<div class="title_box"><H1>{escape(page.headline)}</H1>\n'
        + f'<div class="pubtime"><font color="#666">{escape(page.byline)}</font></div></div>\n'
        + f'<div class="article_box"><div class="TRS_Editor">\n{body}\n</div>\n{after}'
        + "</span></div>\n"  # stray close tag, as real pages have
        + page.hidden_html + footer + "</BODY>\n</HTML>\n"
    )
    return html, [*page.paragraphs, *page.after, *footer_lines]


def render_hijack(site: Site, page: Page) -> tuple[str, list[str]]:
    """Bare template of hijacked pages: brand h1 and time line around the copied text."""
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    footer_parts = [f"<p>{escape(line)}</p>" for line in page.footer_extra]
    lines = list(page.footer_extra)
    if page.footer_links:
        footer_parts.append(
            "<p>" + " ".join(f'<a href="{page.home}">{escape(t)}</a>' for t in page.footer_links) + "</p>"
        )
        lines.append(" ".join(page.footer_links))
    html = (
        _head(site, page) + "<body>\n<div class=\"wrap\">\n"
        + f"<h1>{escape(page.headline)}</h1>\n"
        + f'<div class="time">{escape(page.byline)}</div>\n'
        + f'<div class="content">\n{paras}\n</div>\n</div>\n'
        + page.hidden_html
        + '<div class="foot">\n' + "\n".join(footer_parts) + "\n</div>\n</body>\n</html>\n"
    )
    return html, [*page.paragraphs, *lines]


def render_promo(site: Site, page: Page, rules: list[str]) -> tuple[str, list[str]]:
    """Gambling promotion page: register/deposit menu, pitch paragraphs, bonus rule list."""
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in page.paragraphs)
    items = "\n".join(f"<li>{escape(r)}</li>" for r in rules)
    footer, footer_lines = _footer(site, page)
    html = (
        _head(site, page) + "<body>\n" + _header(site, page)
        + f'<div class="banner"><a href="{page.home}">立即注册</a> <a href="{page.home}">充值中心</a></div>\n'
        + '<div class="post">\n'
        + f"<h1>{escape(page.headline)}</h1>\n<div class=\"meta\">{escape(page.byline)}</div>\n"
        + f'<div class="post-body">\n{paras}\n<ul>\n{items}\n</ul>\n</div>\n</div>\n'
        + footer + "</body>\n</html>\n"
    )
    return html, [*page.paragraphs, *rules, *footer_lines]


def render_index(site_name: str, intro: str, links: list[tuple[str, str]], lang: str = "zh-CN",
                 charset: str = "utf-8") -> str:
    """A list page: links only, no article (the spider must not yield it)."""
    items = "\n".join(
        f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in links
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="{charset}">\n'
        f"<title>{escape(site_name)}</title>\n</head>\n<body>\n"
        f'<div class="header"><div class="logo">{escape(site_name)}</div></div>\n'
        f'<div class="intro">{escape(intro)}</div>\n<ul class="list">\n{items}\n</ul>\n'
        f'<div class="footer"><p>{escape(site_name)} 版权所有</p></div>\n</body>\n</html>\n'
    )
