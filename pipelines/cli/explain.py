"""``spamsieve explain PATH``: why a page is clean, cleaned or rejected.

The quickest way to understand (or dispute) a verdict: it runs the same ``Detector`` the
pipeline runs on a ``.txt`` page (first non-empty line = title), an ``.html`` page
(through the crawler's extractor) or a one-item ``.json`` file, and prints every reason
with its evidence highlighted in the original text, the cleaning actions and the cleaned
text. ``--json`` prints the same as one JSON object for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipelines.model import Document, Verdict

CONTEXT_CHARS = 30


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "explain", help="show the verdict, reasons and evidence for one page",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("path", type=Path, help=".txt page, .html page or one-item .json")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--url", default="", help="URL of a .txt/.html page (for url signals)")
    parser.add_argument("--lexicon", action="append", default=[], metavar="FILE",
                        help="extra lexicon file (repeatable)")
    parser.add_argument("--allowlist", default="", metavar="FILE", help="allowlist file")
    parser.add_argument("--salvage", action="store_true",
                        help="salvage hijacked/spliced pages instead of rejecting them")
    parser.set_defaults(func=run)


def load_document(path: Path, url: str = "") -> Document:
    """The page at ``path`` as a Document (raises ValueError with a clear message)."""
    if not path.is_file():
        raise ValueError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        from crawler.extract import extract_article
        from pipelines.fields import FieldMap

        item = extract_article(path.read_bytes(), url or path.resolve().as_uri(), keep_html=True)
        return FieldMap().read(item)[0]
    if suffix == ".json":
        from pipelines.fields import FieldMap

        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not valid JSON: {exc}") from None
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected one JSON object (an item)")
        doc = FieldMap().read(data)[0]
        if url:
            doc.url = url
        return doc
    from pipelines.detection.evaluate import page_document

    return page_document(path.read_text(encoding="utf-8", errors="replace"), url)


def run(args: argparse.Namespace) -> int:
    from pipelines.detection import Allowlist, AllowlistError, Detector, LexiconError

    try:
        doc = load_document(args.path, args.url)
        allowlist = Allowlist.load(args.allowlist) if args.allowlist else None
        detector = Detector(lexicon_files=args.lexicon, allowlist=allowlist,
                            polluted_action="salvage" if args.salvage else "reject")
    except (ValueError, LexiconError, AllowlistError, OSError) as exc:
        print(f"spamsieve explain: {exc}", file=sys.stderr)
        return 2
    verdict = detector.analyze(doc)
    if args.json:
        print(json.dumps(verdict_json(doc, verdict), ensure_ascii=False, indent=2))
    else:
        print_verdict(doc, verdict)
    return 0


def verdict_json(doc: Document, verdict: Verdict) -> dict[str, Any]:
    data = verdict.to_dict()
    data["family"] = verdict.family
    data["url"] = doc.url
    if verdict.cleaned is not None:
        data["cleaned"] = {"title": verdict.cleaned.title, "byline": verdict.cleaned.byline,
                           "text": verdict.cleaned.text}
    data["articles"] = [{"title": a.title, "text": a.text} for a in verdict.articles]
    return data


def print_verdict(doc: Document, verdict: Verdict) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    colour = {"clean": "green", "cleaned": "yellow", "rejected": "red"}[verdict.verdict]
    headline = Text(f"{verdict.verdict.upper()}", style=f"bold {colour}")
    headline.append(f"  score {verdict.score:.2f}")
    if verdict.family:
        headline.append(f"  family {verdict.family}")
    console.print(headline)
    console.print(f"title: {doc.title[:120]}")
    for reason in sorted(verdict.reasons, key=lambda r: -r.score):
        console.print(Text(f"\n{reason.name}  {reason.score:+.2f}", style="bold"))
        for evidence in reason.evidence:
            console.print(Text("  ") + _evidence_text(doc, evidence))
    if verdict.actions:
        console.print(Text("\nactions", style="bold"))
        for action in verdict.actions:
            where = f"[{action.start}:{action.end}]" if action.start is not None else ""
            line = f"  {action.action} {action.field}{where} {action.text[:60]!r}"
            if action.replacement is not None:
                line += f" -> {action.replacement[:60]!r}"
            console.print(Text(line + f"  ({action.reason})"))
    if verdict.articles:
        console.print(Text(f"\nsalvaged articles: {len(verdict.articles)}", style="bold"))
        for article in verdict.articles:
            console.print(f"  - {article.title[:80]} ({len(article.text)} chars)")
    if verdict.cleaned is not None and verdict.verdict == "cleaned":
        console.print(Text("\ncleaned text", style="bold"))
        console.print(Text(f"{verdict.cleaned.title}\n{verdict.cleaned.text}"))


def _evidence_text(doc: Document, evidence: Any) -> Any:
    """The evidence with its span highlighted inside a little original context."""
    from rich.text import Text

    source = getattr(doc, evidence.field, "") if evidence.field in ("title", "byline", "text", "headline", "meta_keywords") else ""
    label = Text(f"[{evidence.field}] ", style="dim")
    if isinstance(source, str) and evidence.start is not None and evidence.end is not None and source:
        before = source[max(0, evidence.start - CONTEXT_CHARS):evidence.start].replace("\n", " ⏎ ")
        after = source[evidence.end:evidence.end + CONTEXT_CHARS].replace("\n", " ⏎ ")
        label.append("…" + before)
        label.append(source[evidence.start:evidence.end].replace("\n", " ⏎ "), style="bold red reverse")
        label.append(after + "…")
    else:
        label.append(evidence.text[:100], style="bold red")
    extras = [evidence.note] if evidence.note else []
    if evidence.value is not None:
        extras.append(f"value={evidence.value}")
    if extras:
        label.append("  (" + "; ".join(extras) + ")", style="dim")
    return label
