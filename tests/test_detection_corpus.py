"""The quality bar on the labelled real-page corpus, the seed page and unseen brands.

The corpus is read from ../shared/corpus at run time (never copied into the repository);
without it these tests skip with a message saying where it was looked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from detection_examples import hijacked_page

from pipelines.detection import Detector
from pipelines.detection.evaluate import BAR, evaluate, invented_brand, meets_bar, page_document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "lelecai_hijacked_page.txt"


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    if not (CORPUS / "dev_pages.jsonl").exists():
        pytest.skip(f"labelled corpus not found at {CORPUS} (expected ../shared/corpus next to the repo)")
    return evaluate(CORPUS, seed=SEED if SEED.exists() else None)


def test_corpus_meets_the_quality_bar(result: dict[str, Any]) -> None:
    assert result["polluted_caught"] >= BAR["polluted_caught"], result["misses"]
    assert result["clean_rejected"] <= BAR["clean_rejected"], result["misses"]
    for kind, rate in result["clean_rejected_per_kind"].items():
        assert rate <= BAR["clean_rejected_per_kind"], (kind, result["misses"])
    assert result["clean_altered"] <= BAR["clean_altered"], result["misses"]
    assert meets_bar(result) == []


def test_unknown_brands_are_still_caught(result: dict[str, Any]) -> None:
    assert result["unknown_brand_caught"] >= BAR["unknown_brand_caught"], result["misses"]


def test_seed_page_is_rejected_with_the_expected_reasons() -> None:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED}")
    verdict = Detector().analyze(page_document(SEED.read_text(encoding="utf-8")))
    assert verdict.verdict == "rejected"
    names = {r.name for r in verdict.reasons}
    assert {"header_mismatch", "keyword_lines", "splicing", "footer_lines"} <= names
    title_evidence = [e for r in verdict.reasons for e in r.evidence if e.field == "title"]
    assert title_evidence and all(e.text in "乐乐彩_乐乐彩" for e in title_evidence)


def test_invented_brands_are_new_and_deterministic() -> None:
    names = [invented_brand(i) for i in range(40)]
    assert names == [invented_brand(i) for i in range(40)]
    assert len(set(names)) == 40
    lexicon_terms = Detector().lexicon.terms
    assert not any(name in lexicon_terms for name in names)


@pytest.mark.parametrize("index", range(0, 16, 3))
def test_hijack_with_an_invented_brand_is_rejected(index: int) -> None:
    assert Detector().analyze(hijacked_page(invented_brand(index))).verdict == "rejected"
