"""The Scrapy add-on: one line in a user's settings enables the whole spamsieve chain.

``ADDONS = {"pipelines.SpamSieveAddon": 100}`` registers normalise -> detect/clean ->
dedupe as item pipelines, the rejected-items log as an extension and the short
"Dropped:" log formatter, and sets every SPAMSIEVE_* default at add-on priority, so
anything the user sets in settings.py or with ``-s`` wins.
"""

from __future__ import annotations

import copy
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from pipelines.config import ConfigError, validate_settings
from pipelines.defaults import SETTINGS

# Before typical storage pipelines (300+), after pipelines that fill items in (< 100).
PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 110,
    "pipelines.detect.DetectPipeline": 120,
    "pipelines.dedupe.pipeline.DedupePipeline": 130,
}
EXTENSIONS = {"pipelines.rejectlog.extension.RejectedItemsLog": 500}
LOG_FORMATTER = "pipelines.logformatter.SpamSieveLogFormatter"
# Unbuffered local feed files: the dedupe state must never get ahead of the kept feed
# (pipelines/feedstorage.py explains the data loss a killed crawl had otherwise).
FEED_STORAGE = "pipelines.feedstorage.UnbufferedFileFeedStorage"
DEFAULT_LOG_FORMATTER = "scrapy.logformatter.LogFormatter"


class SpamSieveAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        for setting in SETTINGS:
            settings.set(setting.name, copy.deepcopy(setting.default), priority="addon")
        try:
            values = validate_settings(settings)
        except ConfigError as exc:
            raise ConfigError(f"spamsieve is misconfigured: {exc}") from None
        if not values["SPAMSIEVE_ENABLED"]:
            raise NotConfigured("SPAMSIEVE_ENABLED is False: spamsieve passes every item through")
        _require("itemadapter", "pip install itemadapter")
        pipelines = settings.getdict("ITEM_PIPELINES")
        for path, order in PIPELINES.items():
            if path not in pipelines and _class_not_listed(pipelines, path):
                settings["ITEM_PIPELINES"][path] = order
        extensions = settings.getdict("EXTENSIONS")
        for path, order in EXTENSIONS.items():
            if path not in extensions and _class_not_listed(extensions, path):
                settings["EXTENSIONS"][path] = order
        storages = settings.getdict("FEED_STORAGES")
        for scheme in ("", "file"):  # local feeds: each kept item reaches the OS at once
            if scheme not in storages:
                settings["FEED_STORAGES"][scheme] = FEED_STORAGE
        if settings.get("LOG_FORMATTER") in (DEFAULT_LOG_FORMATTER, None):
            settings.set("LOG_FORMATTER", LOG_FORMATTER, priority="addon")


def _class_not_listed(components: dict[Any, Any], path: str) -> bool:
    """The user may have listed a component by class object instead of by path."""
    name = path.rsplit(".", 1)[1]
    return not any(getattr(key, "__name__", None) == name for key in components)


def _require(module: str, hint: str) -> None:
    try:
        __import__(module)
    except ImportError:
        raise NotConfigured(f"spamsieve needs the '{module}' package: {hint}") from None
