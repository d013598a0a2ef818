"""Cleaning removes injected material, recovers the headline, and never invents text."""

from __future__ import annotations

import pytest
from detection_examples import NEWS, NEWS2, clean_news, hijacked_page, page

from pipelines.detection import Detector
from pipelines.model import Document


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


def injected_page() -> Document:
    return page(
        "气排球精英赛在景洪开幕",
        "【鸿运娱乐城】气排球精英赛在景洪开幕",
        "景洪市委副书记、金泰体育平台市长等领导出席开幕式，现场来自全国各地的运动员和观众超过两千人。",
        *NEWS,
        "本文关键词：金泰体育平台，鸿运娱乐城",
        "鸿运娱乐城地图",
    )


def test_injected_lines_and_spans_are_removed_and_article_kept(detector: Detector) -> None:
    doc = injected_page()
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned"
    cleaned = verdict.cleaned
    assert cleaned is not None
    for junk in ("金泰体育平台", "鸿运娱乐城", "本文关键词"):
        assert junk not in cleaned.text
    assert "景洪市委副书记、市长等领导出席开幕式" in cleaned.text
    assert all(line in cleaned.text for line in NEWS)
    assert {a.reason for a in verdict.actions} >= {"mid_sentence_injection", "meta_lines", "footer_lines"}


def test_action_offsets_point_into_the_original_field(detector: Detector) -> None:
    doc = injected_page()
    for action in detector.analyze(doc).actions:
        original = getattr(doc, action.field)
        assert original[action.start:action.end] == action.text


def test_cleaning_never_adds_text(detector: Detector) -> None:
    doc = injected_page()
    cleaned = detector.analyze(doc).cleaned
    assert cleaned is not None
    remaining = iter(doc.text)
    assert all(char in remaining for char in cleaned.text)  # cleaned text is a subsequence


def test_cleaning_is_idempotent(detector: Detector) -> None:
    first = detector.analyze(injected_page()).cleaned
    assert first is not None
    second = detector.analyze(first)
    assert second.actions == []
    assert second.cleaned == first


@pytest.mark.parametrize("doc", [
    # two brands glued to the byline's timestamp: both go in one cleaning
    Document(text="澳门新葡京乐乐彩2023-01-31 16:05"),
    Document(title="体彩", text="彩票【乐乐彩】乐乐彩2023-01-31 16:05"),
    # cutting 新葡京 from the byline leaves 澳门开奖结果, itself a lottery-tip keyword
    Document(byline="澳门新葡京开奖结果", text="澳门新葡京澳门新葡京"),
], ids=["brand-run", "bracketed-brand-run", "cut-forms-keyword"])
def test_cleaning_a_cleaned_page_removes_nothing_more(detector: Detector, doc: Document) -> None:
    """Found by the property tests: the second cleaning used to remove what the first one
    had left glued to the date, or had created by its own cut."""
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned" and verdict.cleaned is not None
    again = detector.analyze(verdict.cleaned)
    assert not [a for a in again.actions if a.action in ("remove_line", "remove_span")]


def test_a_repeated_bracket_tag_goes_in_one_cleaning(detector: Detector) -> None:
    """【X】【X】 in front of a paragraph lost only its first copy; the second cleaning of
    the kept text removed the other (about one cleaned page in seventy on generated and
    crawled pages)."""
    doc = page(
        "城郊物流园区包裹量增长",
        NEWS[0],
        "瑞丰77娱乐：www.rf77.example",
        "想赢大奖就来瑞丰77娱乐，每日返水2%",
        "【瑞丰77娱乐】【瑞丰77娱乐】" + NEWS[1],
        *NEWS[2:],
    )
    verdict = detector.analyze(doc)
    assert verdict.verdict == "cleaned" and verdict.cleaned is not None
    assert "瑞丰77娱乐" not in verdict.cleaned.text
    assert NEWS[1] in verdict.cleaned.text.split("\n")
    [span] = [a for a in verdict.actions if a.action == "remove_span"]
    assert span.text == "【瑞丰77娱乐】【瑞丰77娱乐】"
    assert detector.analyze(verdict.cleaned).actions == []


def test_clean_page_is_not_altered(detector: Detector) -> None:
    doc = clean_news()
    verdict = detector.analyze(doc)
    assert verdict.verdict == "clean" and verdict.cleaned == doc and verdict.cleaned is not doc


def test_rejected_hijack_plan_recovers_headline(detector: Detector) -> None:
    verdict = detector.analyze(hijacked_page())
    assert verdict.verdict == "rejected" and verdict.family in ("hijacked", "spliced")
    recovered = [a for a in verdict.actions if a.action == "recover_headline"]
    assert recovered and recovered[0].replacement == "市区公交增开十二条春运线路"


def test_salvage_returns_one_article_per_copied_story() -> None:
    verdict = Detector(polluted_action="salvage").analyze(hijacked_page())
    assert verdict.verdict == "cleaned"
    assert [a.title for a in verdict.articles] == ["市区公交增开十二条春运线路", "春耕备耕正当时 专家下田来指导"]
    first, second = verdict.articles
    assert NEWS[0] in first.text and NEWS2[0] not in first.text
    assert NEWS2[0] in second.text
    for article in verdict.articles:
        assert "星耀汇娱乐" not in article.title + article.text
        assert "******" not in article.text


def test_salvage_still_rejects_promotion() -> None:
    from detection_examples import PROMO

    verdict = Detector(polluted_action="salvage").analyze(page("金泰彩票app", *PROMO))
    assert verdict.verdict == "rejected" and verdict.family == "promotion"


def test_clean_false_keeps_injected_text(detector: Detector) -> None:
    verdict = Detector(clean=False).analyze(injected_page())
    assert verdict.verdict != "cleaned"
