"""``spamsieve bench``: the performance numbers, printed side by side in one run.

The options are defined next to the benchmark (``pipelines.bench.chain_bench``), so
``python -m pipelines.bench.chain_bench`` and ``spamsieve bench`` accept the same ones.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    from pipelines.bench.chain_bench import build_parser

    parser = subparsers.add_parser(
        "bench",
        help="benchmark the chain, a real crawl and memory against the targets",
        description="Throughput of every stage and of the whole chain vs simhash.Simhash, the "
                    "pipelines' CPU overhead in a real crawl, index and streaming memory.",
    )
    build_parser(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipelines.bench.chain_bench import main

    return main(args)
