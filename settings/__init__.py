"""Scrapy settings of the spamsieve project (``scrapy.cfg`` points here).

The spamsieve chain is switched on with one line, exactly as a user of the plug-in would
do it in their own project: ``ADDONS = {"pipelines.SpamSieveAddon": 100}``. Every
``SPAMSIEVE_*`` default lives in ``pipelines/defaults.py``; only the project's choices
that differ from those defaults are set here.
"""

BOT_NAME = "spamsieve"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

ADDONS = {"pipelines.SpamSieveAddon": 100}

# The project's ArticleItem declares a `spamsieve` field, so annotating is safe here.
SPAMSIEVE_ANNOTATE = True

FEEDS = {
    "output/kept.jsonl": {"format": "jsonlines", "encoding": "utf-8", "overwrite": True},
}
FEED_EXPORT_ENCODING = "utf-8"

ROBOTSTXT_OBEY = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
CONCURRENT_REQUESTS = 16
DOWNLOAD_TIMEOUT = 30
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
