"""Normalisation folds spam obfuscation away while keeping a map to the original text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.detection.normalize import fold, normalize


def originals(text: str) -> list[str]:
    norm = normalize(text)
    return [text[slice(*norm.span(i, i + 1))] for i in range(len(norm.text))]


def test_separators_between_single_cjk_characters_are_removed() -> None:
    norm = normalize("访问澳 门*威-尼.斯人官网")
    assert norm.text == "访问澳门威尼斯人官网"
    begin, end = norm.span(2, 8)
    assert "访问澳 门*威-尼.斯人官网"[begin:end] == "澳 门*威-尼.斯人"


def test_ordinary_spaced_phrases_are_not_glued() -> None:
    assert normalize("深化改革 优化社区警务").text == "深化改革 优化社区警务"
    assert normalize("新华社记者 张三").text == "新华社记者 张三"


def test_pinyin_glosses_are_removed() -> None:
    assert normalize("網(wǎng)站開設(shè)").text == "网站开设"
    assert normalize("网(wang3)站").text == "网站"


def test_english_parentheses_are_kept() -> None:
    assert normalize("大会(conference)开幕").text == "大会(conference)开幕"


def test_full_width_case_and_traditional_are_folded_one_to_one() -> None:
    text = "ＢＥＴ３６５ 澳門銀河娛樂"
    assert fold(text) == "bet365 澳门银河娱乐"
    assert len(fold(text)) == len(text)


def test_newlines_survive_so_lines_stay_lines() -> None:
    assert normalize("第一行\n第二行\n").text.count("\n") == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("澳门威尼斯人網站 *-.(wǎng)abcＡＢ\n乐彩")), max_size=60))
def test_every_normalised_char_maps_to_its_original(text: str) -> None:
    norm = normalize(text)
    for index, original in enumerate(originals(text)):
        assert len(original) == 1
        assert fold(original) == norm.text[index]
    if norm.text:
        begin, end = norm.span(0, len(norm.text))
        assert 0 <= begin <= end <= len(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_normalising_arbitrary_text_never_fails_and_offsets_increase(text: str) -> None:
    norm = normalize(text)
    positions = [norm.to_original(i) for i in range(len(norm.text))]
    assert positions == sorted(positions)
    assert all(0 <= p < len(text) for p in positions)
