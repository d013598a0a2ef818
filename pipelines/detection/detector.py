"""The detector: run the signals, score, decide, clean. The one entry point callers use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pipelines.detection.allowlist import Allowlist
from pipelines.detection.cleaning import (
    cleaned_document,
    plan_cleaning,
    salvage_articles,
)
from pipelines.detection.context import Context
from pipelines.detection.legit import legit_strength
from pipelines.detection.lexicon import Lexicon
from pipelines.detection.screen import screened_signals
from pipelines.detection.signals import Signal, load_signals
from pipelines.detection.signals.injected_lines import promo_share
from pipelines.detection.signals.lexicon_density import SPAM_REPEATS
from pipelines.detection.verdict import family_of, title_hijacked, total_score
from pipelines.model import Document, Reason, Verdict

POLLUTED_ACTIONS = ("reject", "salvage")
MIN_CLEAN_SCORE = 0.3  # below this, nothing on the page is treated as pollution
SALVAGEABLE = ("hijacked", "spliced")
RESIDUAL_PROMOTION = 0.3
PROMOTION_SHARE = 0.4  # share of the body's characters in gambling lines where the page *is* promotion
PROMOTION_SHARE_UNDER_TITLE = 0.1  # the same under a gambling title: a promo page with some news appended
MIN_KEPT_FRACTION = 0.3  # cleaning that leaves less than this of the text found no article  # density left after removing injections: the page itself promotes


class Detector:
    """Gambling-pollution detection and cleaning for one :class:`Document` at a time."""

    def __init__(
        self,
        *,
        lexicon_files: Sequence[str] = (),
        allowlist: Allowlist | None = None,
        reject_score: float = 1.0,
        polluted_action: str = "reject",
        clean: bool = True,
        screen: bool = True,
    ) -> None:
        if polluted_action not in POLLUTED_ACTIONS:
            raise ValueError(f"polluted_action must be one of {POLLUTED_ACTIONS}, got {polluted_action!r}")
        self.lexicon = Lexicon.load(list(lexicon_files))
        self.allowlist = allowlist or Allowlist()
        self.reject_score = reject_score
        self.polluted_action = polluted_action
        self.clean = clean
        self.signals = load_signals()
        self.screen = screen  # False: always run every signal (the screen's equivalence test)

    def score(self, doc: Document) -> tuple[Context, list[Reason]]:
        """The context and the reasons that fired (content signals legit-discounted)."""
        ctx = Context(doc, self.lexicon, self.allowlist)
        runnable = screened_signals(ctx, self.signals) if self.screen else None
        if runnable is None:
            legit = legit_strength(ctx)
            return ctx, _discounted(_fired(ctx, self.signals), *legit)
        # the screen ruled out every other signal: the same reasons, for less; the legit
        # discount is only worked out when one of these fires (on most pages none does)
        fired = _fired(ctx, runnable)
        return ctx, _discounted(fired, *legit_strength(ctx)) if fired else []

    def analyze(self, doc: Document) -> Verdict:
        if self.allowlist.allows_url(doc.url):
            return Verdict("clean", 0.0, cleaned=_copy(doc))
        ctx, reasons = self.score(doc)
        score = total_score(reasons)
        if score < MIN_CLEAN_SCORE:
            return Verdict("clean", score, reasons, cleaned=_copy(doc))
        family = family_of(reasons)
        plan = plan_cleaning(ctx, title_hijacked(reasons))
        if score >= self.reject_score:
            if family in SALVAGEABLE and self.polluted_action == "salvage":
                # only what reads as a clean article once recovered is salvaged: a promotion
                # page under a hijack-style title recovers nothing but promotion
                articles = [a for a in salvage_articles(ctx, plan)
                            if total_score(self.score(a)[1]) < self.reject_score]
                cleaned = cleaned_document(ctx, plan)
                if articles or total_score(self.score(cleaned)[1]) < self.reject_score:
                    if articles:
                        cleaned = replace(cleaned, title=articles[0].title) if len(articles) == 1 else cleaned
                    return Verdict("cleaned", score, reasons, plan.actions, cleaned, family, articles)
                family = "promotion"
            built_on_keyword = len(ctx.text.hits("spam")) >= SPAM_REPEATS  # the keyword is the topic
            share = promo_share(ctx, plan.removed_lines) if family != "spliced" else 0.0
            gambling_title = any(r.name == "title_stuffing" and r.score >= 0.5 for r in reasons)
            under_title = family != "hijacked" and gambling_title
            if share >= PROMOTION_SHARE or (under_title and share >= PROMOTION_SHARE_UNDER_TITLE):
                family = "promotion"  # most of the page is gambling promotion: nothing to keep
            elif family in ("injected", "promotion") and self.clean and plan.actions and not built_on_keyword:
                cleaned = cleaned_document(ctx, plan)
                _, residual = self.score(cleaned)
                promotional = any(r.name == "lexicon_density" and r.score >= RESIDUAL_PROMOTION for r in residual)
                mostly_kept = len(cleaned.text.strip()) >= MIN_KEPT_FRACTION * len(doc.text.strip())
                if total_score(residual) < self.reject_score and not promotional and mostly_kept:
                    # everything gambling on the page was removable: injected, now clean
                    return Verdict("cleaned", score, reasons, plan.actions, cleaned, "injected")
                if promotional:
                    family = "promotion"  # the gambling talk is the page, not an insertion
            return Verdict("rejected", score, reasons, plan.actions, None, family)
        if self.clean and plan.actions:
            return Verdict("cleaned", score, reasons, plan.actions, cleaned_document(ctx, plan))
        return Verdict("clean", score, reasons, cleaned=_copy(doc))


def _fired(ctx: Context, signals: list[Signal]) -> list[tuple[Signal, Reason]]:
    """Each signal that fired (a positive score) with its reason, in signal order."""
    fired = []
    for signal in signals:
        reason = signal.detect(ctx)
        if reason is not None and reason.score > 0:
            fired.append((signal, reason))
    return fired


def _discounted(fired: list[tuple[Signal, Reason]], discount: float,
                legit_reason: Reason | None) -> list[Reason]:
    """The reasons, content signals' scores discounted by the legit-context strength,
    plus the legit reason when anything fired."""
    reasons = []
    for signal, reason in fired:
        if signal.kind == "content" and discount:
            reason.score = round(reason.score * (1.0 - discount), 3)
        reasons.append(reason)
    if legit_reason is not None and reasons:
        reasons.append(legit_reason)
    return reasons


def _copy(doc: Document) -> Document:
    """``replace(doc, hidden_links=<copies>)``: every clean page returns one, and copying
    the instance dict of the plain dataclass skips ``replace``'s per-field keyword
    building (a third of the cost)."""
    copied = object.__new__(doc.__class__)
    copied.__dict__.update(doc.__dict__)
    copied.hidden_links = [dict(link) for link in doc.hidden_links]
    return copied
