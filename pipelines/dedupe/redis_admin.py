"""Inspect or clear the redis dedupe state: ``python -m pipelines.dedupe.redis_admin``.

Why a tool: the dedupe keys are binary (bucket ids are raw bytes), so the usual
``redis-cli --scan | xargs redis-cli del`` breaks on them; and between two independent
crawls an operator needs to start from an empty index.

    python -m pipelines.dedupe.redis_admin size  [--url URL] [--prefix P]
    python -m pipelines.dedupe.redis_admin clear [--url URL] [--prefix P]

``--url``/``--prefix`` default to the SPAMSIEVE_REDIS_URL / SPAMSIEVE_REDIS_PREFIX
environment variables, as the ``settings.distributed`` preset reads them.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from pipelines.dedupe.redis_index import connect, redact_url

if TYPE_CHECKING:
    import redis

__all__ = ["clear_prefix", "main"]


def clear_prefix(client: redis.Redis, prefix: str) -> int:
    """Delete every key under ``prefix:`` (dedupe index, and with the distributed preset
    also the request queue, dupefilter and start list). Binary-safe, unlike piping
    ``redis-cli --scan`` into ``xargs``: bucket keys contain arbitrary bytes."""
    deleted, batch = 0, []
    for key in client.scan_iter(match=f"{prefix}:*", count=5000):
        batch.append(key)
        if len(batch) >= 5000:
            deleted += int(client.unlink(*batch))
            batch.clear()
    if batch:
        deleted += int(client.unlink(*batch))
    return deleted


def main(argv: list[str] | None = None) -> int:
    """Command line entry point (see the module doc)."""
    parser = argparse.ArgumentParser(description="Inspect or clear the redis dedupe state.")
    parser.add_argument("command", choices=("clear", "size"))
    parser.add_argument("--url", default=os.environ.get("SPAMSIEVE_REDIS_URL",
                                                        "redis://127.0.0.1:6379/0"))
    parser.add_argument("--prefix", default=os.environ.get("SPAMSIEVE_REDIS_PREFIX", "spamsieve"))
    args = parser.parse_args(argv)
    client = connect(args.url)
    if args.command == "clear":
        print(f"deleted {clear_prefix(client, args.prefix)} keys under {args.prefix}:")
    else:
        stored = int(client.hlen(f"{args.prefix}:r"))
        pending = int(client.zcard(f"{args.prefix}:p"))
        print(f"{stored} fingerprints ({pending} pending) under {args.prefix}: "
              f"at {redact_url(args.url)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
