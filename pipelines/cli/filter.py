"""``spamsieve filter``: re-filter existing dumps through the crawl's own chain.

Every input record ends up on exactly one line of KEPT or REJECTED (the rejected-items
log schema), streamed as it is decided, so memory stays flat on inputs of any size and
an interrupted run keeps everything written so far.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import IO, Any

from scrapy.settings import Settings

from pipelines.config import ConfigError, validate_settings
from pipelines.defaults import SETTINGS
from pipelines.fields import FieldMap, FieldMapError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "filter",
        help="run the spamsieve chain over existing dumps (JSONL, JSON, CSV, WARC, HTML, TXT)",
        description=__doc__,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help=".jsonl[.gz], .json, .csv, .warc[.gz], .html, .txt, a directory, or -")
    parser.add_argument("--kept", default="output/kept.jsonl", help="kept items (JSON Lines)")
    parser.add_argument("--rejected", default="output/rejected.jsonl",
                        help="rejected-items log (JSON Lines; .gz compresses)")
    parser.add_argument("--fields", default="",
                        help='field mapping like SPAMSIEVE_FIELDS: "title=headline,text=content"')
    parser.add_argument("--disable", action="append", default=[], choices=("detect", "dedupe"),
                        help="switch a stage off (repeatable)")
    parser.add_argument("--state", default="", metavar="DIR",
                        help="dedupe state directory (shared with crawls' SPAMSIEVE_STATE_DIR)")
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="set any SPAMSIEVE_* setting, as scrapy's -s does")
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress bar with rate and ETA (auto: only on a terminal)")
    parser.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings()
    for setting in SETTINGS:
        settings.set(setting.name, setting.default, priority="default")
    for assignment in args.set:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise ConfigError(f"--set {assignment!r}: expected NAME=VALUE")
        settings.set(name.strip(), value, priority="cmdline")
    if args.fields:
        try:
            settings.set("SPAMSIEVE_FIELDS", dict(FieldMap.from_value(args.fields).mapping),
                         priority="cmdline")
        except FieldMapError as exc:
            raise ConfigError(f"--fields: {exc}") from None
    if args.state:
        settings.set("SPAMSIEVE_STATE_DIR", args.state, priority="cmdline")
    return validate_settings(settings)


def run(args: argparse.Namespace) -> int:
    from pipelines.chain import Chain
    from pipelines.dumps.readers import InputError, ReadMeter, input_size, iter_inputs
    from pipelines.rejectlog.records import build_record
    from pipelines.rejectlog.writer import RejectedLogWriter

    try:
        values = settings_from_args(args)
        for path in args.inputs:
            if path != "-" and not Path(path).exists():
                raise InputError(f"{path}: no such file or directory")
        chain = Chain(values, disable=tuple(args.disable), state_dir=args.state or None)
    except (ConfigError, InputError) as exc:
        print(f"spamsieve filter: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # lexicon/allowlist/state errors carry their own message
        print(f"spamsieve filter: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    job = f"filter-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    kept_count = rejected_count = 0
    started = time.monotonic()
    try:
        rejected_log = RejectedLogWriter(args.rejected)
    except OSError as exc:
        print(f"spamsieve filter: cannot write --rejected {args.rejected}: {exc}", file=sys.stderr)
        return 2
    try:
        meter = ReadMeter()
        total_bytes = input_size(args.inputs)
        with _open_output(args.kept) as kept_out, \
                _progress(args.progress, meter, total_bytes) as advance:
            for item in iter_inputs(args.inputs, meter):
                outcome = chain.process(item)
                if outcome.rejected is None:
                    for kept in outcome.kept:
                        kept_out.write(kept_line(kept))
                    kept_out.flush()  # the dedupe state already counts it as kept
                    kept_count += 1
                else:
                    rejected_log.write(build_record(
                        item_snapshot=outcome.original or {},
                        exception=outcome.rejected,
                        spider="filter",
                        job=job,
                        url=outcome.url,
                    ))
                    rejected_count += 1
                advance()
    except InputError as exc:
        print(f"spamsieve filter: {exc}", file=sys.stderr)
        return 2
    finally:
        rejected_log.close()
        chain.close()
    elapsed = time.monotonic() - started
    total = kept_count + rejected_count
    by_stage = ", ".join(f"{k.split('/', 1)[1]}: {v}" for k, v in sorted(chain.counts.items())
                         if k.startswith("rejected/")) or "none"
    print(
        f"spamsieve filter: {total} items: {kept_count} kept -> {args.kept}, "
        f"{rejected_count} rejected ({by_stage}) -> {args.rejected} "
        f"[{elapsed:.1f}s, {total / elapsed if elapsed else 0:.0f} items/s]",
        file=sys.stderr,
    )
    return 0


def kept_line(item: dict[str, Any]) -> str:
    """One JSON Lines line of a kept item: UTF-8 text kept readable, except that an item
    holding a lone surrogate (in a field spamsieve does not read, so never scrubbed) is
    written with ASCII escapes, which UTF-8 output can hold and readers turn back into
    the same string; U+2028/U+2029/U+0085 escaped for line-splitting readers."""
    from pipelines.rejectlog.jsonsafe import escape_line_breaks

    text = json.dumps(item, ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(item, ensure_ascii=True, default=str)
    return escape_line_breaks(text) + "\n"


def _open_output(path: str) -> IO[str]:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if path.endswith(".gz"):
        return gzip.open(path, "wt", encoding="utf-8")
    if path == "-":
        return _Unclosable(sys.stdout)
    return open(path, "w", encoding="utf-8")


class _Unclosable:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def __enter__(self) -> IO[str]:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()


class _progress:
    """A rich progress bar on a terminal (bytes read of the input's total, items/s, ETA);
    a no-op otherwise, so logs and pipes stay clean."""

    def __init__(self, mode: str, meter: Any, total_bytes: int | None) -> None:
        self.enabled = mode == "always" or (mode == "auto" and sys.stderr.isatty())
        self.meter, self.total = meter, total_bytes
        self.bar: Any = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn("filtering"), BarColumn(), DownloadColumn(),
                            TextColumn("{task.fields[items]} items, {task.fields[rate]} items/s"),
                            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                            transient=True)
        self.bar.start()
        task = self.bar.add_task("filter", total=self.total, items=0, rate="-")
        started = time.monotonic()
        done = 0

        def advance() -> None:
            nonlocal done
            done += 1
            if done % 20 == 0 or done == 1:
                rate = done / max(time.monotonic() - started, 1e-9)
                self.bar.update(task, completed=self.meter.bytes_read, items=done,
                                rate=f"{rate:,.0f}")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
