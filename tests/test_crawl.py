"""The main job end to end: ``scrapy crawl articles`` on the demo site, as the README runs it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from tests.crawl_helpers import load_manifest, page_path, run_crawl

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("crawl")
    result = run_crawl(workdir, settings={"SPAMSIEVE_STATE_DIR": str(workdir / "state")})
    assert result.returncode == 0, result.log[-3000:]
    return result


def article_pages() -> list[dict]:
    return [p for p in load_manifest() if p["expected"] != "index"]


def test_every_article_page_is_kept_or_rejected_exactly_once(demo_crawl) -> None:
    seen = Counter(page_path(i["url"]) for i in demo_crawl.kept)
    seen.update(page_path(r["url"]) for r in demo_crawl.rejected)
    expected = {p["path"] for p in article_pages()}
    assert set(seen) == expected
    assert [path for path, n in seen.items() if n != 1] == []


def test_outcomes_match_the_manifest(demo_crawl) -> None:
    kept = {page_path(i["url"]): i for i in demo_crawl.kept}
    rejected = {page_path(r["url"]): r for r in demo_crawl.rejected}
    wrong = []
    for page in article_pages():
        path = page["path"]
        if page["kind"] == "reprint":  # which copy survives depends on crawl order
            if path not in kept and rejected.get(path, {}).get("stage") != "duplicate":
                wrong.append((path, "kept or duplicate", rejected.get(path, {}).get("reason")))
        elif page["expected"] in ("clean", "cleaned"):
            if path not in kept:
                wrong.append((path, page["expected"], rejected.get(path, {}).get("reason")))
            elif kept[path]["spamsieve"]["verdict"] != page["expected"]:
                wrong.append((path, page["expected"], kept[path]["spamsieve"]["verdict"]))
        elif page["expected"] == "rejected":
            got = rejected.get(path)
            if got is None or got["stage"] != page.get("stage", got["stage"]):
                wrong.append((path, page["expected"], got and got["stage"]))
    assert wrong == []


def test_each_duplicate_group_is_kept_once(demo_crawl) -> None:
    kept_groups = Counter()
    groups = defaultdict(list)
    by_path = {p["path"]: p for p in article_pages()}
    for item in demo_crawl.kept:
        page = by_path[page_path(item["url"])]
        if page.get("dup_group"):
            kept_groups[page["dup_group"]] += 1
    for page in article_pages():
        if page["kind"] == "reprint" or (page.get("dup_group") and page["expected"] != "rejected"):
            groups[page["dup_group"]].append(page["path"])
    assert {g: kept_groups[g] for g in groups} == {g: 1 for g in groups}
    for record in demo_crawl.rejected:
        if record["stage"] == "duplicate":
            assert record["reason"] == "near_duplicate"
            assert record["duplicate_of"] and record["distance"] is not None


def test_rejections_carry_reasons_and_the_original_item(demo_crawl) -> None:
    for record in demo_crawl.rejected:
        assert record["reason"] and record["message"]
        assert record["item"]["url"] == record["url"]
        if record["stage"] == "gambling":
            assert record["reasons"] and all(r["evidence"] for r in record["reasons"])


def test_kept_items_are_annotated_and_readable(demo_crawl) -> None:
    for item in demo_crawl.kept:
        assert item["text"] and item["spamsieve"]["verdict"] in ("clean", "cleaned")
    raw = (demo_crawl.workdir / "output" / "kept.jsonl").read_text("utf-8")
    assert "\\u" not in raw  # UTF-8, not escaped


def test_summary_line_accounts_for_every_item(demo_crawl) -> None:
    match = re.search(r"spamsieve: (\d+) items: (\d+) kept .*?, (\d+) rejected", demo_crawl.log)
    assert match, demo_crawl.log[-2000:]
    total, kept, rejected = map(int, match.groups())
    assert (kept, rejected) == (len(demo_crawl.kept), len(demo_crawl.rejected))
    assert total == kept + rejected == len(article_pages())


def test_dropped_log_lines_are_short(demo_crawl) -> None:
    dropped = [line for line in demo_crawl.log.splitlines() if "Dropped:" in line]
    assert dropped and max(len(line) for line in dropped) < 400


def test_second_run_with_same_state_keeps_nothing_new(demo_crawl, tmp_path) -> None:
    again = run_crawl(tmp_path, settings={"SPAMSIEVE_STATE_DIR": str(demo_crawl.workdir / "state")})
    assert again.returncode == 0, again.log[-3000:]
    assert again.kept == []
    assert {r["stage"] for r in again.rejected} <= {"gambling", "duplicate"}
    assert len(again.rejected) == len(article_pages())


def test_salvage_keeps_each_spliced_article_with_its_real_headline(tmp_path) -> None:
    result = run_crawl(tmp_path, settings={"SPAMSIEVE_POLLUTED_ACTION": "salvage",
                                           "SPAMSIEVE_DEDUPE_ENABLED": "False"})
    assert result.returncode == 0, result.log[-3000:]
    by_path = {p["path"]: p for p in article_pages()}
    kept_paths = [page_path(i["url"]) for i in result.kept]
    for path, page in by_path.items():
        if page["kind"] == "spliced":
            articles = [i for i in result.kept if page_path(i["url"]) == path]
            assert len(articles) >= 2, path  # one item per recovered article
            titles = {i["title"] for i in articles}
            assert len(titles) == len(articles) and not any("彩" in t for t in titles)
        if page["kind"] == "gambling_promo":
            assert path not in kept_paths  # promotion pages are never salvaged
    assert len(result.kept) + len(result.rejected) > len(article_pages())


def test_bad_setting_stops_the_crawl_at_start_with_its_name(tmp_path) -> None:
    result = run_crawl(tmp_path, settings={"SPAMSIEVE_POLLUTED_ACTION": "burn"})
    assert result.returncode != 0
    assert "SPAMSIEVE_POLLUTED_ACTION" in result.log and "salvage" in result.log
    assert result.kept == []
