"""Shared benchmark plumbing: run a function in a fresh process, time it, and report its peak memory."""

from __future__ import annotations

import multiprocessing as mp
import platform
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Measurement:
    label: str
    seconds: float
    peak_mb: float
    detail: Any = None


def _child(fn: Callable[..., Any], args: tuple[Any, ...], queue: mp.Queue) -> None:
    start = time.perf_counter()
    detail = fn(*args)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak_kb / 1024, detail))


def measure(label: str, fn: Callable[..., Any], *args: Any) -> Measurement:
    """Run ``fn(*args)`` in a fresh process (spawned, so memory is its own); time and peak RSS."""
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    seconds, peak, detail = queue.get()
    proc.join()
    if proc.exitcode:
        raise RuntimeError(f"{label} failed with exit code {proc.exitcode}")
    return Measurement(label, seconds, peak, detail)


def machine() -> str:
    return f"{platform.machine()}, {mp.cpu_count()} cores, Python {platform.python_version()}"


def table(rows: list[Measurement], baseline: Measurement) -> str:
    """A Markdown table of measurements with their ratio to the baseline."""
    out = ["| what | seconds | × baseline | peak MB | detail |", "|---|---:|---:|---:|---|"]
    for m in rows:
        ratio = m.seconds / baseline.seconds if baseline.seconds else float("nan")
        out.append(f"| {m.label} | {m.seconds:.2f} | {ratio:.2f} | {m.peak_mb:.0f} | {m.detail or ''} |")
    return "\n".join(out)
