"""datatrove baseline (Gopher/FineWeb/C4 filters configured for Chinese)."""

from __future__ import annotations

import pytest

pytest.importorskip("datatrove", reason="datatrove not installed (optional 'compare' extra)")
pytest.importorskip("spacy", reason="datatrove's Chinese word tokenizer needs spacy")
pytest.importorskip("jieba", reason="datatrove's Chinese word tokenizer needs jieba")

from pipelines.bench.synthetic import generate  # noqa: E402
from pipelines.detection.baseline_datatrove import (  # noqa: E402
    default_corpus_dir,
    load_pages,
    run_baseline,
    summarize,
)


def _three_docs() -> list[dict]:
    article = next(i for i in generate(20, seed=11) if i["truth"]["pattern"] == "clean")
    spam_line = "乐乐彩注册送彩金，官网入口点击进入"
    return [
        {"id": "news", "text": article["text"], "label": "clean", "kind": "news"},
        {
            "id": "repeat",
            "text": "\n".join([spam_line] * 40),
            "label": "polluted",
            "kind": "gambling_promo",
        },
        {
            "id": "tiny",
            "text": "乐乐彩_乐乐彩\n乐乐彩地图",
            "label": "polluted",
            "kind": "hijacked_news",
        },
    ]


def test_three_synthetic_documents() -> None:
    pages = _three_docs()
    results = {r["id"]: r for r in run_baseline(pages)}
    assert results["news"]["kept"], results["news"]
    assert not results["repeat"]["kept"]
    assert results["repeat"]["reason"].startswith("GopherRepetition:")
    assert not results["tiny"]["kept"] and results["tiny"]["reason"]
    summary = summarize(list(results.values()), pages)
    assert summary["headline"]["polluted_caught_pct"] == 100.0
    assert summary["headline"]["clean_dropped_pct"] == 0.0
    assert summary["groups"]["label:polluted"]["dropped"] == 2


def test_zh_defaults_ablation_drops_normal_chinese() -> None:
    """With English word-length bounds every Chinese page fails: why the zh config exists."""
    pages = _three_docs()[:1]
    assert not run_baseline(pages, config="zh_defaults")[0]["kept"]


def test_corpus_summary_has_every_kind() -> None:
    corpus = default_corpus_dir()
    if not (corpus / "dev_pages.jsonl").exists():
        pytest.skip(f"labelled corpus absent at {corpus}")
    pages = load_pages(corpus)
    summary = summarize(run_baseline(pages), pages)
    kinds = {(p["label"], p["kind"]) for p in pages}
    for label, kind in kinds:
        assert f"kind:{label}/{kind}" in summary["groups"]
    total = sum(g["n"] for k, g in summary["groups"].items() if k.startswith("label:"))
    assert total == len(pages)
    assert {"polluted_caught_pct", "clean_dropped_pct"} <= set(summary["headline"])
