"""The quiet-page screen and the signals' cheap prechecks change no verdict.

``Detector.score`` skips the signals when ``pipelines.detection.screen.quiet`` says no
signal can fire, and several signals skip building the body's lines when the body lacks
what they look for. Both are only worth having if they are invisible: these tests run the
same pages with the screen on and off (the full analysis) and compare everything a caller
sees — verdict, score, reasons with evidence, cleaning actions, family and the cleaned
and salvaged documents — on the labelled corpus, the demo site and synthetic pages.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest

from crawler.extract import extract_article
from pipelines.bench.synthetic import generate, generate_html
from pipelines.detection.context import Context
from pipelines.detection.detector import Detector
from pipelines.detection.evaluate import page_document, swap_brands
from pipelines.detection.screen import quiet
from pipelines.fields import FieldMap
from pipelines.model import Document
from pipelines.normalize import prepare_document


def _answer(detector: Detector, doc: Document) -> dict:
    verdict = detector.analyze(doc)
    return {"verdict": verdict.to_dict(), "family": verdict.family,
            "cleaned": asdict(verdict.cleaned) if verdict.cleaned else None,
            "articles": [asdict(article) for article in verdict.articles]}


def _synthetic_docs() -> list[Document]:
    fieldmap = FieldMap({})
    docs = []
    for item in generate(200, seed=5):
        item.pop("truth")
        docs.append(prepare_document(dict(item), fieldmap))
    for item in generate(100, seed=6, min_chars=200, max_chars=1500):  # short pages: quieter
        item.pop("truth")
        docs.append(prepare_document(dict(item), fieldmap))
    for item in generate(30, seed=8):  # through the HTML extractor (bylines, canonical URLs)
        item.pop("truth")
        document, _ = fieldmap.read(extract_article(generate_html(item), item["url"], keep_html=True))
        docs.append(document)
    return docs


def _demo_docs(demo_dir, manifest) -> list[Document]:
    fieldmap = FieldMap({})
    docs = []
    for entry in manifest:
        page = demo_dir / entry["path"]
        article = extract_article(page.read_bytes(), f"http://demo.test/{entry['path']}", keep_html=True)
        document, _ = fieldmap.read(article)
        docs.append(document)
    return docs


@pytest.mark.parametrize("action", ["reject", "salvage"])
def test_screen_changes_no_verdict(action, corpus_pages, demo_dir, manifest):
    fast = Detector(polluted_action=action)
    full = Detector(polluted_action=action, screen=False)
    docs = [page_document(row["text"], row.get("url", "")) for row in corpus_pages]
    docs += [swap_brands(full, doc, index * 7) for index, doc in enumerate(docs[:50])]
    docs += _demo_docs(demo_dir, manifest)
    if action == "reject":
        docs += _synthetic_docs()
    screened = 0
    for doc in docs:
        assert _answer(fast, doc) == _answer(full, doc), (doc.url, doc.title)
        screened += quiet(Context(doc, fast.lexicon, fast.allowlist), fast.signals)
    assert screened >= 10  # the screen was exercised, not merely never taken


def test_quiet_page_is_clean_with_score_zero():
    detector = Detector()
    doc = Document(url="https://news.example.com/a.html", title="市区公交增开十二条春运线路",
                   text="市交通局昨日宣布，春运期间增开十二条公交线路。\n市民可通过公交站牌查询发车时间。")
    ctx = Context(doc, detector.lexicon)
    assert quiet(ctx, detector.signals)
    verdict = detector.analyze(doc)
    assert verdict.to_dict() == Detector(screen=False).analyze(doc).to_dict()
    assert (verdict.verdict, verdict.score, verdict.reasons, verdict.actions) == ("clean", 0, [], [])


@pytest.mark.parametrize("text", [
    "乐乐彩\n正文第一段，讲的是城市交通。",  # a brand alone on a line
    "正文\n下载《彩神彩票网安卓最新app》了解更多",  # a quoted app name
    "【鸿运国际】市区公交增开线路\n正文",  # a bracket prefix
    "标题******\n正文",  # a headline marker
    "推荐：金沙娱乐城官方网站入口 www.js88.com",  # a promo line
])
def test_pages_with_material_are_not_screened(text):
    detector = Detector()
    ctx = Context(Document(title="新闻", text=text), detector.lexicon)
    assert not quiet(ctx, detector.signals)


def test_lines_hold_the_same_hits_as_the_text():
    """Lines hand out the body's hits lazily: each line's hits are the body's hits that
    start on it, in line-relative offsets."""
    detector = Detector()
    doc = Document(title="t", text="投注官网\n\n  彩票app下载 注册送彩金\n普通的一行\n最后 澳门赌场")
    ctx = Context(doc, detector.lexicon)
    counts = [line.match_count for line in ctx.lines]  # before the hits are built
    rebuilt = [(line.nstart + m.start, line.nstart + m.end, m.term, m.category)
               for line in ctx.lines for m in line.matches]
    assert rebuilt == [tuple(m) for m in ctx.text.matches]
    assert counts == [len(line.matches) for line in ctx.lines] and sum(counts) >= 5
    assert [line.stripped for line in ctx.content_lines] == [s for _, s in ctx.content_texts]


def test_brandish_tokens_equal_a_full_scan():
    """``injected_lines.brandish_tokens`` tries the brand pattern only near a gambling
    suffix; on random mixes of names, digits, suffixes and prose it finds exactly what a
    scan of every position finds."""
    import random

    from pipelines.detection.signals.injected_lines import BRANDISH, brandish_tokens

    pieces = ["娱乐城", "贵宾会", "棋牌", "网投", "彩票", "博彩", "娱乐", "国际", "体育", "平台", "彩",
              "app", "ap", "8", "88", "1234", "12345", "bet", "abcdefghij", "abcdefghijk", "x",
              "金", "沙", "鸿", "运", "的", "，", " ", "。", "票", "城", "乐", "际"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        expected = [(m.span(), m.group("digits"), m.group("suffix")) for m in BRANDISH.finditer(text)]
        assert [(m.span(), m.group("digits"), m.group("suffix")) for m in brandish_tokens(text)] == expected, text


def test_keyword_lines_separator_set_covers_what_the_pattern_splits_on():
    """``keyword_lines`` skips lines whose first character is neither a separator (in
    ``SEPARATOR_CHARS`` or whitespace) nor the start of a page brand. That shortcut is
    exact only if every character ``SEPARATORS`` splits on counts as a separator there,
    for every code point (the converse may fail: U+001C..U+001F are ``isspace()`` but not
    ``\\s``, which only sends such lines down the full test)."""
    import sys

    from pipelines.detection.signals.keyword_lines import SEPARATOR_CHARS, SEPARATORS

    missed = [hex(code) for code in range(sys.maxunicode + 1)
              if SEPARATORS.fullmatch(chr(code))
              and not (chr(code) in SEPARATOR_CHARS or chr(code).isspace())]
    assert not missed
    assert all(SEPARATORS.fullmatch(char) for char in SEPARATOR_CHARS)


def test_meta_lines_prefix_test_sees_every_line_the_pattern_accepts():
    """``meta_lines`` only tests stripped lines starting with one of ``LINE_STARTS``.
    That is exact if ``str.strip()`` removes every character ``META_LINE``'s leading
    ``\\s*`` can skip, and every label ``META_LINE`` accepts starts with one of them."""
    import sys

    import regex

    from pipelines.detection.signals.meta_lines import LINE_STARTS, META_LINE

    space = regex.compile(r"\s")
    assert not [hex(code) for code in range(sys.maxunicode + 1)
                if space.fullmatch(chr(code)) and chr(code).strip()]
    for label in ("本文关键词", "关键词", "关键字", "文章摘要", "摘要", "标签", "tag", "tags",
                  "keyword", "keywords"):
        assert META_LINE.match(f" {label}: x") and label.startswith(LINE_STARTS), label


def test_folding_without_deletions_keeps_the_line_breaks():
    """``Context._split_lines`` pairs normalised lines with the original's by position
    when normalisation deleted nothing; that needs folding never to make or change a
    ``\\n``. Checked for every code point (surrogates cannot be in scrubbed text)."""
    import sys

    from pipelines.detection.normalize import normalize

    wrong = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b\nc"
        folded = normalize(text)
        if not folded._points and folded.text.count("\n") != text.count("\n"):
            wrong.append(hex(code))
    assert not wrong


def test_host_memo_agrees_with_urlsplit():
    """``url_pattern.host_of`` memoises hosts by the URL's ``scheme://netloc`` prefix; the
    answer (host, "" or None for a malformed netloc) must be urlsplit's for the whole URL,
    including the shapes the prefix test sends past the memo."""
    from pipelines.detection.signals.url_pattern import _parsed_host, host_of

    urls = ["http://Example.COM/a?b#c", "https://a.b.example:8080/x", "http://u:p@Host.cn?q=1",
            "https://[::1]:80/p", "http://[bad/x", "http://bad]/x", "https://ｅｘａｍｐｌｅ.com/",
            "http://h.example#frag", "http://", "https://x.example/a//b", "HTTP://Up.Example/",
            "http://a\t.example/", " http://lead.example/", "http://a.example\n/b", "ftp://f.example/",
            "//nos.example/", "http:/one.example/", "https://h.example?x=http://o.example/"]
    for url in urls:
        for _ in range(2):  # the second call answers from the memo
            assert host_of(url) == _parsed_host(url), url
