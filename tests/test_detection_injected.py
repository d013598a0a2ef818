"""Injected promo lines, hidden links, header/title checks on real-looking headlines.

Invented brands and text (never corpus pages); each polluted shape has a hard negative.
"""

from __future__ import annotations

import pytest
from detection_examples import NEWS, NEWS2, POLICE, page, reasons_of

from pipelines.detection import Detector
from pipelines.detection.context import Context
from pipelines.detection.headlines import body_headline, title_matches_body
from pipelines.detection.signals.lexicon_density import region_densities

WARNING = [
    "近期，一些不法分子打着“彩票APP”“稳赚计划”的旗号，在网上诱导群众下载所谓的投注软件。记者调查发现，这类软件多是境外赌博平台的马甲。",
    "受害人小李说，他起初在软件里充值几百元，很快就“赢”了一笔钱，但想提现时却被要求继续充值“解冻”，最终损失了五万多元。",
    "民警提醒，我国没有批准任何互联网销售彩票业务，凡是在网上销售彩票、提供“计划”“带单”服务的，都涉嫌违法犯罪。",
    "市民如遇到类似情况，应立即停止充值，保存好聊天记录和转账凭证，第一时间拨打110报警。",
    "（记者 王敏 通讯员 李涛）",
    "关于我们 | 联系我们 | 网站地图",
    "城南晚报社主办 版权所有",
]


# ---------------------------------------------------------------- headers over real articles
def test_warning_against_lottery_apps_is_clean(detector: Detector) -> None:
    doc = page("警惕！这些“彩票APP”其实是网络赌博陷阱_城南晚报在线", *WARNING)
    found = reasons_of(detector, doc)
    assert "header_mismatch" not in found
    assert "title_stuffing" not in found  # a generic word inside a sentence-like headline
    assert detector.analyze(doc).verdict == "clean"


def test_reporter_and_footer_lines_are_not_headlines(detector: Detector) -> None:
    ctx = Context(page("鸿运贵宾会", *WARNING), detector.lexicon)
    assert body_headline(ctx) is None
    ctx = Context(page("鸿运贵宾会", "（记者 王敏）", "市区公交增开十二条春运线路", *NEWS), detector.lexicon)
    headline = body_headline(ctx)
    assert headline is not None and headline.raw == "市区公交增开十二条春运线路"


def test_title_body_agreement() -> None:
    lexicon = Detector().lexicon
    own = page("市区春运期间增开公交线路十二条_城市新闻网", *NEWS)
    assert title_matches_body(Context(own, lexicon))
    hijack = page("鸿运贵宾会_鸿运贵宾会", "鸿运贵宾会2024-03-02 10:15", *NEWS)
    assert not title_matches_body(Context(hijack, lexicon))


def test_brand_title_over_another_article_still_mismatches(detector: Detector) -> None:
    doc = page("鸿运贵宾会", "鸿运贵宾会2024-03-02 10:15", "市区公交增开十二条春运线路******", *NEWS)
    assert "header_mismatch" in reasons_of(detector, doc)


def test_named_brand_title_still_stuffs(detector: Detector) -> None:
    found = reasons_of(detector, page("金泰彩票app官网-金泰彩票app注册登录入口-金泰彩票app下载", *NEWS))
    assert found["title_stuffing"].score >= 0.8


# ---------------------------------------------------------------- brands found by title shape
def test_name_in_parentheses_title_is_a_brand(detector: Detector) -> None:
    doc = page("鑫沙365国际(鑫沙365国际)", "鑫沙365国际2022-08-05 06:59", "古镇迎来客流高峰******", *NEWS)
    assert detector.analyze(doc).verdict == "rejected"


def test_name_plus_action_title_with_brand_lines_is_spliced(detector: Detector) -> None:
    doc = page("龙鑫京网投入口", "龙鑫京网投", "市区公交增开十二条春运线路", *NEWS, "龙鑫京网投",
               "春耕备耕正当时 专家下田来指导", *NEWS2, "龙鑫京网投地图")
    verdict = detector.analyze(doc)
    assert verdict.verdict == "rejected"


def test_download_headline_over_own_article_is_not_a_brand(detector: Detector) -> None:
    doc = page("市民热线应用下载量突破百万_城市新闻网", *NEWS)
    assert detector.analyze(doc).verdict == "clean"


# ---------------------------------------------------------------- injected promo lines
INJECTED = [
    "推荐：顺宝88网投官方网站入口 www.fcccr88.cc",
    "想赢大奖就来乐吉365彩票，每日返水2%",
    "新亿9体育：www.hhr88.vip",
    "金泰彩票ＡＰＰ官网注册送３８元彩金，充值秒到账",
]


@pytest.mark.parametrize("line", INJECTED)
def test_injected_promo_line_is_removed_and_article_kept(detector: Detector, line: str) -> None:
    doc = page("市区公交增开十二条春运线路_城市新闻网", *NEWS[:3], line, *NEWS[3:])
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned", verdict.reasons
    assert verdict.cleaned is not None and line not in verdict.cleaned.text
    assert all(text in verdict.cleaned.text for text in NEWS)
    assert any(a.reason == "injected_lines" for a in verdict.actions)


def test_several_injected_lines_on_a_short_article_are_cleaned_not_rejected(detector: Detector) -> None:
    doc = page("市区公交增开十二条春运线路_城市新闻网", "【星耀汇娱乐】" + NEWS[0], NEWS[1],
               "金泰彩票ＡＰＰ官网注册送３８元彩金，充值秒到账", NEWS[2])
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned"
    assert verdict.cleaned is not None
    assert verdict.cleaned.text.startswith(NEWS[0]) and "彩金" not in verdict.cleaned.text


