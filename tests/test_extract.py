"""Article extraction: exact ground truth on the demo site, and survival on hostile HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.evaluate_extraction import expected_fields, extracted_fields
from crawler.extract import decode_html, extract_article, looks_like_article

DEMO = Path(__file__).resolve().parents[1] / "crawler" / "demo_site"
ARTICLE_ENTRIES = [
    e for e in json.loads((DEMO / "manifest.json").read_text("utf-8")) if e["expected"] != "index"
]

ARTICLE_HTML = """<html lang="zh-CN"><head><meta charset="utf-8"><title>标题_测试网</title>
<meta name="keywords" content="关键词"><link rel="canonical" href="/a/1.html"></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/news/">新闻中心</a></li></ul></div>
<div class="crumb">当前位置：首页 &gt; 新闻</div>
<h1>市区新建三座口袋公园</h1><div class="info">2023-05-01 08:30 来源：测试日报</div>
<div id="content">
<p>\u3000\u3000今年以来，市区利用边角空地新建了三座口袋公园，方便居民就近休闲。</p>
<p>  公园里设置了健身器材、儿童游乐设施和休息座椅，受到附近居民欢迎。</p>
<script>document.write("广告");</script><style>.x{color:red}</style>
<p>园林部门表示，下半年还将继续推进口袋公园建设，让市民出门见绿。</p>
</div>
<div class="share">分享到：微信 微博</div>
<div class="footer"><p>乐乐彩地图</p><p>版权所有 © 2023 测试日报</p></div>
</body></html>"""


@pytest.mark.parametrize("entry", ARTICLE_ENTRIES, ids=[e["path"] for e in ARTICLE_ENTRIES])
def test_demo_page_extracts_to_its_ground_truth(entry: dict) -> None:
    want, got = expected_fields(entry), extracted_fields(entry, DEMO)
    assert got["title"] == want["title"]
    assert got["headline"] == want["headline"]
    assert got["body"] == want["body"]


def test_article_fields_are_filled() -> None:
    item = extract_article(ARTICLE_HTML.encode("utf-8"), "http://news.example/a/1.html")
    assert item.title == "标题_测试网"
    assert item.headline == "市区新建三座口袋公园"
    assert item.byline == "2023-05-01 08:30 来源：测试日报"
    assert item.published == "2023-05-01T08:30:00"
    assert item.source == "测试日报"
    assert item.canonical_url == "http://news.example/a/1.html"
    assert item.meta_keywords == "关键词"
    assert item.lang == "zh-CN"
    assert item.html is None
    assert {"url": "http://news.example/news/", "text": "新闻中心"} in item.links


def test_body_is_one_paragraph_per_line_with_footer_kept_and_chrome_dropped() -> None:
    lines = extract_article(ARTICLE_HTML, "http://news.example/a/1.html").text.split("\n")
    assert lines == [
        "今年以来，市区利用边角空地新建了三座口袋公园，方便居民就近休闲。",
        "公园里设置了健身器材、儿童游乐设施和休息座椅，受到附近居民欢迎。",
        "园林部门表示，下半年还将继续推进口袋公园建设，让市民出门见绿。",
        "乐乐彩地图",
        "版权所有 © 2023 测试日报",
    ]


def test_keep_html_keeps_the_decoded_page() -> None:
    item = extract_article(ARTICLE_HTML.encode("utf-8"), "http://x/", keep_html=True)
    assert item.html is not None and "口袋公园" in item.html


def test_gbk_bytes_without_any_declared_charset_decode() -> None:
    page = ARTICLE_HTML.replace('<meta charset="utf-8">', "").encode("gbk", "replace")
    item = extract_article(page, "http://x/")
    assert item.headline == "市区新建三座口袋公园"
    assert "口袋公园" in item.text


def test_gb2312_declaration_is_read_as_gb18030() -> None:
    text = "<meta charset=gb2312><p>\u9555\u5d5b字与\u3400扩展字</p>"  # 镕-like chars outside GB2312
    assert decode_html(text.encode("gb18030"), None) == text
    assert decode_html(text.encode("gb18030"), "gb2312") == text


def test_big5_is_detected_with_and_without_a_declaration() -> None:
    text = "<p>社區長者共餐據點擴增，銀髮族午餐有著落，大家都說這個服務很好。</p>"
    assert decode_html(text.encode("big5"), "big5") == text
    assert decode_html(text.encode("big5"), None) == text


def test_utf8_bom_and_wrong_declared_charset() -> None:
    text = "<p>中文内容测试，这是一段普通的新闻文字。</p>"
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"), None) == text
    assert decode_html(text.encode("gbk"), "utf-8") == text  # server lies: bytes are GBK


def test_malformed_html_with_unclosed_tags_still_yields_lines() -> None:
    page = ("<html><body><h1>新闻标题<div id=content><p>第一段内容，没有闭合标签"
            "<p>第二段<b>加粗</span>内容。<div><<>>&&; garbage </table></td>"
            "<p>第三段\u3000\u3000内容。")
    item = extract_article(page, "http://x/")
    assert "第一段内容，没有闭合标签" in item.text.split("\n")
    assert "第二段加粗内容。" in item.text.split("\n")


@pytest.mark.parametrize("body", [b"", "", b"   ", b"\x00\x00\x00"])
def test_empty_documents_give_an_empty_item(body: bytes | str) -> None:
    item = extract_article(body, "http://x/")
    assert item.url == "http://x/"
    assert (item.title, item.headline, item.text) == ("", "", "")


def test_binary_garbage_gives_empty_text() -> None:
    garbage = bytes((i * 7919 + 13) % 256 for i in range(20000))
    item = extract_article(garbage, "http://x/")
    assert item.text == ""


def test_deep_nesting_neither_raises_nor_loses_the_text() -> None:
    page = "<html><body><h1>标题</h1>" + "<div>" * 5000 + "深层文字。" * 10 + "</div>" * 5000
    item = extract_article(page, "http://x/")
    assert "深层文字。" in item.text


HIDING = {
    "display:none": '<div style="display: none">{a}</div>',
    "visibility:hidden": '<span style="visibility:hidden">{a}</span>',
    "font-size:0": '<p style="font-size:0px">{a}</p>',
    "width:0": '<div style="width:0;overflow:hidden">{a}</div>',
    "height:0": '<div style="height:0;overflow:hidden">{a}</div>',
    "offscreen": '<div style="position:absolute;left:-9999px">{a}</div>',
    "marquee": "<marquee>{a}</marquee>",
    "hidden-attribute": "<div hidden>{a}</div>",
    "css-class": '<style>.seo , .x{{display:none}}</style><div class="box seo">{a}</div>',
}


@pytest.mark.parametrize("how", sorted(HIDING))
def test_hidden_links_are_reported_with_the_hiding_method(how: str) -> None:
    anchor = '<a href="/casino">金沙娱乐场</a>'
    page = ARTICLE_HTML.replace("</body>", HIDING[how].format(a=anchor) + "</body>")
    item = extract_article(page, "http://news.example/a/1.html")
    assert item.hidden_links == [
        {"url": "http://news.example/casino", "text": "金沙娱乐场", "how": how}
    ]
    assert "金沙娱乐场" not in item.text
    assert all(link["text"] != "金沙娱乐场" for link in item.links)


def test_visible_styles_are_not_mistaken_for_hiding() -> None:
    anchor = '<div style="font-size:0.9em;border-width:0;min-height:0.5em"><a href="/b">可见</a></div>'
    item = extract_article(ARTICLE_HTML.replace("</body>", anchor + "</body>"), "http://x/")
    assert item.hidden_links == []


def test_looks_like_article_separates_articles_from_list_pages() -> None:
    assert looks_like_article(extract_article(ARTICLE_HTML, "http://x/"))
    links = "".join(f'<li><a href="/n{i}.html">第{i}条新闻标题在这里</a></li>' for i in range(40))
    listing = f"<html><head><title>新闻列表</title></head><body><h1>新闻</h1><ul>{links}</ul></body></html>"
    assert not looks_like_article(extract_article(listing, "http://x/"))


def test_unparseable_urls_in_the_page_do_not_raise() -> None:
    page = ('<html><head><base href="http://[::1"><link rel=canonical href="http://[bad">'
            '</head><body><h1>标题</h1><a href="http://[x">坏链接</a><a href="/ok">好链接</a></body></html>')
    item = extract_article(page, "http://h/a.html")
    assert item.canonical_url == ""
    assert item.links == [{"url": "http://h/ok", "text": "好链接"}]


TAG_SOUP = st.lists(st.sampled_from(
    ["<div>", "</div>", "<p>", "</p>", "<a href=/x>", "</a>", "<br>", "<h1>", "<table><td>",
     "<style>.h{display:none}</style>", '<span class="h">', "<footer>", "<!--", "-->", "<",
     ">", "&", "\u3000", "中文内容。", "彩", "\x00", "<marquee>", "<?xml?>"]), max_size=60)


@settings(max_examples=150, deadline=None)
@given(parts=TAG_SOUP, encode=st.booleans())
def test_any_tag_soup_extracts_without_raising(parts: list[str], encode: bool) -> None:
    page = "".join(parts)
    item = extract_article(page.encode("gb18030") if encode else page, "http://h/")
    assert "\n\n" not in item.text
    assert all(line == line.strip() for line in item.text.split("\n"))
