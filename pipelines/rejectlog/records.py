"""The rejected-items log record: one JSON object per rejected (or errored) item.

One builder for every producer (the Scrapy extension, ``spamsieve filter``) so a person
reviewing the log, ``spamsieve review`` and restore scripts always meet the same fields.
The schema is documented with a real example in ``SCHEMA.md`` beside this file; bump
``SCHEMA_VERSION`` only for changes that break readers (adding fields does not).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import traceback
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from pipelines.rejectlog.jsonsafe import json_safe

SCHEMA_VERSION = 1
MESSAGE_MAX_CHARS = 200
TRACEBACK_FRAMES = 5

STAGE_PIPELINE = "pipeline"  # a DropItem raised by a pipeline that is not spamsieve's
STAGE_ERROR = "error"  # an unexpected exception while processing the item

_counter = itertools.count()


def new_record_id(job: str, url: str, when: str) -> str:
    """12 hex chars, unique per record: same job+url+time still differ by the counter/pid."""
    seed = f"{job}\x00{url}\x00{when}\x00{os.getpid()}\x00{next(_counter)}"
    return hashlib.sha1(seed.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def domain_of(url: str) -> str:
    """Host name of ``url`` (lower case, no port, no ``www.``); '' when there is none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def shorten(text: str, limit: int = MESSAGE_MAX_CHARS) -> str:
    """One line, at most ``limit`` chars: messages are for people scanning a list."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def class_path(exc: BaseException) -> str:
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


def traceback_summary(exc: BaseException, tb: Any = None) -> list[str]:
    """The last frames as ``file:line in function`` plus the exception line."""
    tb = tb if tb is not None else exc.__traceback__
    frames = traceback.extract_tb(tb)[-TRACEBACK_FRAMES:] if tb is not None else []
    lines = [f"{f.filename}:{f.lineno} in {f.name}" for f in frames]
    lines.extend(
        shorten(s, 500) for s in traceback.format_exception_only(type(exc), exc) if s.strip()
    )
    return lines


def exception_fields(exception: BaseException | None, stage: str | None) -> dict[str, Any]:
    """stage/reason/message/score/reasons (+extras) decided by the exception."""
    if exception is None:
        return {"stage": stage or STAGE_PIPELINE, "reason": "unknown", "message": "",
                "score": None, "reasons": []}
    record_fields = getattr(exception, "record_fields", None)
    if callable(record_fields) and stage != STAGE_ERROR:
        try:
            fields = dict(record_fields())
        except Exception as exc:  # a broken drop must still be logged
            fields = {"reason": type(exception).__name__,
                      "message": f"record_fields() failed: {exc!r}"}
        fields.setdefault("stage", getattr(exception, "stage", STAGE_PIPELINE))
        fields["message"] = shorten(fields.get("message") or str(exception))
        fields.setdefault("score", None)
        fields.setdefault("reasons", [])
        if stage:
            fields["stage"] = stage
        return fields
    return {
        "stage": stage or STAGE_PIPELINE,
        "reason": type(exception).__name__,
        "message": shorten(str(exception) or type(exception).__name__),
        "score": None,
        "reasons": [],
    }


def build_record(
    *,
    item_snapshot: dict[str, Any] | None,
    exception: BaseException | None,
    spider: str,
    job: str,
    url: str = "",
    stage: str | None = None,
    fields_map: dict[str, str] | None = None,
    traceback_obj: Any = None,
    notes: dict[str, Any] | None = None,
    when: str | None = None,
) -> dict[str, Any]:
    """A complete, JSON-safe record for one rejected item.

    ``item_snapshot`` is the item as it entered spamsieve (the ledger copy); ``stage``
    forces the stage (``"error"`` for item_error, where a traceback summary is added);
    ``fields_map`` is SPAMSIEVE_FIELDS, kept so ``review show`` can find evidence fields
    in items with custom field names; ``notes`` are the ledger notes of the item.
    """
    when = when or utc_now()
    url = url or getattr(exception, "url", "") or ""
    fields = exception_fields(exception, stage)
    record: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "id": new_record_id(job, url, when),
        "time": when,
        "job": job,
        "spider": spider,
        "url": url,
        "domain": domain_of(url),
        "stage": fields.pop("stage"),
        "reason": fields.pop("reason"),
        "message": fields.pop("message"),
        "score": fields.pop("score"),
        "reasons": fields.pop("reasons"),
        "duplicate_of": fields.pop("duplicate_of", None),
        "distance": fields.pop("distance", None),
    }
    if exception is not None:
        record["exception"] = class_path(exception)
    if stage == STAGE_ERROR and exception is not None:
        record["traceback"] = traceback_summary(exception, traceback_obj)
    for key, value in fields.items():  # extra fields a SpamSieveDrop chose to add
        record.setdefault(key, value)
    if fields_map:
        record["fields"] = dict(fields_map)
    if notes:
        record["notes"] = notes
    record["item"] = item_snapshot if item_snapshot is not None else {}
    return json_safe(record)
