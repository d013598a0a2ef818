"""Preset for running many ``scrapy crawl articles`` processes as one crawl, via Redis.

    SPAMSIEVE_REDIS_URL=redis://HOST:6379/0 SPAMSIEVE_WORKER=w1 \\
    SCRAPY_SETTINGS_MODULE=settings.distributed scrapy crawl articles \\
        -a redis_key=spamsieve:start_urls

Everything the processes must agree on lives in that one Redis: the request queue and
request dupefilter (scrapy-redis), the start URLs (a Redis list, see
``crawler.spiders.redis_mode``) and the near-duplicate index (spamsieve's redis backend),
so a copied article fetched by two workers at once is kept exactly once. What each
process writes on its own disk is suffixed with its worker name (``SPAMSIEVE_WORKER``,
default: the pid), so workers sharing a directory never write into one file.
"""

from __future__ import annotations

import os
import warnings

from scrapy.exceptions import ScrapyDeprecationWarning

from settings import *  # noqa: F403 - the project's settings, then the distributed overrides

# scrapy-redis 0.9.1 still calls Spider.log() and passes spider= to the stats collector;
# harmless on Scrapy 2.19 but it floods every worker's log with warnings users cannot fix.
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")

_REDIS_URL = os.environ.get("SPAMSIEVE_REDIS_URL", "redis://127.0.0.1:6379/0")
_WORKER = os.environ.get("SPAMSIEVE_WORKER") or str(os.getpid())
_PREFIX = os.environ.get("SPAMSIEVE_REDIS_PREFIX", "spamsieve")

# scrapy-redis: one shared request queue and request dupefilter for every worker.
SCHEDULER = "scrapy_redis.scheduler.Scheduler"
DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
# Persist: with False, the first worker to finish would delete the queue and dupefilter
# under the others' feet. Clear them between crawls yourself (README "Scaling out").
SCHEDULER_PERSIST = True
SCHEDULER_QUEUE_KEY = f"{_PREFIX}:%(spider)s:requests"
SCHEDULER_DUPEFILTER_KEY = f"{_PREFIX}:%(spider)s:dupefilter"
REDIS_URL = _REDIS_URL

# Start URLs from a Redis list (used when the spider gets -a redis_key=...); a worker that
# has nothing to do for this long closes, so a batch of workers ends when the crawl does.
SPAMSIEVE_REDIS_START_KEY = os.environ.get("SPAMSIEVE_REDIS_START_KEY", "")
MAX_IDLE_TIME_BEFORE_CLOSE = int(os.environ.get("SPAMSIEVE_IDLE_CLOSE", "30"))

# spamsieve: the shared near-duplicate index.
SPAMSIEVE_DEDUPE_BACKEND = "redis"
SPAMSIEVE_REDIS_URL = _REDIS_URL
SPAMSIEVE_REDIS_PREFIX = _PREFIX

# Per-worker outputs. Feeds append (overwrite False): a restarted worker of the same name
# must not erase what its previous run kept.
FEEDS = {
    f"output/kept-{_WORKER}.jsonl": {
        "format": "jsonlines", "encoding": "utf-8", "overwrite": False,
    },
}
SPAMSIEVE_REJECTED_LOG = f"output/rejected-{_WORKER}.jsonl"
