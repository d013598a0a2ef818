"""CPU time and peak RSS of a child Python process, measured by the child itself.

Why not ``ru_maxrss`` from ``os.wait4``: on Linux a child's high-water mark starts from the
*parent's* RSS at fork, so a bench process holding a corpus would report its own size for
every child. Instead the child runs through this module, which records ``VmHWM`` (the
high-water mark of the exec'ed process alone) from ``/proc/self/status`` at exit. CPU
time still comes from ``wait4`` (it is not inherited).

Usage (internal): ``python -m pipelines.bench.measure OUT.json -m module args...``
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    cpu_s: float  # user + sys
    wall_s: float
    peak_rss_mb: float
    returncode: int


def high_water_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run_module(module_args: list[str], *, cwd: str | Path | None = None,
               env: dict[str, str] | None = None, stdout=subprocess.DEVNULL) -> Measured:
    """Run ``python -m <module_args...>`` in a child and measure it."""
    out = Path(cwd or ".") / f".measure-{os.getpid()}-{time.monotonic_ns()}.json"
    command = [sys.executable, "-m", "pipelines.bench.measure", str(out.resolve()), "-m",
               *module_args]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        peak = json.loads(out.read_text())["peak_rss_mb"]
        out.unlink()
    except (OSError, ValueError, KeyError):
        peak = 0.0
    return Measured(round(usage.ru_utime + usage.ru_stime, 3), round(wall, 3), round(peak, 1),
                    proc.returncode)


def _main() -> None:
    out, flag, module, *rest = sys.argv[1:]
    if flag != "-m":
        raise SystemExit("usage: python -m pipelines.bench.measure OUT.json -m module [args]")

    def record() -> None:
        Path(out).write_text(json.dumps({"peak_rss_mb": high_water_mb()}))

    atexit.register(record)
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _main()
