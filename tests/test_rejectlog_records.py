"""The record schema: what a reviewer and `review restore` can rely on."""

from __future__ import annotations

import datetime as dt
import json

from scrapy.exceptions import DropItem

from pipelines.errors import HijackedPage, NearDuplicate
from pipelines.model import Evidence, Reason
from pipelines.rejectlog.jsonsafe import dumps_line, json_safe
from pipelines.rejectlog.records import SCHEMA_VERSION, build_record

URL = "https://www.news.example.cn/a/1.html"


def test_spamsieve_drop_gives_its_own_fields_and_evidence() -> None:
    exc = HijackedPage(
        "gambling brand in title", reason="hijacked", score=2.345, url=URL,
        reasons=[Reason("brand_in_title", 2.0, [Evidence("title", 0, 5, "澳门新葡京", note="brand")])],
    )
    record = build_record(item_snapshot={"url": URL, "title": "澳门新葡京报道"}, exception=exc,
                          spider="news", job="job-1")
    assert record["schema"] == SCHEMA_VERSION == 1
    assert len(record["id"]) == 12 and int(record["id"], 16) >= 0
    assert record["time"].endswith("Z") and dt.datetime.fromisoformat(record["time"][:-1])
    assert (record["job"], record["spider"], record["url"], record["domain"]) == (
        "job-1", "news", URL, "news.example.cn")
    assert (record["stage"], record["reason"], record["score"]) == ("gambling", "hijacked", 2.345)
    assert record["message"] == "gambling brand in title"
    assert record["reasons"] == [{"name": "brand_in_title", "score": 2.0, "evidence": [
        {"field": "title", "start": 0, "end": 5, "text": "澳门新葡京", "note": "brand"}]}]
    assert record["exception"] == "pipelines.errors.HijackedPage"
    assert record["item"] == {"url": URL, "title": "澳门新葡京报道"}


def test_duplicate_carries_duplicate_of_and_distance() -> None:
    exc = NearDuplicate("copy of an earlier article", reason="near_duplicate", score=0.95,
                        extra={"duplicate_of": "https://a.cn/x", "distance": 3})
    record = build_record(item_snapshot={}, exception=exc, spider="s", job="j", url="https://b.cn/y")
    assert (record["stage"], record["duplicate_of"], record["distance"]) == (
        "duplicate", "https://a.cn/x", 3)


def test_other_pipeline_drop_records_class_and_truncated_message() -> None:
    record = build_record(item_snapshot={"a": 1}, exception=DropItem("missing price " * 100),
                          spider="s", job="j", url=URL)
    assert record["stage"] == "pipeline" and record["reason"] == "DropItem"
    assert record["exception"] == "scrapy.exceptions.DropItem"
    assert record["message"].startswith("missing price") and len(record["message"]) <= 200
    assert record["duplicate_of"] is None and record["distance"] is None


def test_error_record_has_traceback_summary() -> None:
    def broken_pipeline() -> None:
        raise KeyError("price")

    try:
        broken_pipeline()
    except KeyError as exc:
        record = build_record(item_snapshot={"a": 1}, exception=exc, spider="s", job="j",
                              stage="error")
    assert (record["stage"], record["reason"]) == ("error", "KeyError")
    assert any("broken_pipeline" in line for line in record["traceback"])
    assert record["traceback"][-1].startswith("KeyError")


def test_ids_are_unique_for_identical_inputs() -> None:
    ids = {build_record(item_snapshot={}, exception=None, spider="s", job="j", url=URL,
                        when="2026-01-01T00:00:00Z")["id"] for _ in range(500)}
    assert len(ids) == 500


def test_non_json_values_are_kept_with_markers_and_survive_a_round_trip() -> None:
    item = {"body": b"\x00\xffraw", "when": dt.date(2026, 1, 2), "nan": float("nan"),
            "tags": {"b", "a"}, 3: "int key", "lone": "a\udcffb", "nested": {"t": (1, 2)}}
    safe = json_safe(item)
    assert safe["body"] == {"$bytes": "AP9yYXc="}
    assert safe["when"] == {"$repr": "datetime.date(2026, 1, 2)", "$type": "datetime.date"}
    assert safe["nan"] == {"$float": "nan"}
    assert safe["tags"] == ["a", "b"] and safe["3"] == "int key"
    assert safe["nested"] == {"t": [1, 2]}
    line = dumps_line(safe)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line) == safe  # lone surrogate escaped, parsed back identically


def test_schema_doc_examples_match_the_builder() -> None:
    """SCHEMA.md's examples are real records: same fields as build_record produces."""
    import re
    from pathlib import Path

    import pipelines.rejectlog

    doc = (Path(pipelines.rejectlog.__file__).parent / "SCHEMA.md").read_text("utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", doc, re.S)]
    assert len(blocks) == 2
    drop = build_record(item_snapshot={}, exception=HijackedPage("m", reason="hijacked"),
                        spider="s", job="j", url=URL)
    other = build_record(item_snapshot={}, exception=DropItem("m"), spider="s", job="j", url=URL)
    assert list(blocks[0]) == list(drop)
    assert list(blocks[1]) == list(other)
    for block in blocks:
        assert block["schema"] == SCHEMA_VERSION
        for key in block:
            assert f"`{key}`" in doc  # every field is documented
