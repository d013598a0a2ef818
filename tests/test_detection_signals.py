"""Each signal fires on a polluted example and stays quiet on a hard negative."""

from __future__ import annotations

from detection_examples import (
    NEWS,
    NEWS2,
    POLICE,
    PROMO,
    clean_news,
    hijacked_page,
    page,
    reasons_of,
)

from pipelines.detection import Detector


def test_clean_news_page_is_clean_and_untouched(detector: Detector) -> None:
    doc = clean_news()
    verdict = detector.analyze(doc)
    assert verdict.verdict == "clean"
    assert verdict.cleaned == doc
    assert verdict.actions == []


def test_hijacked_page_fires_header_and_structure_signals(detector: Detector) -> None:
    found = reasons_of(detector, hijacked_page())
    for name in ("title_stuffing", "header_mismatch", "byline_keyword", "keyword_lines",
                 "headline_markers", "splicing", "footer_lines", "unknown_brand"):
        assert name in found, name


def test_title_stuffing(detector: Detector) -> None:
    found = reasons_of(detector, page("金泰彩票app充值-金泰彩票app网址", *NEWS))
    assert found["title_stuffing"].score >= 0.8
    assert "title_stuffing" not in reasons_of(detector, page("全民健身体彩杯社区运动会开幕", *NEWS))


def test_title_mentioning_a_casino_in_a_gambling_report_scores_low(detector: Detector) -> None:
    title = "警方调查发现，境外赌场仿照澳门葡京赌场的模式设立贵宾厅，专门招揽内地赌客前往参与赌博活动"
    reason = reasons_of(detector, page(title, *POLICE)).get("title_stuffing")
    assert reason is None or reason.score < 0.5


def test_header_mismatch_needs_a_different_body_headline(detector: Detector) -> None:
    hijacked = page("鸿运贵宾会", "鸿运贵宾会2024-03-02 10:15", "市区公交增开十二条春运线路******", *NEWS)
    assert "header_mismatch" in reasons_of(detector, hijacked)
    assert "header_mismatch" not in reasons_of(detector, clean_news())


def test_weak_suffix_title_over_unrelated_headline(detector: Detector) -> None:
    doc = page("宏图娱乐新闻", "", "市区公交增开十二条春运线路", "作者:admin 发布于:2024-03-02 10:15", *NEWS)
    found = reasons_of(detector, doc)
    assert "header_mismatch" in found
    verdict = detector.analyze(doc)
    assert verdict.cleaned is not None and verdict.cleaned.title == "市区公交增开十二条春运线路"


def test_byline_keyword(detector: Detector) -> None:
    found = reasons_of(detector, page("市区公交增开线路", "金泰彩票app2024-03-02 10:15", *NEWS))
    assert found["byline_keyword"].evidence[0].text == "金泰彩票app"
    report = page("百家乐比赛在澳门举行", "记者 张三 2024-03-02 报道：澳门新葡京酒店昨日举办百家乐邀请赛", *NEWS)
    assert "byline_keyword" not in reasons_of(detector, report)


def test_keyword_lines(detector: Detector) -> None:
    doc = page("市区公交增开线路", *NEWS[:2], "鸿运贵宾会", *NEWS[2:])
    assert "keyword_lines" in reasons_of(detector, doc)
    assert "keyword_lines" not in reasons_of(detector, page("市区公交", *NEWS[:2], "相关新闻", *NEWS[2:]))


def test_meta_lines(detector: Detector) -> None:
    doc = page("市区公交增开线路", *NEWS, "本文关键词：金泰彩票app，百家乐")
    assert "meta_lines" in reasons_of(detector, doc)
    assert "meta_lines" not in reasons_of(detector, page("市区公交", *NEWS, "关键词：春运 公交 出行"))


def test_headline_marker_alone_is_weak_and_changes_nothing(detector: Detector) -> None:
    doc = page("市区公交增开十二条春运线路", "市区公交增开十二条春运线路******", *NEWS)
    assert reasons_of(detector, doc)["headline_markers"].score < 0.3
    verdict = detector.analyze(doc)
    assert verdict.verdict == "clean" and verdict.cleaned == doc


def test_splicing(detector: Detector) -> None:
    assert reasons_of(detector, hijacked_page())["splicing"].score >= 0.4
    single = page("市区公交增开十二条春运线路", "市区公交增开十二条春运线路******", *NEWS, *NEWS2)
    assert "splicing" not in reasons_of(detector, single)


def test_footer_lines(detector: Detector) -> None:
    doc = page("市区公交增开线路", *NEWS, "鸿运贵宾会地图")
    assert "footer_lines" in reasons_of(detector, doc)
    assert "footer_lines" not in reasons_of(detector, clean_news())


def test_link_cloud(detector: Detector) -> None:
    doc = page("市区公交增开线路", *NEWS, "澳门新葡京", "金泰彩票app", "bet365官网", "鸿运娱乐城")
    assert "link_cloud" in reasons_of(detector, doc)
    related = page("市区公交增开线路", *NEWS, "相关新闻", "春耕备耕正当时", "市区新建三座公园", "地铁五号线开通")
    assert "link_cloud" not in reasons_of(detector, related)


def test_lexicon_density_rejects_promotion(detector: Detector) -> None:
    verdict = detector.analyze(page("金泰彩票app", *PROMO))
    assert verdict.verdict == "rejected" and verdict.family == "promotion"
    assert "lexicon_density" in {r.name for r in verdict.reasons}


