"""Streaming readers for the dumps users already have: one item at a time, flat memory.

Formats: JSON Lines (``.jsonl``/``.jl``/``.ndjson``, optionally ``.gz``), Scrapy feed
exports (``.json`` array, ``.csv``), WARC (``.warc``/``.warc.gz``, response records
extracted with the crawler's own extractor), ``.html``/``.htm`` and ``.txt`` pages, and
directories of any of these. A malformed record does not stop the run: it becomes an
item with ``_spamsieve_error`` set, which the chain rejects as ``unanalyzable`` with that
reason, so every input record is accounted for.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

ERROR_FIELD = "_spamsieve_error"
SOURCE_FIELD = "_spamsieve_source"

JSONL_SUFFIXES = (".jsonl", ".jl", ".ndjson")
PAGE_SUFFIXES = (".html", ".htm", ".txt")
WARC_SUFFIXES = (".warc", ".arc")


class InputError(ValueError):
    """An input cannot be read at all (missing, unknown format): a clear CLI error."""


class ReadMeter:
    """Bytes of input read so far (compressed bytes for .gz), for a progress bar's ETA."""

    def __init__(self) -> None:
        self.bytes_read = 0


class _CountingFile(io.RawIOBase):
    """A raw binary file that adds every byte it reads to a ReadMeter."""

    def __init__(self, raw: IO[bytes], meter: ReadMeter | None) -> None:
        self.raw, self.meter = raw, meter

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if self.meter is not None and count:
            self.meter.bytes_read += count
        return count or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_counted(p: Path, meter: ReadMeter | None) -> IO[bytes]:
    return io.BufferedReader(_CountingFile(open(p, "rb", buffering=0), meter))


def input_size(paths: list[str]) -> int | None:
    """Total bytes of the input files (None when reading stdin)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        files = [q for q in p.rglob("*") if q.is_file() and kind_of(q)] if p.is_dir() else [p]
        total += sum(q.stat().st_size for q in files if q.exists())
    return total


def iter_inputs(paths: list[str], meter: ReadMeter | None = None) -> Iterator[dict[str, Any]]:
    for path in paths:
        yield from iter_path(path, meter)


def iter_path(path: str, meter: ReadMeter | None = None) -> Iterator[dict[str, Any]]:
    if path == "-":
        yield from _jsonl_lines(sys.stdin, "<stdin>")
        return
    p = Path(path)
    if p.is_dir():
        for child in sorted(q for q in p.rglob("*") if q.is_file() and kind_of(q)):
            yield from iter_path(str(child), meter)
        return
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    kind = kind_of(p)
    if kind is None:
        raise InputError(
            f"{path}: unknown input format (expected .jsonl[.gz], .json, .csv, .warc[.gz], "
            ".html, .txt or a directory)"
        )
    try:
        if kind == "jsonl":
            with _open_text(p, meter) as handle:
                yield from _jsonl_lines(handle, str(p))
        elif kind == "json":
            yield from _json_array(p, meter)
        elif kind == "csv":
            with _open_text(p, meter) as handle:
                for row in csv.DictReader(handle):
                    yield dict(row)
        elif kind == "warc":
            from pipelines.dumps.warc import iter_warc

            yield from iter_warc(p, meter)
        elif kind == "html":
            with open_counted(p, meter) as handle:
                yield item_from_html(handle.read(), p.resolve().as_uri())
        elif kind == "txt":
            with open_counted(p, meter) as handle:
                text = handle.read().decode("utf-8", errors="replace")
            yield txt_item(text, p.resolve().as_uri())
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None


def kind_of(p: Path) -> str | None:
    name = p.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith(".txt"):
        return "txt"
    return None


def item_from_html(body: bytes, url: str, encoding: str | None = None) -> dict[str, Any]:
    """A page as the crawl would have yielded it: the crawler's own extractor, no HTML kept."""
    from dataclasses import asdict

    from crawler.extract import extract_article, looks_like_article

    article = extract_article(body, url, encoding=encoding)
    item = asdict(article)
    item.pop("html", None)
    item.pop("spamsieve", None)
    if not looks_like_article(article):  # an index/list page: accounted for, not kept
        item[ERROR_FIELD] = "not_article: the page has no article body (index or list page)"
    return item


def txt_item(text: str, url: str) -> dict[str, Any]:
    """A ``.txt`` page: the first non-empty line is the title, the rest is the text."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip() if lines else ""
    body = "\n".join(line.strip() for line in lines[1:] if line.strip())
    return {"url": url, "title": title, "text": body}


def _open_text(p: Path, meter: ReadMeter | None = None) -> IO[str]:
    raw = open_counted(p, meter)
    if p.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw, mode="rb"), encoding="utf-8",
                                errors="replace")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _jsonl_lines(handle: IO[str], source: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {ERROR_FIELD: f"{source}:{number}: invalid JSON ({exc.msg})",
                   SOURCE_FIELD: f"{source}:{number}", "raw": line[:2000]}
            continue
        if not isinstance(value, dict):
            yield {ERROR_FIELD: f"{source}:{number}: a JSON {type(value).__name__}, not an object",
                   SOURCE_FIELD: f"{source}:{number}", "raw": line[:2000]}
            continue
        yield value


def _json_array(p: Path, meter: ReadMeter | None = None) -> Iterator[dict[str, Any]]:
    """A Scrapy JSON feed: an array of objects, streamed element by element."""
    decoder = json.JSONDecoder()
    with _open_text(p, meter) as handle:
        buffer = handle.read(1 << 16).lstrip()
        if not buffer.startswith("["):
            raise InputError(f"{p}: a .json input must be a JSON array (Scrapy's json feed)")
        buffer = buffer[1:]
        number = 0
        while True:
            buffer = buffer.lstrip().lstrip(",").lstrip()
            while not buffer or (buffer[0] != "]" and _needs_more(decoder, buffer)):
                chunk = handle.read(1 << 16)
                if not chunk:
                    break
                buffer += chunk
                buffer = buffer.lstrip().lstrip(",").lstrip()
            if not buffer or buffer[0] == "]":
                return
            number += 1
            try:
                value, end = decoder.raw_decode(buffer)
            except json.JSONDecodeError as exc:
                yield {ERROR_FIELD: f"{p}: element {number}: invalid JSON ({exc.msg})",
                       SOURCE_FIELD: f"{p}#{number}"}
                return
            buffer = buffer[end:]
            if isinstance(value, dict):
                yield value
            else:
                yield {ERROR_FIELD: f"{p}: element {number} is not an object",
                       SOURCE_FIELD: f"{p}#{number}"}


def _needs_more(decoder: json.JSONDecoder, buffer: str) -> bool:
    try:
        decoder.raw_decode(buffer)
    except json.JSONDecodeError:
        return True
    return False
