"""`spamsieve review`: summary, list filters, show, restore, allow and the HTML report."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from pipelines.cli.review import run
from pipelines.errors import GamblingPromotion, HijackedPage, NearDuplicate
from pipelines.model import Evidence, Reason
from pipelines.rejectlog.jsonsafe import dumps_line, json_safe
from pipelines.rejectlog.records import build_record
from pipelines.rejectlog.writer import RejectedLogWriter

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
TEXT = "市场新闻。澳门新葡京官网注册送彩金，点击进入。其余正文内容。"

ITEMS = [
    {"url": "https://www.bet.example.com/a/1", "title": "澳门新葡京" + HOSTILE, "text": TEXT,
     "raw": b"\x89PNG"},
    {"url": "https://shop.example.org/p/2", "title": "t", "text": "no price"},
    {"url": "https://news.example.cn/c/3", "title": "copy", "text": "same text"},
    {"url": "https://m.bet.example.com/x/4", "title": "葡京娱乐", "text": "葡京娱乐 彩金"},
]


def _exceptions() -> list[BaseException]:
    start = TEXT.index("澳门新葡京")
    return [
        HijackedPage("brand took over the title", reason="hijacked", score=2.6,
                     url=ITEMS[0]["url"], reasons=[
                         Reason("brand_in_title", 1.6, [Evidence("title", 0, 5, "澳门新葡京")]),
                         Reason("promo_terms", 1.0, [Evidence("text", start, start + 5, "澳门新葡京"),
                                                     Evidence("text", None, None, "注册送彩金"),
                                                     Evidence("title", 5, 30, HOSTILE)]),
                     ]),
        DropItem("Missing price"),
        NearDuplicate("copy of an earlier article", reason="near_duplicate", score=0.9,
                      extra={"duplicate_of": "https://news.example.cn/c/0", "distance": 2}),
        GamblingPromotion("page promotes gambling", reason="promotion", score=5.5,
                          reasons=[Reason("promo_terms", 5.5, [Evidence("text", 0, 4, "葡京娱乐")])]),
    ]


TIMES = ["2026-11-01T10:00:00.000Z", "2026-11-02T10:00:00.000Z",
         "2026-11-03T10:00:00.000Z", "2026-11-04T10:00:00.000Z"]


@pytest.fixture()
def log(tmp_path: Path) -> tuple[Path, list[dict]]:
    path = tmp_path / "rejected.jsonl"
    records = [build_record(item_snapshot=item, exception=exc, spider="news", job="job-7",
                            url=item["url"], when=when)
               for item, exc, when in zip(ITEMS, _exceptions(), TIMES, strict=True)]
    with RejectedLogWriter(path) as writer:
        for record in records:
            writer.write(record)
    return path, records


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_summary_is_the_default_and_counts(log, capsys) -> None:
    path, _ = log
    assert run([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 4
    assert data["by_reason"] == {"gambling/hijacked": 1, "pipeline/DropItem": 1,
                                 "duplicate/near_duplicate": 1, "gambling/promotion": 1}
    assert data["by_domain"]["bet.example.com"] == 1
    assert data["by_day"] == {"2026-11-01": 1, "2026-11-02": 1, "2026-11-03": 1, "2026-11-04": 1}
    assert data["scores"]["2-3"] == 1 and data["scores"]["5+"] == 1
    assert data["scores"]["no score"] == 1 and data["scores"]["<1"] == 1
    assert data["terms"]["澳门新葡京"] == 1 and data["terms"]["葡京娱乐"] == 1
    assert run(["summary", str(path)]) == 0  # explicit sub-command, terminal tables
    out = capsys.readouterr().out
    assert "4 rejected-log records" in out and "gambling/hijacked" in out
    assert "\x1b[" not in out  # no colour when stdout is not a terminal


def test_list_one_line_per_record_and_filters(log, capsys) -> None:
    path, records = log
    assert run(["list", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[0].split()[0] == records[0]["id"] and lines[0].endswith(ITEMS[0]["url"])

    def ids(*options: str) -> list[str]:
        assert run(["list", str(path), "--json", *options]) == 0
        return [r["id"] for r in _json_lines(capsys.readouterr().out)]

    every = [r["id"] for r in records]
    assert ids("--reason", "promotion") == [every[3]]
    assert ids("--reason", "promo_terms") == [every[0], every[3]]  # any fired signal
    assert ids("--stage", "gambling") == [every[0], every[3]]
    assert ids("--domain", "bet.example.com") == [every[0], every[3]]  # subdomains too
    assert ids("--grep", "price") == [every[1]]
    assert ids("--since", "2026-11-03") == [every[2], every[3]]
    assert ids("--stage", "gambling", "--since", "2026-11-02") == [every[3]]


def test_show_highlights_evidence_in_context(log, capsys) -> None:
    path, records = log
    assert run(["show", records[0]["id"][:6], str(path)]) == 0
    out = capsys.readouterr().out
    assert records[0]["id"] in out and "brand took over the title" in out
    assert "promo_terms in text" in out
    assert "市场新闻。澳门新葡京官网注册送彩金" in out  # the span with its surrounding text
    assert run(["show", records[0]["id"], str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == records[0]
    assert run(["show", "ffffffffffff", str(path)]) == 2
    assert "no record with id" in capsys.readouterr().err


def test_show_colours_the_span_on_a_terminal(log, monkeypatch) -> None:
    from rich.console import Console

    from pipelines.review.show import render_show

    path, records = log
    console = Console(force_terminal=True, color_system="standard", width=200)
    with console.capture() as captured:
        render_show(records[0], console, as_json=False)
    assert "\x1b[7;31m澳门新葡京" in captured.get()  # reverse red span


def test_restore_gives_back_the_original_items_exactly(log, tmp_path, capsysbinary) -> None:
    path, records = log
    out = tmp_path / "restored.jsonl"
    assert run(["restore", str(path), "-o", str(out)]) == 0
    expected = b"".join(dumps_line(json_safe(item)) for item in ITEMS)
    assert out.read_bytes() == expected
    restored = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert restored[0]["raw"] == {"$bytes": "iVBORw=="}
    assert restored[0]["title"] == ITEMS[0]["title"]

    assert run(["restore", str(path), "--id", records[2]["id"], "--id", records[3]["id"]]) == 0
    assert capsysbinary.readouterr().out == b"".join(dumps_line(i) for i in (ITEMS[2], ITEMS[3]))
    assert run(["restore", str(path), "--stage", "duplicate", "-o", str(out), "--append"]) == 0
    assert out.read_bytes() == expected + dumps_line(ITEMS[2])
    assert run(["restore", str(path), "--id", "ffff"]) == 2


def test_records_restore_round_trip_through_gzip_and_rotation(tmp_path, capsysbinary) -> None:
    path = tmp_path / "logs" / "rejected.jsonl.gz"
    items = [{"url": f"https://r.cn/{i}", "text": "彩票开奖新闻 " * i, "n": i, "b": bytes([i])}
             for i in range(25)]
    with RejectedLogWriter(path, max_bytes=400, backups=100) as writer:
        for item in items:
            writer.write(build_record(item_snapshot=item, exception=DropItem("x"), spider="s",
                                      job="j", url=item["url"]))
    assert run(["restore", str(path)]) == 0
    got = [json.loads(line) for line in capsysbinary.readouterr().out.splitlines()]
    assert got == [json_safe(item) for item in items]


def test_allow_appends_the_line(tmp_path, capsys) -> None:
    allowlist = tmp_path / "conf" / "allowlist.txt"
    assert run(["allow", "--domain", "https://Lottery.gov.cn/news", "--file", str(allowlist)]) == 0
    assert run(["allow", "--term", "体育彩票", "--file", str(allowlist)]) == 0
    assert run(["allow", "--url", r"^https://news\.cn/lottery/", "--file", str(allowlist)]) == 0
    assert run(["allow", "--term", "体育彩票", "--file", str(allowlist)]) == 0  # no duplicate
    lines = allowlist.read_text("utf-8").splitlines()
    assert lines == ["domain:lottery.gov.cn", "term:体育彩票", r"url:^https://news\.cn/lottery/"]
    assert run(["allow", "--url", "(", "--file", str(allowlist)]) == 2
    assert "bad URL regex" in capsys.readouterr().err


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        self._in_mark = tag == "mark"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"
        self._in_mark = self._in_mark and tag != "mark"

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        if self._in_mark:
            self.marks.append(data)


def test_html_report_is_self_contained_escaped_and_complete(log, tmp_path) -> None:
    path, records = log
    page_path = tmp_path / "report" / "rejected.html"
    assert run(["report", str(path), "--html", str(page_path)]) == 0
    page = page_path.read_text("utf-8")
    parser = _PageParser()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert len(parser.scripts) == 1 and "alert" not in parser.scripts[0]  # only our own JS
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    assert "img" not in tags
    assert not any(a.get("src") or a.get("href") for _, a in parser.tags)  # no external assets
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror=&quot;alert(2)&quot;" in page
    assert tags.count("svg") >= 3
    details_ids = {a.get("id") for t, a in parser.tags if t == "details" and a.get("id")}
    assert details_ids == {f"r-{r['id']}" for r in records}
    assert "澳门新葡京" in parser.marks and HOSTILE in parser.marks


def test_unreadable_lines_reported_not_fatal(log, capsys) -> None:
    path, _ = log
    with open(path, "ab") as handle:
        handle.write(b'{"id": "cut-by-kill", "it')
    assert run(["list", str(path)]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 4
    assert "1 truncated" in captured.err


def test_errors_are_messages_not_tracebacks(tmp_path, capsys) -> None:
    assert run(["list", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such rejected log" in capsys.readouterr().err
    assert run([]) == 2


def test_registered_in_the_spamsieve_dispatcher(log, capsys) -> None:
    """Through a top-level parser like pipelines.cli's: options reach the review parser."""
    import argparse

    from pipelines.cli import review as review_cli

    path, records = log
    top = argparse.ArgumentParser(prog="spamsieve")
    review_cli.register(top.add_subparsers(dest="command"))
    args = top.parse_args(["review", "--json", str(path)])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 4
    args = top.parse_args(["review", "list", str(path), "--stage", "duplicate"])
    assert args.func(args) == 0
    assert capsys.readouterr().out.split()[0] == records[2]["id"]
    args = top.parse_args(["review", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        args.func(args)
    assert exit_info.value.code == 0
    assert "restore" in capsys.readouterr().out


def test_allow_adds_a_newline_before_appending(tmp_path) -> None:
    allowlist = tmp_path / "allowlist.txt"
    allowlist.write_text("term:福利彩票", encoding="utf-8")  # no trailing newline
    assert run(["allow", "--domain", "cwl.gov.cn", "--file", str(allowlist)]) == 0
    assert allowlist.read_text("utf-8") == "term:福利彩票\ndomain:cwl.gov.cn\n"
