"""``spamsieve explain``: the verdict, reasons, evidence and cleaned text of one page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from detection_examples import NEWS, hijacked_page

from pipelines.cli import main

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "lelecai_hijacked_page.txt"


def write_txt(tmp_path: Path, title: str, text: str) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(f"{title}\n{text}", encoding="utf-8")
    return path


def test_explain_seed_json(capsys: pytest.CaptureFixture[str]) -> None:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED}")
    assert main(["explain", str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "rejected"
    names = {r["name"] for r in data["reasons"]}
    assert {"header_mismatch", "keyword_lines", "splicing", "footer_lines"} <= names
    footer = next(r for r in data["reasons"] if r["name"] == "footer_lines")
    assert footer["evidence"][0]["text"] == "乐乐彩地图"


def test_explain_text_output_names_reasons_and_actions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = hijacked_page("金泰彩票app")
    assert main(["explain", str(write_txt(tmp_path, doc.title, doc.text))]) == 0
    out = capsys.readouterr().out
    assert "REJECTED" in out and "header_mismatch" in out and "recover_headline" in out
    assert "\x1b[" not in out  # no colour codes when not on a terminal


def test_explain_cleaned_page_prints_cleaned_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "\n".join(["景洪市委副书记、金泰体育平台市长等领导出席开幕式，现场来自全国各地的运动员和观众超过两千人。", *NEWS])
    assert main(["explain", str(write_txt(tmp_path, "气排球精英赛开幕", text)), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "cleaned"
    assert "金泰体育平台" not in data["cleaned"]["text"]
    assert data["actions"][0]["text"] == "金泰体育平台"


def test_explain_json_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"title": "市区公交增开线路", "text": "\n".join(NEWS),
                                "url": "https://news.example.org/1"}, ensure_ascii=False), encoding="utf-8")
    assert main(["explain", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "clean" and data["url"] == "https://news.example.org/1"


def test_explain_html_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("crawler.extract")
    body = "".join(f"<p>{line}</p>" for line in NEWS)
    html = (f"<html><head><title>星耀汇娱乐_星耀汇娱乐</title></head><body>"
            f"<h1>市区公交增开十二条春运线路</h1><div class='byline'>星耀汇娱乐2024-03-02 10:15</div>"
            f"<article>{body}<p>星耀汇娱乐</p></article><footer>星耀汇娱乐地图</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    assert main(["explain", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] in ("rejected", "cleaned")
    assert data["reasons"]


def test_explain_missing_file_and_bad_lexicon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    page = write_txt(tmp_path, "标题", "正文")
    assert main(["explain", str(page), "--lexicon", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err
