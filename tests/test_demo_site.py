"""The bundled demo site is what the manifest says it is, and stays reproducible."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from crawler.demo_site.build import build
from crawler.extraction.lines import normalise_space

MINIMUM_PER_KIND = {
    "clean": 8, "lottery_legit": 2, "anti_gambling": 3, "other_clean": 2, "hijacked_news": 4,
    "spliced": 3, "injected_lines": 3, "gambling_promo": 3, "reprint": 6,
}
EXPECTED_OF_KIND = {
    "index": {"index"}, "clean": {"clean"}, "lottery_legit": {"clean"},
    "anti_gambling": {"clean"}, "other_clean": {"clean"}, "hijacked_news": {"rejected"},
    "spliced": {"rejected"}, "injected_lines": {"cleaned"}, "gambling_promo": {"rejected"},
    "reprint": {"clean", "rejected"},
}
HREF = re.compile(r'href="([^"#:]+\.html)"')


def test_manifest_covers_every_page_and_every_required_kind(manifest, demo_dir: Path) -> None:
    on_disk = {p.relative_to(demo_dir).as_posix() for p in demo_dir.rglob("*.html")}
    assert {e["path"] for e in manifest} == on_disk
    assert len(manifest) >= 40
    kinds = Counter(e["kind"] for e in manifest)
    assert {k: kinds[k] for k in MINIMUM_PER_KIND if kinds[k] < MINIMUM_PER_KIND[k]} == {}


def test_expectations_are_consistent(manifest) -> None:
    for entry in manifest:
        assert entry["expected"] in EXPECTED_OF_KIND[entry["kind"]], entry["path"]
        if entry["expected"] == "rejected":
            assert entry["stage"] in {"gambling", "duplicate"}, entry["path"]
        if entry["expected"] == "index":
            assert entry["body"] == [] and entry["headline"] == ""


def test_each_clean_reprint_group_keeps_exactly_one_page(manifest) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for entry in manifest:
        if entry["dup_group"]:
            groups[entry["dup_group"]].append(entry)
    reprint_groups = [g for g in groups.values() if any(e["kind"] == "reprint" for e in g)]
    assert len(reprint_groups) >= 2
    for group in reprint_groups:
        assert 3 <= len(group) <= 4
        assert [e["expected"] for e in group].count("clean") == 1
        assert all(e.get("stage") == "duplicate" for e in group if e["expected"] == "rejected")


def test_one_article_is_hijacked_under_four_different_brands(manifest) -> None:
    hijacked = [e for e in manifest if e["kind"] == "hijacked_news"]
    assert len({e["dup_group"] for e in hijacked}) == 1
    brands = {re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d$", "", e["byline"]) for e in hijacked}
    assert len(brands) >= 4
    for entry in hijacked:
        assert any(line.endswith("******") for line in entry["body"])
        assert any(line.endswith("地图") for line in entry["body"])


def test_encodings_are_real(manifest, demo_dir: Path) -> None:
    by_encoding = defaultdict(list)
    for entry in manifest:
        by_encoding[entry["encoding"]].append(entry)
    assert by_encoding["gbk"] and by_encoding["big5"]
    for codec in ("gbk", "big5"):
        for entry in by_encoding[codec]:
            raw = (demo_dir / entry["path"]).read_bytes()
            assert codec.encode() in raw[:400]  # declared in a meta tag
            assert entry["headline"] in raw.decode(codec)
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise AssertionError(f"{entry['path']} is not really {codec}")


def test_every_page_is_reachable_from_the_root_index(manifest, demo_dir: Path) -> None:
    reached, queue = {"index.html"}, ["index.html"]
    while queue:
        page = queue.pop()
        raw = (demo_dir / page).read_bytes().decode("utf-8", "replace")
        for href in HREF.findall(raw):
            target = _normalise((Path(page).parent / href).as_posix())
            if target not in reached and (demo_dir / target).exists():
                reached.add(target)
                queue.append(target)
    assert {e["path"] for e in manifest} - reached == set()


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_build_is_deterministic_and_matches_the_committed_files(tmp_path: Path,
                                                                 demo_dir: Path) -> None:
    build(tmp_path)
    built = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*")
             if p.is_file()}
    for name, content in built.items():
        assert (demo_dir / name).read_bytes() == content, f"{name} is stale: rerun build.py"


def test_no_corpus_text_was_copied_into_the_demo_site(corpus_pages, manifest) -> None:
    demo_lines = {normalise_space(line) for e in manifest for line in e["body"]}
    demo_text = "\n".join(demo_lines)
    copied = []
    for page in corpus_pages:
        for line in page["text"].splitlines():
            line = normalise_space(line)
            if len(line) >= 30 and line[:30] in demo_text:
                copied.append((page["id"], line[:30]))
    assert copied == []
