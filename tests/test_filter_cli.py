"""``spamsieve filter`` over the dump formats users have; every input accounted for."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawl_helpers import DEMO, load_manifest, page_path, read_jsonl, run_crawl

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "lelecai_hijacked_page.txt"

CLEAN = {
    "url": "http://news.example.cn/a/1.html",
    "title": "全市新建改建口袋公园二十处",
    "text": "\n".join([
        "记者从市园林局获悉，今年全市计划新建改建口袋公园二十处，目前已有八处开工。",
        "这些公园多利用边角地块建设，面积从数百平方米到数千平方米不等。",
        "园林局负责人表示，建设中将充分听取周边居民意见，增加休憩座椅和儿童游乐设施。",
        "预计到年底，市民步行十分钟即可到达一处公园的比例将提高到百分之八十以上。",
        "此外，部分公园还将试点夜间照明和智能灌溉系统，以降低后期养护成本。",
    ]),
}
PROMO = {
    "url": "http://xx8.example.com/",
    "title": "鑫博娱乐城官网入口-注册送彩金",
    "text": "鑫博娱乐城官方网址，注册即送888元彩金，首存优惠百分之百。\n"
            "百家乐、真人视讯、电子游艺，充值秒到账。\n立即下载鑫博娱乐城app，登录开户即享返水。",
}


def spamsieve(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])


def run_filter(tmp_path: Path, *inputs: str, extra: tuple[str, ...] = ()) -> tuple[list, list]:
    kept, rejected = tmp_path / "kept.jsonl", tmp_path / "rejected.jsonl"
    proc = spamsieve("filter", *inputs, "--kept", str(kept), "--rejected", str(rejected), *extra)
    assert proc.returncode == 0, proc.stderr
    return read_jsonl(kept), read_jsonl(rejected)


def test_jsonl_every_item_ends_in_exactly_one_output(tmp_path) -> None:
    dump = tmp_path / "in.jsonl"
    rows = [CLEAN, PROMO, dict(CLEAN, url="http://mirror.example.org/1.html"), {"url": "x"}]
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{broken\n")
    kept, rejected = run_filter(tmp_path, str(dump))
    assert [k["url"] for k in kept] == [CLEAN["url"]]
    assert kept[0]["spamsieve"]["verdict"] in ("clean", "cleaned")
    stages = sorted((r["stage"], r["reason"]) for r in rejected if r["stage"] != "gambling")
    assert stages == [("duplicate", "near_duplicate"), ("unanalyzable", "empty"),
                      ("unanalyzable", "unreadable_record")]
    assert len(kept) + len(rejected) == 5
    by_url = {r["url"]: r for r in rejected}
    assert by_url[PROMO["url"]]["stage"] == "gambling"
    assert by_url["http://mirror.example.org/1.html"]["duplicate_of"] == CLEAN["url"]
    assert by_url["x"]["reason"] == "empty"
    assert by_url[PROMO["url"]]["item"] == PROMO  # restorable exactly


def test_json_array_csv_gz_txt_and_stdin(tmp_path) -> None:
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED} (it lives outside the repository)")
    (tmp_path / "feed.json").write_text(json.dumps([CLEAN, PROMO], ensure_ascii=False), "utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["url", "title", "text"])
    writer.writeheader()
    writer.writerow(dict(CLEAN, url="http://c.example/1"))
    (tmp_path / "feed.csv").write_text(buffer.getvalue(), "utf-8")
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(PROMO, ensure_ascii=False) + "\n")
    kept, rejected = run_filter(
        tmp_path, str(tmp_path / "feed.json"), str(tmp_path / "feed.csv"),
        str(tmp_path / "feed.jsonl.gz"), str(SEED), extra=("--disable", "dedupe"),
    )
    assert len(kept) + len(rejected) == 5
    assert {k["url"] for k in kept} == {CLEAN["url"], "http://c.example/1"}
    seed = [r for r in rejected if r["url"].endswith("lelecai_hijacked_page.txt")]
    assert seed and seed[0]["stage"] == "gambling"
    proc = spamsieve("filter", "-", "--kept", str(tmp_path / "k2.jsonl"), "--rejected",
                     str(tmp_path / "r2.jsonl"), stdin=json.dumps(CLEAN, ensure_ascii=False) + "\n")
    assert proc.returncode == 0 and len(read_jsonl(tmp_path / "k2.jsonl")) == 1


def test_field_mapping(tmp_path) -> None:
    dump = tmp_path / "mine.jsonl"
    mine = {"link": CLEAN["url"], "headline": CLEAN["title"], "content": CLEAN["text"], "extra": 1}
    dump.write_text(json.dumps(mine, ensure_ascii=False) + "\n", "utf-8")
    kept, rejected = run_filter(tmp_path, str(dump), extra=("--fields", "url=link,title=headline,text=content"))
    assert rejected == [] and kept[0]["extra"] == 1 and kept[0]["content"] == CLEAN["text"]


def test_state_dir_is_shared_between_runs(tmp_path) -> None:
    dump = tmp_path / "a.jsonl"
    dump.write_text(json.dumps(CLEAN, ensure_ascii=False) + "\n", "utf-8")
    state = str(tmp_path / "state")
    first, _ = run_filter(tmp_path, str(dump), extra=("--state", state))
    second, rejected = run_filter(tmp_path, str(dump), extra=("--state", state))
    assert len(first) == 1 and second == [] and rejected[0]["stage"] == "duplicate"


@pytest.mark.parametrize(
    "args,message",
    [
        (["missing.jsonl"], "no such file"),
        (["README.md"], "unknown input format"),
        (["-", "--set", "SPAMSIEVE_DEDUPE_DISTANCE=far"], "SPAMSIEVE_DEDUPE_DISTANCE"),
        (["-", "--fields", "body=content"], "--fields"),
    ],
)
def test_bad_input_or_options_exit_nonzero_with_a_message(args, message, tmp_path) -> None:
    proc = spamsieve("filter", *args, "--kept", str(tmp_path / "k"), "--rejected", str(tmp_path / "r"),
                     stdin="")
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.crawl
def test_dumps_refilter_to_the_same_kept_set_as_the_crawl(demo_server, tmp_path) -> None:
    """A JSONL dump and a WARC of the demo site give the crawl's own kept set."""
    start = f"{demo_server}/index.html"
    one_at_a_time = {"CONCURRENT_REQUESTS": "1"}  # same page order in every crawl
    crawl = run_crawl(tmp_path / "crawl", "-a", f"urls={start}", settings=one_at_a_time)
    assert crawl.returncode == 0, crawl.log[-2000:]
    crawl_kept = {page_path(i["url"]) for i in crawl.kept}
    assert crawl_kept

    raw = run_crawl(tmp_path / "raw", "-a", f"urls={start}",
                    settings={"SPAMSIEVE_ENABLED": "False", **one_at_a_time})
    assert raw.returncode == 0, raw.log[-2000:]
    dump = tmp_path / "raw" / "output" / "kept.jsonl"  # everything, unfiltered
    kept, _ = run_filter(tmp_path, str(dump))
    assert {page_path(i["url"]) for i in kept} == crawl_kept

    warc = tmp_path / "demo.warc.gz"
    write_warc(warc, demo_server, [page_path(i["url"]) for i in read_jsonl(dump)])
    kept, rejected = run_filter(tmp_path, str(warc))
    assert {page_path(i["url"]) for i in kept} == crawl_kept
    articles = [p for p in load_manifest() if p["expected"] != "index"]
    assert len(kept) + len(rejected) >= len(articles)


