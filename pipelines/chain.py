"""The same chain a crawl runs (normalise -> detect/clean -> dedupe), without Scrapy's engine.

``spamsieve filter`` and the benchmarks push items through it one at a time. Each stage is
the very function the Scrapy pipelines call, so a dump re-filters to the same kept set as
the crawl that produced it. Every input ends as exactly one ``Outcome``: kept items (more
than one only when a spliced page is salvaged) or one rejected-log record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.detect import annotate, apply_cleaning, build_detector, rejection, salvaged_children
from pipelines.dumps.readers import ERROR_FIELD
from pipelines.errors import SpamSieveDrop, Unanalyzable
from pipelines.fields import FieldMap
from pipelines.ledger import detached
from pipelines.model import Evidence, Reason
from pipelines.normalize import prepare_document
from pipelines.writeback import write_back

STAGES = ("normalize", "detect", "dedupe")


@dataclass
class Outcome:
    kept: list[dict[str, Any]] = field(default_factory=list)
    rejected: SpamSieveDrop | None = None
    original: dict[str, Any] | None = None
    url: str = ""


class Chain:
    def __init__(
        self,
        values: dict[str, Any],
        *,
        disable: tuple[str, ...] = (),
        state_dir: str | None = None,
    ) -> None:
        self.values = values
        self.fieldmap = FieldMap.from_value(values["SPAMSIEVE_FIELDS"])
        self.detector = build_detector(values) if "detect" not in disable else None
        self.deduper = None
        if "dedupe" not in disable and values["SPAMSIEVE_DEDUPE_ENABLED"]:
            from pipelines.dedupe.pipeline import build_deduper

            self.deduper = build_deduper(values, state_dir=state_dir)
        self.counts: dict[str, int] = {}

    def process(self, item: dict[str, Any]) -> Outcome:
        original = detached(item)  # the item as read, whatever the stages write into it
        url = str(item.get(self.fieldmap.name("url")) or "")
        outcome = Outcome(original=original, url=url)
        try:
            outcome.kept = self._run(item)
        except SpamSieveDrop as exc:
            outcome.rejected = exc
        except Exception as exc:  # never lose an item to a bug: reject it with the reason
            outcome.rejected = Unanalyzable(
                f"unanalyzable/internal_error: {type(exc).__name__}: {exc}"[:300],
                reason="internal_error",
                reasons=[Reason("internal_error", 1.0, [Evidence("item", note=repr(exc)[:500])])],
                url=url,
            )
        key = "kept" if outcome.rejected is None else f"rejected/{outcome.rejected.stage}"
        self.counts[key] = self.counts.get(key, 0) + 1
        return outcome

    def _run(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        if ERROR_FIELD in item:
            message = str(item.pop(ERROR_FIELD))
            reason = "not_article" if message.startswith("not_article") else "unreadable_record"
            raise Unanalyzable(
                f"unanalyzable/{reason}: {message}"[:300],
                reason=reason,
                reasons=[Reason(reason, 1.0, [Evidence("item", note=message)])],
                url=str(item.get("url") or ""),
            )
        doc = prepare_document(
            item,
            self.fieldmap,
            extract_html=self.values["SPAMSIEVE_EXTRACT_HTML"],
            max_chars=self.values["SPAMSIEVE_MAX_TEXT_CHARS"],
        )
        write_back(item, self.fieldmap, doc)  # bytes/surrogates/mojibake: what the feed gets
        if doc.text and not item.get(self.fieldmap.name("text")):
            self.fieldmap.write(item, "text", doc.text) or item.__setitem__(
                self.fieldmap.name("text"), doc.text
            )
        items = [item]
        info: dict[str, Any] = {"verdict": "clean", "actions": []}
        if self.detector is not None:
            verdict = self.detector.analyze(doc)
            if verdict.verdict == "rejected":
                raise rejection(verdict, doc.url)
            if verdict.verdict == "cleaned":
                apply_cleaning(item, doc, verdict, self.fieldmap)
                if verdict.cleaned is not None:
                    doc = verdict.cleaned
            info = verdict.to_dict()
            if len(verdict.articles) > 1:
                items += salvaged_children(item, verdict, self.fieldmap, doc.url)
        kept = []
        for number, candidate in enumerate(items):
            if self.deduper is not None:
                # the first item's text is the (cleaned) document just analysed
                text = doc.text if candidate is item else self.fieldmap.read_text(candidate)
                key = str(candidate.get(self.fieldmap.name("url")) or f"item-{id(candidate)}")
                self.deduper.check_and_commit(text, key)
            annotate(candidate, self.fieldmap, self.values["SPAMSIEVE_ANNOTATE_FIELD"],
                     dict(info, article=number + 1) if len(items) > 1 else info)
            kept.append(candidate)
        return kept

    def close(self) -> None:
        if self.deduper is not None:
            self.deduper.close()
