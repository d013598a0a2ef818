"""Gambling-pollution detection and cleaning, as a pure-Python library.

``Detector(...).analyze(Document) -> Verdict`` is the whole API the Scrapy pipeline and
the CLI use; signals are documented in ``SIGNALS.md``.
"""

from pipelines.detection.allowlist import Allowlist, AllowlistError
from pipelines.detection.detector import Detector
from pipelines.detection.lexicon import Lexicon, LexiconError

__all__ = ["Allowlist", "AllowlistError", "Detector", "Lexicon", "LexiconError"]