def test_bracket_brand_prefix_in_the_body_is_removed(detector: Detector) -> None:
    doc = page("市区公交增开十二条春运线路_城市新闻网", NEWS[0], NEWS[1], "【鸿万新188棋牌】" + NEWS[2], *NEWS[3:])
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned"
    assert verdict.cleaned is not None and "棋牌" not in verdict.cleaned.text and NEWS[2] in verdict.cleaned.text


@pytest.mark.parametrize("line", [
    "【新华社北京3月2日电】" + NEWS[0],  # outlet dateline
    "上海国际电影节官网：www.siff.com",  # 国际 inside a longer name
    "中国体育彩票官网：www.lottery.gov.cn",  # the official lottery
    "更多精彩内容请关注城市体育 sports.example.com",  # one promo cue only
    "警惕“注册送彩金”陷阱，远离网络赌博",  # a warning, no brand
    "【城南体育】主队逆转取胜 暂升积分榜第三",  # a sports desk's dateline
    "【城南彩票】双色球开出5注一等奖",  # a lottery desk's dateline
    "澳门威尼斯人度假村酒店官网：www.venetian.example.com",  # the hotel, in travel news
    "下载城南体育客户端，看更多精彩比赛",
])
def test_ordinary_short_lines_are_not_injections(detector: Detector, line: str) -> None:
    doc = page("市区公交增开十二条春运线路_城市新闻网", *NEWS[:3], line, *NEWS[3:])
    assert "injected_lines" not in reasons_of(detector, doc)
    assert detector.analyze(doc).verdict == "clean"


def test_police_report_quoting_promo_wording_is_clean(detector: Detector) -> None:
    doc = page("警方破获一起开设赌场案_城市新闻网", *POLICE,
               "警方提醒：所谓“注册送彩金”“每日返水”都是赌博平台的诱饵。")
    assert detector.analyze(doc).verdict == "clean"


def test_promotion_page_with_news_appended_is_still_rejected(detector: Detector) -> None:
    promo = [
        "星耀汇娱乐官网是亚洲领先的线上娱乐平台，注册即送88元彩金。",
        "星耀汇娱乐每日返水高达2%，无上限自动派发。",
        "星耀汇娱乐最新登录入口：www.xyh88.cc，如遇无法访问请联系在线客服。",
        "立即注册星耀汇娱乐账号，完善资料即可领取体验金18元。",
        "首存加送30%，次存加送20%，优惠活动长期有效。",
    ]
    doc = page("星耀汇娱乐官网-星耀汇娱乐注册登录入口-星耀汇娱乐app下载", *promo, "最新资讯", *NEWS, *NEWS2)
    verdict = detector.analyze(doc)
    assert verdict.verdict == "rejected" and verdict.family == "promotion"


# ---------------------------------------------------------------- hidden links
def test_hidden_gambling_links_are_removed_from_a_kept_article(detector: Detector) -> None:
    links = [
        {"url": "http://casino.example/", "text": "金沙娱乐场", "how": "display:none"},
        {"url": "http://weinisi88.example/", "text": "威尼斯人官网", "how": "display:none"},
        {"url": "http://xpj.example/", "text": "新葡京APP下载", "how": "display:none"},
        {"url": "http://city.example/about", "text": "关于我们", "how": "display:none"},
    ]
    doc = page("市区公交增开十二条春运线路_城市新闻网", *NEWS, hidden_links=links)
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned"
    assert verdict.cleaned is not None
    assert verdict.cleaned.hidden_links == [links[3]]
    removed = [a for a in verdict.actions if a.action == "remove_hidden_link"]
    assert [a.text for a in removed] == ["金沙娱乐场", "威尼斯人官网", "新葡京APP下载"]
    assert all(a.field == "hidden_links" for a in removed)
    assert verdict.cleaned.text == doc.text


def test_hijacked_page_with_hidden_links_stays_rejected(detector: Detector) -> None:
    links = [{"url": "http://casino.example/", "text": "金沙娱乐场", "how": "display:none"}]
    doc = page("鸿运贵宾会_鸿运贵宾会", "鸿运贵宾会2024-03-02 10:15", "市区公交增开十二条春运线路******", *NEWS,
               "鸿运贵宾会", "鸿运贵宾会地图", hidden_links=links)
    assert detector.analyze(doc).verdict == "rejected"


# ---------------------------------------------------------------- density by region
def test_region_densities_locate_the_gambling_vocabulary(detector: Detector) -> None:
    lines = NEWS + NEWS2 + ["注册送彩金，百家乐、老虎机、真人视讯天天返水"]
    ctx = Context(page("市区公交增开十二条春运线路", *lines), detector.lexicon)
    regions = region_densities(ctx)
    assert set(regions) == {"title", "head", "body", "tail"}
    assert regions["tail"] > 0 and regions["head"] == 0 and regions["title"] == 0


def test_synthetic_evaluation_reports_every_pattern() -> None:
    from pipelines.detection.evaluate import evaluate_synthetic

    result = evaluate_synthetic(80, seed=3)
    assert result["clean_rejected"] == 0 and result["clean_altered"] == 0
    assert result["polluted_caught"] >= 0.9
    polluted = [c for p, c in result["per_pattern"].items() if "caught" in c]
    assert polluted and all(c["pages"] >= c["caught"] for c in polluted)
