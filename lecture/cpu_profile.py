"""Where a build's CPU time goes, by part, when ``$NN_CPU_PROFILE`` names a folder (the benchmark sets it).

``NN_CPU_PROFILE=/tmp/prof python -m lecture build`` writes one JSON file per process into that
folder: the build's own (stitching, the page and captions, planning) and every render's (drawing,
colour conversion, encoding, TeX, speech, the history's loading, start-up and imports, joining the
partial movies and their sound). ``benchmarks/bench_frame_rate.py`` adds them up into the table
of ``benchmarks/README.md``. Without the variable nothing is measured and nothing is written.

Each part is the CPU time of the thread that does it (:func:`time.thread_time`), so that parts
that run at once on two threads (manim draws the next frame while its encoder thread encodes the
last; libx264 runs on the calling thread at the build's one thread per render) are not counted
twice; TeX adds the CPU time of its LaTeX and dvisvgm processes. What no part claims (building
mobjects, the scenes' own logic, updaters, Python's bookkeeping) is reported as the rest of the
process's CPU time.
"""

from __future__ import annotations

import json
import os
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROFILE_ENV = "NN_CPU_PROFILE"
"""A folder: every process of a build writes ``<role>-<pid>.json`` of CPU seconds by part into it."""

_parts: dict[str, float] = {}
_lock = threading.Lock()
_local = threading.local()  # .depth: the parts being measured on this thread, and how deep


def enabled() -> bool:
    """Whether ``$NN_CPU_PROFILE`` asks for a profile."""
    return bool(os.environ.get(PROFILE_ENV))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu() -> float:
    """CPU seconds of this process so far, all threads, and of its finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + _children_cpu()


@contextmanager
def measure(part: str, *, children: bool = False) -> Iterator[None]:
    """Add the calling thread's CPU time in the block (and, with ``children``, its subprocesses') to ``part``.

    A part measured inside itself (a wrapped function calling itself) is counted once.
    """
    depth: dict[str, int] = _local.__dict__.setdefault("depth", {})
    if depth.get(part, 0):
        yield
        return
    depth[part] = 1
    t0, c0 = time.thread_time(), _children_cpu() if children else 0.0
    try:
        yield
    finally:
        depth[part] = 0
        add(part, time.thread_time() - t0 + ((_children_cpu() - c0) if children else 0.0))


def add(part: str, seconds: float) -> None:
    """Add ``seconds`` to ``part``."""
    with _lock:
        _parts[part] = _parts.get(part, 0.0) + seconds


def write(role: str, **extra: object) -> Path | None:
    """Write the parts, the CPU time (own, children's) and ``extra`` to ``$NN_CPU_PROFILE/<role>-<pid>.json``.

    Returns the file written (``None`` when profiling is off). Written to a temporary name and
    renamed, so a reader sees the whole file or none.
    """
    folder = os.environ.get(PROFILE_ENV)
    if not folder:
        return None
    path = Path(folder) / f"{role}-{os.getpid()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    own = usage.ru_utime + usage.ru_stime
    with _lock:
        data = {"role": role, "self": own, "children": _children_cpu(), "parts": dict(sorted(_parts.items())), **extra}
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path
