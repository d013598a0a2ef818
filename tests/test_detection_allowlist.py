"""The allowlist: reviewers' decisions that a domain, URL or term is innocent."""

from __future__ import annotations

from pathlib import Path

import pytest
from detection_examples import PROMO, hijacked_page, page

from pipelines.detection import Allowlist, AllowlistError, Detector


def test_missing_file_is_an_empty_allowlist(tmp_path: Path) -> None:
    allowlist = Allowlist.load(tmp_path / "none.txt")
    assert not allowlist
    assert not allowlist.allows_url("https://example.com/")


def test_domains_cover_subdomains_and_patterns_match(tmp_path: Path) -> None:
    path = tmp_path / "allow.txt"
    path.write_text("# reviewed\ndomain:news.example.org\nurl:^https://blog\\.example\\.net/2024/\n"
                    "term:金沙\n", encoding="utf-8")
    allowlist = Allowlist.load(path)
    assert allowlist.allows_url("https://m.news.example.org/a/1.html")
    assert not allowlist.allows_url("https://evilnews.example.org.cn/")
    assert allowlist.allows_url("https://blog.example.net/2024/05/x")
    assert not allowlist.allows_url("https://blog.example.net/2023/05/x")


def test_malformed_line_reports_path_and_line_number(tmp_path: Path) -> None:
    path = tmp_path / "allow.txt"
    path.write_text("domain:ok.example\nthis is wrong\n", encoding="utf-8")
    with pytest.raises(AllowlistError, match=r"allow\.txt:2"):
        Allowlist.load(path)
    path.write_text("url:([\n", encoding="utf-8")
    with pytest.raises(AllowlistError, match=r"allow\.txt:1.*regex"):
        Allowlist.load(path)


def test_add_appends_lines_that_load_back(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "allow.txt"
    Allowlist.add(path, "domain", "news.example.org")
    Allowlist.add(path, "term", "星耀汇")
    allowlist = Allowlist.load(path)
    assert allowlist.allows_url("https://news.example.org/x")
    assert "星耀汇" in allowlist.terms
    with pytest.raises(AllowlistError):
        Allowlist.add(path, "colour", "red")


def test_allowlisted_domain_is_always_clean(tmp_path: Path) -> None:
    path = tmp_path / "allow.txt"
    path.write_text("domain:casino.example\n", encoding="utf-8")
    doc = page("金泰彩票app", *PROMO, url="https://www.casino.example/promo")
    assert Detector().analyze(doc).verdict == "rejected"
    verdict = Detector(allowlist=Allowlist.load(path)).analyze(doc)
    assert verdict.verdict == "clean" and verdict.cleaned == doc


def test_allowlisted_term_never_counts_as_a_match(tmp_path: Path) -> None:
    path = tmp_path / "allow.txt"
    path.write_text("term:新葡京\n", encoding="utf-8")
    doc = page("新葡京_新葡京", "新葡京2024-03-02 10:15", *hijacked_page().text.split("\n")[2:8])
    detector = Detector(allowlist=Allowlist.load(path))
    ctx, _ = detector.score(doc)
    assert all(m.term != "新葡京" for m in ctx.title.matches + ctx.text.matches)
    assert "lexicon" not in ctx.brands.get("新葡京", set())
