"""A local-file feed storage that hands every exported item to the OS at once.

Why: Scrapy's ``FileFeedStorage`` opens the feed with Python's default 8 KiB buffer, so
the last few kept items of a crawl live only in process memory until the buffer fills or
the feed closes. spamsieve's dedupe state records those items as kept as soon as
``item_scraped`` fires. A crawl killed (SIGKILL, OOM killer, a crashed container) while
items sat in the buffer then loses them from the feed *and* the next crawl rejects their
re-crawled pages as duplicates of what it believes was kept: silent, permanent loss.

With this storage (installed by the add-on for ``file://`` and bare-path feeds unless the
user chose their own), each item the exporter writes is one unbuffered ``write()``: once
the feed exporter's ``item_scraped`` handler returns — it runs before the dedupe
pipeline's handler, which commits the fingerprint — the line is in the kernel and
survives the death of the process. (Power loss still needs ``fsync``; that is not
attempted per item.) A SIGKILL can still cut the one line being written; appending to
such a file first ends that torn line, so the next run's first item is not glued to it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage


class _WholeWrites(io.FileIO):
    """An unbuffered file whose ``write`` always writes everything it is given."""

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            written = super().write(view)
            if written is None:  # non-blocking descriptor: cannot happen for files
                continue
            view = view[written:]
        return total


class UnbufferedFileFeedStorage(FileFeedStorage):
    """``FileFeedStorage`` without the in-process write buffer (see the module doc)."""

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
        handle = _WholeWrites(path, self.write_mode.replace("b", ""))
        if "a" in self.write_mode and _torn_tail(path):
            handle.write(b"\n")  # end the half-written last line a killed crawl left
        return handle  # type: ignore[return-value]


def _torn_tail(path: Path) -> bool:
    """Whether ``path`` ends inside a line (a SIGKILL can cut a large ``write()``)."""
    with path.open("rb") as existing:
        existing.seek(0, 2)
        if existing.tell() == 0:
            return False
        existing.seek(-1, 2)
        return existing.read(1) != b"\n"
