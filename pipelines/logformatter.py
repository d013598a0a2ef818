"""Short ``Dropped:``/``Error processing`` lines instead of Scrapy's item dumps.

Scrapy's default formatter prints the whole item after every drop; with article bodies
that buries the crawl log under megabytes of text, and the full record is in the
rejected-items log anyway. This formatter logs one line: stage/reason, URL and a short
message. The add-on sets ``LOG_FORMATTER`` to it.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter, LogFormatterResult

from pipelines.errors import SpamSieveDrop
from pipelines.fields import FieldMap, FieldMapError
from pipelines.rejectlog.records import shorten

MESSAGE_MAX_CHARS = 200
URL_MAX_CHARS = 150


class SpamSieveLogFormatter(LogFormatter):
    """LogFormatter whose drop/error lines never contain the item."""

    def __init__(self, drop_level: str = "INFO", fields: FieldMap | None = None,
                 default_drop_level: str = "WARNING") -> None:
        self.drop_level = drop_level
        self.default_drop_level = default_drop_level
        self.fields = fields or FieldMap({})

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpamSieveLogFormatter:
        settings = crawler.settings
        try:
            fields = FieldMap.from_value(settings.get("SPAMSIEVE_FIELDS"))
        except FieldMapError:
            fields = FieldMap({})
        return cls(
            drop_level=settings.get("SPAMSIEVE_DROP_LOG_LEVEL") or "INFO",
            fields=fields,
            default_drop_level=settings.get("DEFAULT_DROPITEM_LOG_LEVEL") or "WARNING",
        )

    def dropped(self, item: Any, exception: BaseException, response: Any,
                spider: Any = None) -> LogFormatterResult:
        level = getattr(exception, "log_level", None)
        if isinstance(exception, SpamSieveDrop):
            level = level or self.drop_level
            what = f"{exception.stage}/{exception.reason}"
            url = shorten(exception.url, URL_MAX_CHARS) if exception.url else self._url(item, response)
        else:
            level = level or self.default_drop_level
            what = f"{type(exception).__name__}"
            url = self._url(item, response)
        message = shorten(str(exception), MESSAGE_MAX_CHARS)
        return {
            "level": _level(level),
            "msg": "Dropped: %(what)s %(url)s(%(message)s)",
            "args": {"what": what, "url": f"{url} " if url else "", "message": message},
        }

    def item_error(self, item: Any, exception: BaseException, response: Any,
                   spider: Any = None) -> LogFormatterResult:
        url = self._url(item, response)
        return {
            "level": logging.ERROR,
            "msg": "Error processing %(url)s(%(exception)s)",
            "args": {"url": f"{url} " if url else "",
                     "exception": shorten(f"{type(exception).__name__}: {exception}",
                                          MESSAGE_MAX_CHARS)},
        }

    def _url(self, item: Any, response: Any) -> str:
        try:
            value = ItemAdapter(item).get(self.fields.name("url"))
        except TypeError:
            value = None
        if isinstance(value, str) and value:
            return shorten(value, URL_MAX_CHARS)
        return shorten(getattr(response, "url", "") or "", URL_MAX_CHARS)


def _level(level: Any) -> int:
    if isinstance(level, int):
        return level
    resolved = logging.getLevelName(str(level).upper())
    return resolved if isinstance(resolved, int) else logging.INFO