def write_warc(path: Path, base: str, crawl_order: list[str]) -> None:
    """A WARC of the demo site with responses in the order the crawl fetched them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages = {p["path"]: p for p in load_manifest()}
    order = crawl_order + [p for p in pages if p not in crawl_order]
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in (pages[p] for p in order):
            body = (DEMO / page["path"]).read_bytes()
            charset = page.get("encoding") or "utf-8"
            headers = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(f"{base}/{page['path']}", "response",
                                               payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def test_unicode_line_separators_stay_inside_their_line(tmp_path) -> None:
    """U+2028/U+2029/U+0085 are legal inside JSON strings, but line-splitting readers
    (``str.splitlines``, older JavaScript) end a line there: both outputs escape them, so
    every record is still exactly one line and reads back to the same value."""
    odd_clean = dict(CLEAN, text=CLEAN["text"].replace("。", "。\u2028", 1) + "\u2029\x85")
    odd_promo = dict(PROMO, title=PROMO["title"] + "\u2028")
    dump = tmp_path / "in.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=True) + "\n" for r in (odd_clean, odd_promo)))
    run_filter(tmp_path, str(dump))
    kept_lines = (tmp_path / "kept.jsonl").read_text("utf-8").splitlines()
    rejected_lines = (tmp_path / "rejected.jsonl").read_text("utf-8").splitlines()
    assert len(kept_lines) == 1 and len(rejected_lines) == 1
    assert "\u2028" in json.loads(kept_lines[0])["text"]
    assert json.loads(rejected_lines[0])["item"] == odd_promo


def test_lone_surrogate_in_an_unread_field_is_kept_not_a_crash(tmp_path) -> None:
    """spamsieve scrubs the fields it reads; a lone surrogate elsewhere in a kept item
    (valid in JSON as ``\\udcff``, not encodable as UTF-8) used to crash the whole filter
    run. Such a value is made writable as in a crawl's feed (the surrogate becomes ``?``);
    the item is kept and its other values are untouched."""
    odd = dict(CLEAN, extra={"raw": "\udcff", "list": ["ok", "\ud800"], "fine": "好"})
    dump = tmp_path / "in.jsonl"
    dump.write_text(json.dumps(odd, ensure_ascii=True) + "\n")
    kept, rejected = run_filter(tmp_path, str(dump))
    assert rejected == [] and len(kept) == 1
    assert kept[0]["extra"] == {"raw": "?", "list": ["ok", "?"], "fine": "好"}
    assert kept[0]["text"] == CLEAN["text"]
