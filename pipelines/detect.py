"""Detection stage: judge each item, clean what can be saved, reject the rest with evidence.

The judging itself lives in ``pipelines.detection`` (pure Python, no Scrapy); this module
applies a verdict to an item of any type — writing cleaned values back into the user's
mapped fields, annotating only where the user opted in, raising the ``DropItem`` subclass
of the rejection family — and is shared by the Scrapy pipeline and ``spamsieve filter``.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from scrapy.exceptions import NotConfigured

from pipelines.config import validate_settings
from pipelines.errors import FAMILY_EXCEPTIONS, GamblingPollution, Unanalyzable
from pipelines.fields import FieldMap
from pipelines.ledger import ItemLedger
from pipelines.model import Document, Evidence, Reason, Verdict

logger = logging.getLogger(__name__)

SALVAGE_FRAGMENT = "#spamsieve-article-"


def build_detector(values: dict[str, Any]):
    """The Detector configured from validated SPAMSIEVE_* values."""
    from pipelines.detection import Detector
    from pipelines.detection.allowlist import Allowlist

    return Detector(
        lexicon_files=list(values["SPAMSIEVE_LEXICON_FILES"]),
        allowlist=Allowlist.load(values["SPAMSIEVE_ALLOWLIST_FILE"]),
        reject_score=values["SPAMSIEVE_REJECT_SCORE"],
        polluted_action=values["SPAMSIEVE_POLLUTED_ACTION"],
        clean=values["SPAMSIEVE_CLEAN"],
    )


def rejection(verdict: Verdict, url: str, log_level: str | None = None) -> GamblingPollution:
    """The DropItem subclass for a rejected verdict, with a one-line message."""
    exc_class = FAMILY_EXCEPTIONS.get(verdict.family, GamblingPollution)
    reason = verdict.main_reason or verdict.family or "gambling"
    names = ", ".join(r.name for r in sorted(verdict.reasons, key=lambda r: -r.score)[:4])
    message = f"gambling/{reason}: {verdict.family or 'polluted'} page (score {verdict.score:.2f}; {names})"
    return exc_class(
        message,
        reason=reason,
        reasons=verdict.reasons,
        score=verdict.score,
        url=url,
        extra={"family": verdict.family},
        log_level=log_level,
    )


def internal_error(exc: BaseException, url: str) -> Unanalyzable:
    """The rejection for an item a stage failed on: logged with the cause, never lost."""
    message = f"{type(exc).__name__}: {exc}"[:300]
    return Unanalyzable(
        f"unanalyzable/internal_error: {message}",
        reason="internal_error",
        reasons=[Reason("internal_error", 1.0, [Evidence("item", note=message)])],
        url=url,
    )


def apply_cleaning(item: Any, original: Document, verdict: Verdict, fieldmap: FieldMap) -> None:
    """Write the cleaned title/headline/text back into the item's own fields."""
    cleaned = verdict.cleaned
    if cleaned is None:
        return
    for canonical in ("title", "headline", "byline", "text", "hidden_links"):
        new = getattr(cleaned, canonical)
        if new != getattr(original, canonical):
            fieldmap.write(item, canonical, new)


def annotate(item: Any, fieldmap: FieldMap, field: str, payload: dict[str, Any]) -> bool:
    """Attach the verdict to the item — only if the item can hold the field."""
    if not fieldmap.can_hold(item, field):
        return False
    try:
        from itemadapter import ItemAdapter

        ItemAdapter(item)[field] = payload
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return True


def salvaged_children(item: Any, verdict: Verdict, fieldmap: FieldMap, url: str) -> list[Any]:
    """One item per extra article recovered from a spliced page (the first stays in ``item``)."""
    children = []
    for number, article in enumerate(verdict.articles[1:], start=2):
        child = copy.deepcopy(item)
        fieldmap.write(child, "url", f"{url}{SALVAGE_FRAGMENT}{number}")
        for canonical in ("title", "headline", "text"):
            fieldmap.write(child, canonical, getattr(article, canonical))
        children.append(child)
    return children


class DetectPipeline:
    """Scrapy pipeline: gambling-pollution detection and cleaning (stage ``gambling``)."""

    def __init__(self, crawler: Any, values: dict[str, Any]) -> None:
        self.crawler = crawler
        self.ledger = ItemLedger.of(crawler)
        self.fieldmap = FieldMap.from_value(values["SPAMSIEVE_FIELDS"])
        self.detector = build_detector(values)
        self.annotate = values["SPAMSIEVE_ANNOTATE"]
        self.annotate_field = values["SPAMSIEVE_ANNOTATE_FIELD"]
        self.log_level = values["SPAMSIEVE_DROP_LOG_LEVEL"]
        self._salvaged: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DetectPipeline:
        values = validate_settings(crawler.settings)
        if not values["SPAMSIEVE_ENABLED"]:
            raise NotConfigured("SPAMSIEVE_ENABLED is False")
        if not values["SPAMSIEVE_DETECT_ENABLED"]:
            raise NotConfigured("SPAMSIEVE_DETECT_ENABLED is False")
        return cls(crawler, values)

    async def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        if id(item) in self._salvaged:  # an article already recovered from a spliced page
            self._salvaged.discard(id(item))
            stats.inc_value("spamsieve/verdict/cleaned")
            return item
        document = self.ledger.notes_for(item).get("document")
        if document is None:  # NormalizePipeline not enabled: read the item directly
            document, _ = self.fieldmap.read(item)
        try:
            verdict = self.detector.analyze(document)
        except Exception as exc:  # a detector bug must reject this item, not crash the chain
            logger.exception("spamsieve detection failed on %s", document.url)
            stats.inc_value("spamsieve/unanalyzable/internal_error")
            raise internal_error(exc, document.url) from exc
        stats.inc_value(f"spamsieve/verdict/{verdict.verdict}")
        for reason in verdict.reasons:
            stats.inc_value(f"spamsieve/signal/{reason.name}")
        self.ledger.note(item, verdict=verdict)
        if verdict.verdict == "rejected":
            raise rejection(verdict, document.url, self.log_level)
        if verdict.verdict == "cleaned":
            apply_cleaning(item, document, verdict, self.fieldmap)
            stats.inc_value("spamsieve/cleaned")
            if verdict.cleaned is not None:
                self.ledger.note(item, document=verdict.cleaned)
        if self.annotate:
            annotate(item, self.fieldmap, self.annotate_field, verdict.to_dict())
        if len(verdict.articles) > 1:
            await self._schedule_salvaged(item, verdict, document.url)
        return item

    async def _schedule_salvaged(self, item: Any, verdict: Verdict, url: str) -> None:
        scraper = getattr(self.crawler.engine, "scraper", None)
        start = getattr(scraper, "start_itemproc_async", None)
        if start is None:
            logger.warning("this Scrapy cannot add salvaged articles; only the first is kept")
            return
        for child in salvaged_children(item, verdict, self.fieldmap, url):
            self._salvaged.add(id(child))
            self.crawler.stats.inc_value("spamsieve/salvaged_articles")
            await start(child, response=None)
