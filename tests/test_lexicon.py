"""The lexicon is data: users extend it with files, and bad files fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.detection import Detector, Lexicon, LexiconError
from pipelines.detection.normalize import normalize
from pipelines.model import Document


def categories(lexicon: Lexicon, text: str) -> set[tuple[str, str]]:
    return {(m.term, m.category) for m in lexicon.find(normalize(text).text)}


def test_bundled_lexicon_matches_traditional_and_full_width() -> None:
    found = categories(Lexicon.load(), "澳門新葡京 ＢＥＴ３６５ 百家樂")
    assert {("新葡京", "brand"), ("bet365", "brand"), ("百家乐", "game")} <= found


def test_latin_terms_match_whole_words_only() -> None:
    lexicon = Lexicon.load()
    assert ("bet", "game") not in categories(lexicon, "the better choice")
    assert ("slot gacor", "game") in categories(lexicon, "slot gacor hari ini")
    assert not {t for t, _ in categories(lexicon, "slotted poker-faced")} & {"slot"}


def test_longer_term_wins_over_contained_term_of_same_category() -> None:
    terms = [m.term for m in Lexicon.load().find("新葡京") if m.category == "brand"]
    assert terms == ["新葡京"]


def test_extension_file_adds_categorised_and_bare_terms(tmp_path: Path) -> None:
    extra = tmp_path / "mine.txt"
    extra.write_text("# my brands\n星耀汇\ngame_types\t龙虎榜单\nlegit\t市监局\n", encoding="utf-8")
    found = categories(Lexicon.load([str(extra)]), "星耀汇推出龙虎榜单，市监局介入")
    assert {("星耀汇", "brand"), ("龙虎榜单", "game"), ("市监局", "legit")} <= found


def test_extension_brand_is_detected_as_a_brand(tmp_path: Path) -> None:
    extra = tmp_path / "brands.txt"
    extra.write_text("宏图\n", encoding="utf-8")
    doc = Document(title="市区公交增开十二条春运线路", text="宏图2024-03-02 10:15\n市区公交增开十二条春运线路\n" + "本报讯 市区公交增开线路。" * 5)
    _, reasons = Detector(lexicon_files=[str(extra)]).score(doc)
    assert "byline_keyword" in {r.name for r in reasons}
    _, reasons = Detector().score(doc)
    assert "byline_keyword" not in {r.name for r in reasons}


def test_unknown_category_names_file_and_line(tmp_path: Path) -> None:
    extra = tmp_path / "bad.txt"
    extra.write_text("brand\t甲\nnonsense\t乙\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.txt.*term 2.*nonsense"):
        Lexicon.load([str(extra)])


def test_unreadable_lexicon_file_fails_at_detector_construction(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="missing.txt"):
        Detector(lexicon_files=[str(tmp_path / "missing.txt")])
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(LexiconError, match="binary.txt"):
        Detector(lexicon_files=[str(binary)])
