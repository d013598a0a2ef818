"""Synthetic corpus generator: reproducibility, shares, lengths, patterns, HTML and CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pipelines.bench.synthetic import PATTERNS, POLLUTED_PATTERNS, generate, generate_html, main


@pytest.fixture(scope="module")
def thousand() -> list[dict]:
    return list(generate(1000, seed=7))


def test_same_seed_same_output() -> None:
    assert list(generate(60, seed=3)) == list(generate(60, seed=3))
    assert list(generate(60, seed=3)) != list(generate(60, seed=4))


def test_item_shape_and_truth_consistency(thousand: list[dict]) -> None:
    seen_urls: dict[str, dict] = {}
    for item in thousand:
        assert set(item) == {"url", "title", "text", "truth"}
        truth = item["truth"]
        assert truth["pattern"] in PATTERNS
        expected = "polluted" if truth["pattern"] in POLLUTED_PATTERNS else "clean"
        assert truth["label"] == expected
        assert item["text"].split("\n", 1)[0] == item["title"]
        if truth["pattern"] == "reprint":
            original = seen_urls[truth["dup_of"]]  # an EARLIER item
            assert original["truth"]["label"] == "clean"
            assert original["truth"]["dup_of"] is None
        else:
            assert truth["dup_of"] is None
        if truth["label"] == "polluted":
            assert truth["brand"] and truth["brand"] in item["text"]
        assert item["url"] not in seen_urls
        seen_urls[item["url"]] = item


def test_shares_roughly_respected(thousand: list[dict]) -> None:
    n = len(thousand)
    polluted = sum(i["truth"]["label"] == "polluted" for i in thousand) / n
    dups = sum(i["truth"]["dup_of"] is not None for i in thousand) / n
    assert 0.25 <= polluted <= 0.35
    assert 0.15 <= dups <= 0.25
    items = list(generate(500, seed=1, polluted_share=0.6, duplicate_share=0.1))
    assert 0.54 <= sum(i["truth"]["label"] == "polluted" for i in items) / 500 <= 0.66


def test_lengths_in_range(thousand: list[dict]) -> None:
    assert all(1000 <= len(i["text"]) <= 6000 for i in thousand)
    small = list(generate(200, seed=2, min_chars=400, max_chars=900))
    assert all(400 <= len(i["text"]) <= 900 for i in small)


def test_every_pattern_present_for_200() -> None:
    for seed in range(3):
        counts = Counter(i["truth"]["pattern"] for i in generate(200, seed=seed))
        assert set(counts) == set(PATTERNS), counts


def test_brands_are_generated_not_a_fixed_list(thousand: list[dict]) -> None:
    brands = {i["truth"]["brand"] for i in thousand if i["truth"]["brand"]}
    assert len(brands) > 200


def test_pollution_markers(thousand: list[dict]) -> None:
    by_pattern: dict[str, list[dict]] = {}
    for item in thousand:
        by_pattern.setdefault(item["truth"]["pattern"], []).append(item)
    for item in by_pattern["hijacked_news"]:
        assert "******" in item["text"] and f"{item['truth']['brand']}地图" in item["text"]
    promo_terms = ("注册", "充值", "官网", "下载", "入口", "彩金", "返水")
    for item in by_pattern["gambling_promo"]:
        assert sum(term in item["text"] for term in promo_terms) >= 4


def test_generate_html_renders_article() -> None:
    item = next(i for i in generate(30, seed=5) if i["truth"]["pattern"] == "clean")
    page = generate_html(item)
    assert page.startswith("<!DOCTYPE html>")
    assert f"<h1>{item['title']}</h1>" in page
    assert page.count("<p>") >= 3 and "<footer>" in page and "<nav>" in page
    assert (
        generate_html({"url": "u", "title": "<x>", "text": "<x>\nbody & more"}).count("&lt;x&gt;")
        == 2
    )


def test_cli_jsonl_and_html(tmp_path: Path) -> None:
    assert main(["--n", "30", "--out", str(tmp_path / "j"), "--seed", "1"]) == 0
    rows = [
        json.loads(x) for x in (tmp_path / "j" / "synthetic.jsonl").read_text("utf-8").splitlines()
    ]
    assert rows == list(generate(30, seed=1))
    assert main(["--n", "250", "--out", str(tmp_path / "h"), "--html"]) == 0
    site = tmp_path / "h"
    assert len(list((site / "pages").glob("*.html"))) == 250
    assert (site / "index-3.html").exists() and not (site / "index-4.html").exists()
    index = (site / "index.html").read_text("utf-8")
    assert index.count('<li><a href="pages/') == 100 and 'href="index-2.html"' in index
    assert len((site / "truth.jsonl").read_text("utf-8").splitlines()) == 250
