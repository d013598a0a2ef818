"""Misconfiguration stops the crawl at start-up with a message naming the setting or file.

Every ``SPAMSIEVE_*`` setting gets wrong types/values through the add-on's
``update_settings`` (in-process: fast enough for all of them); a representative handful,
plus unreadable lexicon/allowlist files and unwritable rejected-log paths, go through
real ``scrapy crawl`` processes, which must exit non-zero having processed no item.
Documented exceptions: a *missing* allowlist file is an empty allowlist, and an empty
SPAMSIEVE_REJECTED_LOG disables the log (both checked).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from crawl_helpers import run_crawl
from scrapy.settings import Settings

from pipelines.addon import SpamSieveAddon
from pipelines.bench.scrapy_harness import ScrapyChain
from pipelines.config import ConfigError
from pipelines.defaults import SETTINGS, Setting
from pipelines.detection import AllowlistError, LexiconError

WRONG_BY_KIND: dict[str, list[Any]] = {
    "bool": ["maybe", "yes please", 2.5, 7, [1]],
    "int": ["ten", 1.5, True, [3], "1e3x"],
    "float": ["abc", True, [1.0], {"a": 1}],
    "list": [5, 2.5, {"a": 1}],
    "dict": ["not json", "[1, 2]", 5, ["a"], '{"bogus_field": "x"}', '{"title": 5}'],
    "str": [5, ["x"], {"a": "b"}, 2.5],
    "choice": ["bogus", 5, ["reject"], ""],
}


def wrong_values(setting: Setting) -> list[Any]:
    values = list(WRONG_BY_KIND[setting.kind])
    if setting.minimum is not None:
        values.append(setting.minimum - 1)
    if setting.kind in ("str",):  # any string is a valid value for a plain str setting
        values = [v for v in values if not isinstance(v, str)]
    return values


def configure(**overrides: Any) -> Settings:
    settings = Settings()
    for name, value in overrides.items():
        settings.set(name, value, priority="project")
    SpamSieveAddon().update_settings(settings)
    return settings


@pytest.mark.parametrize("setting", SETTINGS, ids=[s.name for s in SETTINGS])
def test_every_setting_rejects_wrong_types_and_values_naming_itself(setting: Setting) -> None:
    configure(**{setting.name: setting.default})  # the default itself is valid
    for value in wrong_values(setting):
        with pytest.raises(ConfigError) as info:
            configure(**{setting.name: value})
        assert setting.name in str(info.value), (value, str(info.value))


def test_unknown_setting_is_named() -> None:
    with pytest.raises(ConfigError, match="SPAMSIEVE_REJECT_SCROE"):
        configure(SPAMSIEVE_REJECT_SCROE=2.0)


@pytest.fixture()
def bad_files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "invalid.txt").write_bytes(b"\xff\xfe\x00 not utf-8 \xc3\x28\n")
    (tmp_path / "malformed-allow.txt").write_text("domain:ok.example\nthis line has no kind\n", "utf-8")
    (tmp_path / "a-file").write_text("I am a file\n", "utf-8")
    return {"missing": tmp_path / "no" / "such.txt", "directory": tmp_path,
            "invalid": tmp_path / "invalid.txt", "malformed": tmp_path / "malformed-allow.txt",
            "file": tmp_path / "a-file"}


@pytest.mark.parametrize("kind", ["missing", "directory", "invalid"])
def test_unreadable_lexicon_file_stops_the_chain(tmp_path: Path, bad_files: dict, kind: str) -> None:
    path = bad_files[kind]
    with pytest.raises(LexiconError, match=str(path).replace("\\", "\\\\")):
        ScrapyChain(tmp_path / "w", {"SPAMSIEVE_LEXICON_FILES": [str(path)]})


@pytest.mark.parametrize("kind", ["directory", "invalid", "malformed"])
def test_unreadable_allowlist_stops_the_chain(tmp_path: Path, bad_files: dict, kind: str) -> None:
    path = bad_files[kind]
    with pytest.raises(AllowlistError, match=str(path)):
        ScrapyChain(tmp_path / "w", {"SPAMSIEVE_ALLOWLIST_FILE": str(path)})


def test_missing_allowlist_is_empty_and_empty_log_path_disables_the_log(tmp_path: Path,
                                                                      bad_files: dict) -> None:
    chain = ScrapyChain(tmp_path / "w", {"SPAMSIEVE_ALLOWLIST_FILE": str(bad_files["missing"]),
                                         "SPAMSIEVE_REJECTED_LOG": ""})
    assert chain.rejected_log is None  # documented: empty disables it
    assert chain.process({"url": "http://a.example/1", "text": ""}).status == "dropped"
    chain.close()


@pytest.mark.parametrize("where", ["parent_is_a_file", "read_only_filesystem"])
def test_unwritable_rejected_log_path_stops_the_chain(tmp_path: Path, bad_files: dict,
                                                      where: str) -> None:
    from pipelines.rejectlog.writer import RejectedLogError

    path = (bad_files["file"] / "rejected.jsonl" if where == "parent_is_a_file"
            else Path("/proc/spamsieve-test/rejected.jsonl"))  # unwritable even for root
    with pytest.raises(RejectedLogError, match="SPAMSIEVE_REJECTED_LOG"):
        ScrapyChain(tmp_path / "w", {"SPAMSIEVE_REJECTED_LOG": str(path)})


def crawl_fails(workdir: Path, settings: dict[str, str], needle: str) -> None:
    result = run_crawl(workdir, settings=settings, timeout=120)
    assert result.returncode != 0, f"{settings}: exit status 0"
    assert needle in result.log, f"{settings}: {needle!r} not in the log"
    assert result.kept == [] and result.rejected == [], f"{settings}: items were processed"
    assert "spamsieve/items" not in result.log


def test_real_crawls_stop_at_start_up(tmp_path: Path, bad_files: dict) -> None:
    cases = [
        ({"SPAMSIEVE_MAX_TEXT_CHARS": "ten"}, "SPAMSIEVE_MAX_TEXT_CHARS"),
        ({"SPAMSIEVE_POLLUTED_ACTION": "burn"}, "SPAMSIEVE_POLLUTED_ACTION"),
        ({"SPAMSIEVE_FIELDS": '{"txet": "body"}'}, "SPAMSIEVE_FIELDS"),
        ({"SPAMSIEVE_DEDUPE_DISTANCE": "-1"}, "SPAMSIEVE_DEDUPE_DISTANCE"),
        ({"SPAMSIEVE_LEXICON_FILES": str(bad_files["missing"])}, str(bad_files["missing"])),
        ({"SPAMSIEVE_LEXICON_FILES": str(bad_files["invalid"])}, str(bad_files["invalid"])),
        ({"SPAMSIEVE_ALLOWLIST_FILE": str(bad_files["directory"])}, str(bad_files["directory"])),
        ({"SPAMSIEVE_REJECTED_LOG": str(bad_files["file"] / "rejected.jsonl")},
         "SPAMSIEVE_REJECTED_LOG"),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(crawl_fails, tmp_path / f"crawl{i}", settings, needle)
                   for i, (settings, needle) in enumerate(cases)]
        for future in futures:
            future.result()
