"""``python -m pipelines.bench.fuzz --n 10000 --seed 1``: push generated bad items through
the real chain and check that every one of them is accounted for.

Why: "every item ends up kept or in the rejected log, bad input never crashes the crawl"
is a promise about *all* inputs, which unit tests of chosen examples cannot keep. This
command generates seeded, reproducible broken items (``tests/fuzz_items.py``: missing
fields, wrong types, bytes, mojibake, control characters, lone surrogates, malformed
HTML, brand stuffing...) plus a fixed handful of heavy adversarial ones, runs them through

* ``--via scrapy`` (default): the add-on's Scrapy pipeline classes and rejected-items
  log extension, with the signals the engine sends (``pipelines.bench.scrapy_harness``);
* ``--via chain``: ``pipelines.chain.Chain`` plus the rejected-log writer, as
  ``spamsieve filter`` does;

and prints items tried, outcomes by stage/reason, escaped exceptions (item_error or a
failing signal handler: must be 0), the exact accounting check (every item id is kept or
has exactly one rejected-log record, never both, never neither) and the slowest items.
Exit status 0 only when there were no escaped exceptions and the accounting is exact.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ID_FIELD = "fuzz_id"


def _fuzz_items_module() -> Any:
    """The generators live with the tests (shared with them); import them from the repo."""
    tests = str(REPO / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import fuzz_items  # noqa: PLC0415 - needs the path above

    return fuzz_items


@dataclass
class Report:
    tried: int = 0
    kept_ids: set[int] = field(default_factory=set)
    rejected_ids: list[int] = field(default_factory=list)  # from the rejected log
    outcomes: Counter[str] = field(default_factory=Counter)
    by_case: dict[str, Counter[str]] = field(default_factory=dict)
    escaped: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str, int]] = field(default_factory=list)
    elapsed: float = 0.0

    def problems(self) -> list[str]:
        """Accounting errors: ids neither kept nor logged, logged twice, or both."""
        rejected = Counter(self.rejected_ids)
        all_ids = set(range(self.tried))
        issues = []
        missing = all_ids - self.kept_ids - set(rejected)
        twice = [i for i, n in rejected.items() if n > 1]
        both = self.kept_ids & set(rejected)
        if missing:
            issues.append(f"{len(missing)} item(s) neither kept nor logged: {sorted(missing)[:10]}")
        if twice:
            issues.append(f"{len(twice)} item(s) logged more than once: {sorted(twice)[:10]}")
        if both:
            issues.append(f"{len(both)} item(s) both kept and logged: {sorted(both)[:10]}")
        unknown = set(rejected) - all_ids
        if unknown:
            issues.append(f"{len(unknown)} log record(s) for unknown ids")
        kept, logged = len(self.kept_ids), sum(rejected.values())
        if kept + logged != self.tried:
            issues.append(f"kept {kept} + rejected {logged} != tried {self.tried}")
        return issues


def items(n: int, seed: int, heavy: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """The heavy adversarial items first (when asked), then ``n`` fuzzed ones in total."""
    fuzz_items = _fuzz_items_module()
    count = 0
    if heavy:
        for name, item in fuzz_items.heavy_items():
            if count >= n:
                return
            count += 1
            yield f"heavy/{name}", item
    yield from fuzz_items.fuzz_stream(n - count, seed)


def _record(report: Report, case: str, index: int, label: str, seconds: float) -> None:
    report.outcomes[label] += 1
    report.by_case.setdefault(case.split("/")[0], Counter())[label] += 1
    report.slowest.append((seconds, case, index))
    report.slowest = sorted(report.slowest, reverse=True)[:5]


def run_scrapy(n: int, seed: int, heavy: bool, workdir: Path) -> Report:
    from pipelines.bench.scrapy_harness import ScrapyChain
    from pipelines.review.reader import read_records

    chain = ScrapyChain(workdir, {"SPAMSIEVE_ANNOTATE": False})
    report = Report()
    started = time.perf_counter()
    for index, (case, item) in enumerate(items(n, seed, heavy)):
        item[ID_FIELD] = index
        t0 = time.perf_counter()
        result = chain.process(item)
        _record(report, case, index, result.label, time.perf_counter() - t0)
        report.tried += 1
        if result.status == "kept":
            report.kept_ids.add(index)
        elif result.status == "error":
            report.escaped.append(f"item {index} ({case}): {result.exception!r}"[:300])
    chain.close()
    report.elapsed = time.perf_counter() - started
    report.escaped += [f"signal handler: {f.getErrorMessage()}"[:300] for f in chain.signal_failures]
    report.rejected_ids = [r["item"].get(ID_FIELD) for r in read_records([workdir / "rejected.jsonl"])]
    return report


def run_chain(n: int, seed: int, heavy: bool, workdir: Path) -> Report:
    from scrapy.settings import Settings

    from pipelines.chain import Chain
    from pipelines.config import validate_settings
    from pipelines.defaults import SETTINGS
    from pipelines.rejectlog.records import build_record
    from pipelines.rejectlog.writer import RejectedLogWriter
    from pipelines.review.reader import read_records

    settings = Settings({s.name: s.default for s in SETTINGS})
    settings.set("SPAMSIEVE_ALLOWLIST_FILE", str(workdir / "allowlist.txt"))
    chain = Chain(validate_settings(settings))
    log_path = workdir / "rejected-chain.jsonl"
    report = Report()
    started = time.perf_counter()
    with RejectedLogWriter(log_path) as log:
        for index, (case, item) in enumerate(items(n, seed, heavy)):
            item[ID_FIELD] = index
            t0 = time.perf_counter()
            try:
                outcome = chain.process(item)
            except Exception as exc:  # Chain promises this never happens
                report.escaped.append(f"item {index} ({case}): {exc!r}"[:300])
                report.tried += 1
                continue
            report.tried += 1
            if outcome.rejected is None:
                label = "kept"
                report.kept_ids.add(index)
            else:
                label = f"{outcome.rejected.stage}/{outcome.rejected.reason}"
                log.write(build_record(item_snapshot=outcome.original or {},
                                       exception=outcome.rejected, spider="fuzz",
                                       job="fuzz", url=outcome.url))
            _record(report, case, index, label, time.perf_counter() - t0)
    chain.close()
    report.elapsed = time.perf_counter() - started
    report.rejected_ids = [r["item"].get(ID_FIELD) for r in read_records([log_path])]
    return report


def render(report: Report, via: str) -> str:
    lines = [f"spamsieve fuzz via {via}: {report.tried} items tried in {report.elapsed:.1f}s"]
    kept = report.outcomes.get("kept", 0)
    lines.append(f"  kept {kept}, rejected {report.tried - kept} "
                 f"(rejected-log records: {len(report.rejected_ids)})")
    lines.append("  outcomes by stage/reason:")
    lines += [f"    {label:40} {count}" for label, count in report.outcomes.most_common()]
    lines.append("  outcomes by input case:")
    for case, counter in sorted(report.by_case.items()):
        lines.append(f"    {case:18} " + ", ".join(f"{k}: {v}" for k, v in counter.most_common()))
    lines.append(f"  escaped exceptions: {len(report.escaped)}")
    lines += [f"    {e}" for e in report.escaped[:20]]
    problems = report.problems()
    lines.append("  accounting: " + ("exact (kept + rejected == tried, each id exactly once)"
                                     if not problems else "BROKEN: " + "; ".join(problems)))
    lines.append("  slowest items: " + ", ".join(f"{s:.2f}s ({case} #{i})"
                                                 for s, case, i in report.slowest))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="items to try (heavy ones included)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--via", choices=("scrapy", "chain", "both"), default="scrapy")
    parser.add_argument("--no-heavy", dest="heavy", action="store_false",
                        help="skip the multi-megabyte adversarial items")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the rejected logs go (default: a temporary directory)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="spamsieve-fuzz-"))
    workdir.mkdir(parents=True, exist_ok=True)
    ok = True
    for via in (("scrapy", "chain") if args.via == "both" else (args.via,)):
        run = run_scrapy if via == "scrapy" else run_chain
        report = run(args.n, args.seed, args.heavy, workdir)
        print(render(report, via))
        print(f"  rejected log in {workdir}")
        ok = ok and not report.escaped and not report.problems()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
