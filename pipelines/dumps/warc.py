"""WARC input: every HTML response record becomes the item the crawl would have produced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipelines.dumps.readers import (
    ERROR_FIELD,
    SOURCE_FIELD,
    ReadMeter,
    item_from_html,
    open_counted,
)


def iter_warc(path: Path, meter: ReadMeter | None = None) -> Iterator[dict[str, Any]]:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - warcio is a declared dependency
        raise RuntimeError("reading WARC files needs warcio: pip install warcio") from None
    with open_counted(path, meter) as handle:
        for number, record in enumerate(ArchiveIterator(handle), start=1):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            content_type = record.http_headers.get_header("Content-Type") if record.http_headers else ""
            if content_type and "html" not in content_type.lower():
                continue
            encoding = None
            if content_type and "charset=" in content_type.lower():
                encoding = content_type.lower().split("charset=", 1)[1].split(";")[0].strip()
            try:
                body = record.content_stream().read()
                yield item_from_html(body, url, encoding=encoding)
            except Exception as exc:  # a broken record is reported, not fatal
                yield {"url": url, ERROR_FIELD: f"WARC record {number}: {type(exc).__name__}: {exc}",
                       SOURCE_FIELD: f"{path}#{number}"}