def test_legit_context_lowers_density_of_police_reports(detector: Detector) -> None:
    verdict = detector.analyze(page("警方破获一起开设赌场案", *POLICE))
    assert verdict.verdict == "clean"
    names = {r.name for r in verdict.reasons}
    assert "lexicon_density" not in names or "legit_context" in names


def test_hijacked_header_over_police_news_is_still_polluted(detector: Detector) -> None:
    doc = page("鸿运贵宾会_鸿运贵宾会", "鸿运贵宾会2024-03-02 10:15", "警方破获一起开设赌场案******", *POLICE)
    assert detector.analyze(doc).verdict == "rejected"


def test_unknown_brand(detector: Detector) -> None:
    found = reasons_of(detector, page("鸿运贵宾会_鸿运贵宾会", "鸿运贵宾会2024-03-02 10:15", *NEWS))
    assert any("鸿运贵宾会" in e.text for e in found["unknown_brand"].evidence)
    assert "unknown_brand" not in reasons_of(detector, page("国际奥委会召开全会", *NEWS))


def test_mid_sentence_injection(detector: Detector) -> None:
    injected = "景洪市委副书记、金泰体育平台市长等领导出席开幕式，现场来自全国各地的运动员和观众超过两千人。"
    found = reasons_of(detector, page("气排球精英赛开幕", injected, *NEWS))
    assert found["mid_sentence_injection"].evidence[0].text == "金泰体育平台"
    quoted = "阿根廷球迷已经将比赛现场的气氛拉满。《金泰彩票网安卓下载最新app》直到新闻播完大家也没吃上几口饭。"
    assert "mid_sentence_injection" in reasons_of(detector, page("世界杯", quoted, *NEWS))
    prefix = "【鸿运娱乐城2024年03月02日讯】(鸿运娱乐城记者编译报导)周五开奖的超级百万乐透累积奖金将创新高。"
    assert "mid_sentence_injection" in reasons_of(detector, page("乐透", prefix, *NEWS))


def test_mid_sentence_injection_ignores_sponsors_and_book_titles(detector: Detector) -> None:
    sponsor = "本届乒乓球冠军赛由银河娱乐集团呈献，来自二十多个国家和地区的选手参赛，赛事在澳门东亚运动会体育馆举行。"
    book = "他最喜欢的书是《平凡的世界》，每年都会重读一遍，并在读书会上与大家分享自己的心得体会和感悟。"
    assert "mid_sentence_injection" not in reasons_of(detector, page("乒乓球赛", sponsor, book, *NEWS))


def test_obfuscation(detector: Detector) -> None:
    doc = page("市区公交增开线路", "最新消息澳 门*新-葡.京官方网站已经更新，欢迎大家访问浏览。", *NEWS)
    assert "obfuscation" in reasons_of(detector, doc)
    assert "obfuscation" not in reasons_of(detector, page("深化改革 优化社区警务", *NEWS))


def test_url_pattern(detector: Detector) -> None:
    assert "url_pattern" in reasons_of(detector, page("新闻", *NEWS, url="http://casino88.example.com/a"))
    assert "url_pattern" not in reasons_of(detector, page("新闻", *NEWS, url="https://news.example.com/a"))


def test_url_pattern_alone_never_rejects(detector: Detector) -> None:
    verdict = detector.analyze(page("新闻", *NEWS, url="http://x7k2m.casino888.example.com/a"))
    assert verdict.verdict == "clean"


def test_hidden_links(detector: Detector) -> None:
    hidden = [{"url": "http://bet365.example/", "text": "bet365官网", "how": "display:none"}]
    assert "hidden_links" in reasons_of(detector, page("新闻", *NEWS, hidden_links=hidden))
    harmless = [{"url": "https://news.example.com/top", "text": "返回顶部", "how": "display:none"}]
    assert "hidden_links" not in reasons_of(detector, page("新闻", *NEWS, hidden_links=harmless))


def test_meta_keywords_mismatch(detector: Detector) -> None:
    doc = page("新闻", *NEWS, meta_keywords="澳门新葡京,金泰彩票app,百家乐")
    assert "meta_keywords_mismatch" in reasons_of(detector, doc)
    assert "meta_keywords_mismatch" not in reasons_of(detector, page("新闻", *NEWS, meta_keywords="春运,公交"))


def test_canonical_mismatch(detector: Detector) -> None:
    other = page("新闻", *NEWS, url="http://a.mirror.example/1", canonical_url="https://www.news.example.org/1")
    assert "canonical_mismatch" in reasons_of(detector, other)
    same = page("新闻", *NEWS, url="https://m.news.example.org/1", canonical_url="https://www.news.example.org/1")
    assert "canonical_mismatch" not in reasons_of(detector, same)


def test_cloaking_script(detector: Detector) -> None:
    cloak = ('<script>var r=document.referrer;if(r.indexOf("baidu")>-1||r.indexOf("sogou")>-1)'
             '{window.location.href="http://x.example/";}</script>')
    assert "cloaking_script" in reasons_of(detector, page("新闻", *NEWS, html=cloak))
    stats = '<script>var ref=document.referrer; _stats.push(["ref", ref]);</script>'
    assert "cloaking_script" not in reasons_of(detector, page("新闻", *NEWS, html=stats))
