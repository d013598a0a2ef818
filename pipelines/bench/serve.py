"""A quiet static HTTP server for the crawl benchmark, run as a process of its own.

Why a separate process: the crawl's CPU time is read from ``os.wait4`` on the crawl
subprocess alone, so whatever the server spends answering requests is not counted as the
crawler's (or spamsieve's). Why not ``python -m http.server``: it logs every request to
stderr (CPU and noise), answers directory URLs with listings no real news site serves
(here they are 404s), closes the connection after every response (real servers keep it
alive) and cannot move itself off the core the crawl is pinned to.

The port is chosen by the OS (bind to port 0) and written as one line to stdout once the
socket listens, so the parent never races another program for a "free" port.

Usage (internal): ``python -m pipelines.bench.serve DIR [--cpus 0,2,3]``
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real site's server does
    # headers and body go out in two writes: with Nagle's algorithm on, every response on
    # a kept-alive connection would wait for the crawler's delayed ACK (~40 ms)
    disable_nagle_algorithm = True
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8"}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def list_directory(self, path):  # type: ignore[no-untyped-def]
        self.send_error(404, "Not found")
        return None


class Server(ThreadingHTTPServer):
    # socketserver's default listen backlog of 5 drops SYNs when the crawler opens its
    # connections at once; each dropped one costs a 1 s retransmit (wall time only)
    request_queue_size = 128


def set_cpus(cpus: set[int]) -> set[int]:
    """Move this process to ``cpus`` (the kernel drops the ones the container does not
    allow); keep the inherited affinity when that leaves nothing. Returns the CPUs used."""
    if hasattr(os, "sched_setaffinity") and cpus:
        try:
            os.sched_setaffinity(0, cpus)
        except OSError as exc:
            print(f"serve: cannot move to CPUs {sorted(cpus)} ({exc}); sharing the crawl's",
                  file=sys.stderr)
    return os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--cpus", default="", help="comma-separated CPUs to run on")
    args = parser.parse_args(argv)
    cpus = set_cpus({int(c) for c in args.cpus.split(",") if c.strip()})
    handler = partial(QuietHandler, directory=args.directory)
    with Server((args.bind, 0), handler) as server:
        # one line, parsed by crawl_bench: the port, then the CPUs the server runs on
        print(server.server_address[1], ",".join(map(str, sorted(cpus))), flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
