"""``spamsieve review``: the rejected-items log's review tool.

Sub-commands: ``summary`` (the default: ``spamsieve review LOG...`` is
``spamsieve review summary LOG...``), ``list``, ``show``, ``restore``, ``allow``, ``report``.

The top-level dispatcher only hands this command its raw arguments (the ``review`` parser
treats every word as a positional); :func:`run` parses them with its own parser. That is
what lets a bare ``review LOG`` mean ``summary`` without argparse rejecting LOG as an
unknown sub-command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from pipelines.defaults import DEFAULTS
from pipelines.review.allow import KINDS, AllowError, add_entry
from pipelines.review.filters import FilterError, RecordFilter
from pipelines.review.listing import render_list
from pipelines.review.reader import LogNotFound, LogReader
from pipelines.review.report_html import render_report
from pipelines.review.restore import write_restored
from pipelines.review.show import RecordNotFound, find_record, render_show
from pipelines.review.summary import render_summary, summarize

SUBCOMMANDS = ("summary", "list", "show", "restore", "allow", "report")
PROG = "spamsieve review"


def register(subparsers: Any) -> None:
    """Add ``review`` to the ``spamsieve`` parser (arguments are parsed by :func:`run`)."""
    parser = subparsers.add_parser(
        "review", add_help=False, prefix_chars="\x00",
        help="summarise, list, show, restore and report rejected-log records",
        description="Run `spamsieve review --help` for the sub-commands.",
    )
    parser.add_argument("review_argv", nargs="*", metavar="ARGS")
    parser.set_defaults(func=lambda args: run(args.review_argv))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Review the rejected-items log. `spamsieve review LOG...` = summary.",
    )
    sub = parser.add_subparsers(dest="action", metavar="{" + ",".join(SUBCOMMANDS) + "}")

    p = sub.add_parser("summary", help="counts by stage/reason, domain, day, score, terms")
    _logs(p)
    _json(p)
    _filters(p)
    p.set_defaults(handler=cmd_summary)

    p = sub.add_parser("list", help="one line per record: id, time, stage/reason, score, url")
    _logs(p)
    _json(p)
    _filters(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="one record with its evidence highlighted in the item")
    p.add_argument("id", help="record id (a unique prefix is enough)")
    _logs(p)
    _json(p)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("restore", help="write the original items as JSON Lines")
    _logs(p)
    p.add_argument("--id", dest="ids", action="append", default=[], metavar="ID",
                   help="restore this record (repeatable; a unique prefix is enough)")
    _filters(p)
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    p.add_argument("--append", action="store_true", help="append to --output instead of "
                   "replacing it (e.g. the crawl's kept items feed)")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("allow", help="add a domain, URL regex or term to the allowlist")
    group = p.add_mutually_exclusive_group(required=True)
    for kind, metavar in zip(KINDS, ("DOMAIN", "REGEX", "TERM"), strict=True):
        group.add_argument(f"--{kind}", metavar=metavar)
    p.add_argument("--file", default=DEFAULTS["SPAMSIEVE_ALLOWLIST_FILE"],
                   help="allowlist file (default: %(default)s, SPAMSIEVE_ALLOWLIST_FILE's default)")
    p.set_defaults(handler=cmd_allow)

    p = sub.add_parser("report", help="one self-contained HTML page of the records")
    _logs(p)
    _filters(p)
    p.add_argument("--html", required=True, metavar="OUT.html", help="page to write")
    p.add_argument("--title", default="spamsieve rejected items")
    p.set_defaults(handler=cmd_report)
    return parser


def _logs(p: argparse.ArgumentParser) -> None:
    p.add_argument("logs", nargs="+", metavar="LOG",
                   help="rejected log(s) (.jsonl or .jsonl.gz; rotated backups are included; "
                        "a directory means its *.jsonl[.gz] logs)")


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable JSON output")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reason", action="append", default=[],
                   help="main reason, stage/reason or any fired signal (repeatable)")
    p.add_argument("--stage", action="append", default=[], help="stage (repeatable)")
    p.add_argument("--domain", action="append", default=[],
                   help="domain, subdomains included (repeatable)")
    p.add_argument("--grep", help="regex searched in url, message, evidence and item")
    p.add_argument("--since", help="records at or after this UTC date/time (ISO)")


def run(argv: list[str]) -> int:
    """Entry point of ``spamsieve review`` (also handy in tests)."""
    parser = build_parser()
    if not argv:
        parser.print_help()
        return 2
    if argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help"):
        argv = ["summary", *argv]
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (LogNotFound, FilterError, RecordNotFound, AllowError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


def _console() -> Console:
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def _read(args: argparse.Namespace, *, filtered: bool = True) -> tuple[list[dict[str, Any]], LogReader]:
    reader = LogReader(args.logs)
    selection = RecordFilter(
        ids=getattr(args, "ids", ()) or (),
        reasons=getattr(args, "reason", ()) or (),
        stages=getattr(args, "stage", ()) or (),
        domains=getattr(args, "domain", ()) or (),
        grep=getattr(args, "grep", None),
        since=getattr(args, "since", None),
    ) if filtered else RecordFilter()
    records = list(selection.apply(reader))
    note = reader.stats.describe()
    if note:
        print(f"{PROG}: {note}", file=sys.stderr)
    return records, reader


def cmd_summary(args: argparse.Namespace) -> int:
    records, reader = _read(args)
    summary = summarize(records)
    if args.json:
        data = summary.to_dict()
        data["skipped_lines"] = reader.stats.bad_lines
        data["files"] = reader.stats.files
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        render_summary(summary, _console())
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    records, _ = _read(args)
    render_list(records, _console(), as_json=args.json)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    records, _ = _read(args, filtered=False)
    render_show(find_record(records, args.id), _console(), as_json=args.json)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    records, _ = _read(args)
    if args.ids:
        found = {str(r.get("id")) for r in records}
        missing = [i for i in args.ids if not any(f.startswith(i) for f in found)]
        if missing:
            print(f"{PROG}: error: no record with id {', '.join(missing)}", file=sys.stderr)
            return 2
    if args.output:
        out_path = Path(args.output)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with open(out_path, "ab" if args.append else "wb") as out:
            restored, skipped = write_restored(records, out)
    else:
        restored, skipped = write_restored(records, sys.stdout.buffer)
    where = args.output or "stdout"
    print(f"{PROG}: restored {restored} item(s) to {where}"
          + (f"; {skipped} record(s) had no item" if skipped else ""), file=sys.stderr)
    return 0


def cmd_allow(args: argparse.Namespace) -> int:
    kind = next(k for k in KINDS if getattr(args, k) is not None)
    added, line = add_entry(args.file, kind, getattr(args, kind))
    print(f"{line} {'added to' if added else 'already in'} {args.file}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    records, reader = _read(args)
    page = render_report(records, title=args.title, sources=reader.stats.files)
    out = Path(args.html)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    print(f"{PROG}: wrote {len(records)} record(s) to {out}", file=sys.stderr)
    return 0
