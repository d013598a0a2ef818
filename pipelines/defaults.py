"""Every ``SPAMSIEVE_*`` setting, its default and its meaning: the one place they live.

The add-on copies these defaults into the crawler settings at add-on priority (so the
user's own values win), ``pipelines.config`` validates them at start-up, and the README's
configuration table is generated from this list (``python -m pipelines.defaults
--update-readme``), so the
three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    kind: str  # bool | int | float | str | list | dict | choice
    doc: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("SPAMSIEVE_ENABLED", True, "bool",
            "Master switch. False turns every spamsieve component into a pass-through."),
    Setting("SPAMSIEVE_FIELDS", {}, "dict",
            "Maps spamsieve's canonical fields (url, title, headline, byline, text, html, "
            "hidden_links, meta_keywords, canonical_url) to your item's field names, "
            'e.g. {"title": "headline", "text": "content", "url": "link"}. '
            "Unmapped canonical fields use their own name."),
    Setting("SPAMSIEVE_ANNOTATE", False, "bool",
            "Write the verdict, score and cleaning actions into the item field named by "
            "SPAMSIEVE_ANNOTATE_FIELD. Off by default so typed items never get undeclared fields."),
    Setting("SPAMSIEVE_ANNOTATE_FIELD", "spamsieve", "str",
            "Item field that receives the annotation when SPAMSIEVE_ANNOTATE is on."),
    Setting("SPAMSIEVE_EXTRACT_HTML", True, "bool",
            "When an item has HTML but no text, extract title/text from the HTML with the "
            "crawler's extractor before detection."),
    Setting("SPAMSIEVE_MAX_TEXT_CHARS", 1_000_000, "int",
            "Longest text analysed. Longer texts are rejected as `unanalyzable` (too_long) "
            "instead of stalling the crawl.", minimum=1000),
    Setting("SPAMSIEVE_DETECT_ENABLED", True, "bool",
            "Run the gambling-pollution detection and cleaning stage."),
    Setting("SPAMSIEVE_REJECT_SCORE", 1.0, "float",
            "Score at or above which a page is polluted (rejected, or salvaged when "
            "SPAMSIEVE_POLLUTED_ACTION is salvage).", minimum=0.0),
    Setting("SPAMSIEVE_POLLUTED_ACTION", "reject", "choice",
            "What happens to hijacked or spliced pages: reject them, or salvage (keep the "
            "cleaned article with its recovered headline).", choices=("reject", "salvage")),
    Setting("SPAMSIEVE_CLEAN", True, "bool",
            "Remove injected gambling lines and spans from pages that are kept."),
    Setting("SPAMSIEVE_LEXICON_FILES", [], "list",
            "Extra lexicon files (one term per line, `category<TAB>term` or a bare term = "
            "brand) added to the bundled lexicon."),
    Setting("SPAMSIEVE_ALLOWLIST_FILE", "allowlist.txt", "str",
            "Allowlist written by `spamsieve review allow` and honoured by the pipelines "
            "(lines `domain:example.com`, `url:REGEX`, `term:WORD`). A missing file is empty."),
    Setting("SPAMSIEVE_DROP_LOG_LEVEL", "INFO", "choice",
            "Log level of Scrapy's 'Dropped:' line for spamsieve rejections (the line is "
            "shortened to URL, stage and reason; the full record is in the rejected log).",
            choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Setting("SPAMSIEVE_DEDUPE_ENABLED", True, "bool",
            "Run the near-duplicate stage."),
    Setting("SPAMSIEVE_DEDUPE_DISTANCE", 8, "int",
            "Largest Hamming distance (bits of 64) at which two fingerprints are the same "
            "article. Chosen by `python -m pipelines.dedupe.evaluate`.", minimum=0),
    Setting("SPAMSIEVE_DEDUPE_MIN_FEATURES", 40, "int",
            "Texts with fewer fingerprint features are not deduped (stat "
            "spamsieve/dedupe/too_short) rather than collapsing onto one fingerprint.",
            minimum=1),
    Setting("SPAMSIEVE_DEDUPE_BACKEND", "local", "choice",
            "Where the fingerprint index lives: local (memory, persisted under "
            "SPAMSIEVE_STATE_DIR) or redis (shared by many processes).",
            choices=("local", "redis")),
    Setting("SPAMSIEVE_STATE_DIR", "", "str",
            "Directory of the persistent dedupe state. Empty: JOBDIR/spamsieve when JOBDIR is "
            "set, else memory only (nothing survives the run)."),
    Setting("SPAMSIEVE_REDIS_URL", "redis://127.0.0.1:6379/0", "str",
            "Redis server of the redis dedupe backend."),
    Setting("SPAMSIEVE_REDIS_PREFIX", "spamsieve", "str",
            "Key prefix of the redis dedupe backend; processes sharing it share dedupe state."),
    Setting("SPAMSIEVE_REDIS_ON_ERROR", "stop", "choice",
            "When Redis is unreachable: stop the crawl, or fall back to a local index and log "
            "an error for every item deduped locally.", choices=("stop", "local")),
    Setting("SPAMSIEVE_REDIS_START_KEY", "", "str",
            "Redis list the project's spiders take start URLs from (scrapy-redis style, "
            "same as `-a redis_key=...`). Empty: the spider's own start URLs."),
    Setting("SPAMSIEVE_REDIS_LAYOUT", "auto", "str",
            "How the redis backend cuts fingerprints into probed blocks, `BLOCKSxRADIUS` "
            "(e.g. 4x1) or auto (chosen from SPAMSIEVE_DEDUPE_DISTANCE). Fixed when a prefix "
            "is first used; 3x2 beats auto's 4x1 past about two million articles, at twice "
            "the memory (see `python -m pipelines.dedupe.redis_bench`)."),
    Setting("SPAMSIEVE_REDIS_PENDING_TIMEOUT", 300.0, "float",
            "Seconds after which a fingerprint reserved by a worker that never committed or "
            "released it (the worker died) stops blocking its copies and is reclaimed. Must "
            "exceed the longest time an item spends in the pipelines after dedupe.",
            minimum=1.0),
    Setting("SPAMSIEVE_REJECTED_LOG", "output/rejected.jsonl", "str",
            "Rejected-items log (JSON Lines; gzip when the name ends in .gz). Empty disables it."),
    Setting("SPAMSIEVE_REJECTED_LOG_MAX_BYTES", 0, "int",
            "Rotate the rejected log when it reaches this size (0: never).", minimum=0),
    Setting("SPAMSIEVE_REJECTED_LOG_BACKUPS", 5, "int",
            "Rotated rejected logs kept (rejected.jsonl.1 ... .N).", minimum=0),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def markdown_table() -> str:
    """The README's configuration table."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    for s in SETTINGS:
        default = repr(s.default) if not isinstance(s.default, str) else f'"{s.default}"'
        choices = f" One of: {', '.join(s.choices)}." if s.choices else ""
        rows.append(f"| `{s.name}` | `{default}` | {s.doc}{choices} |")
    return "\n".join(rows)


START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"


def update_readme(path: str = "README.md") -> None:
    """Rewrite the table between the README's settings-table markers."""
    from pathlib import Path

    readme = Path(path).read_text("utf-8")
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    Path(path).write_text(f"{head}{START}\n{markdown_table()}\n{END}{tail}", "utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--update-readme"]:
        update_readme()
    else:
        print(markdown_table())
