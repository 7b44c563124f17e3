"""One progress display across all segment renders, and the table a build ends with.

``python -m lecture build`` shows, on a terminal, a live bar over the segments to render with one
line per running render (its animation count and time); when the output is not a terminal (CI,
a log file) it prints one line per event instead. The final table lists every segment with its
duration, whether it was rendered or re-used (and why it was rendered), and the time taken.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TextIO


def fmt_seconds(seconds: float | Fraction) -> str:
    """``7.3 s``, ``1:05.2`` or ``1:02:03``: durations and times in the table."""
    s = float(seconds)
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        m, s = divmod(s, 60)
        return f"{int(m)}:{s:04.1f}"
    h, rest = divmod(int(round(s)), 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}"


class Progress:
    """Render progress for a whole build (thread-safe: renders report from worker threads).

    Parameters
    ----------
    total : int
        Number of segments to render.
    stream : file, optional
        Where to draw (default ``sys.stderr``).
    live : bool, optional
        Draw a live display; default: when ``stream`` is a terminal and ``rich`` is available.
    """

    def __init__(self, total: int, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.start = time.perf_counter()
        self._lock = threading.Lock()
        self._rich: Any = None
        self._tasks: dict[str, Any] = {}
        if live is None:
            live = self.stream.isatty()
        if live and total:
            try:
                from rich.console import Console
                from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
                from rich.progress import Progress as RichProgress
            except ImportError:
                live = False
            else:
                self._rich = RichProgress(
                    SpinnerColumn(),
                    TextColumn("{task.description:<22}"),
                    BarColumn(bar_width=30),
                    TextColumn("{task.fields[detail]}"),
                    TimeElapsedColumn(),
                    console=Console(file=self.stream),
                    transient=True,
                )
                self._overall = self._rich.add_task("rendering", total=total, detail=f"0/{total} segments")
                self._rich.start()

    def _line(self, text: str) -> None:
        if self._rich is not None:
            self._rich.console.print(text, highlight=False, markup=False)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def started(self, name: str, expected: int | None = None, worker: str = "") -> None:
        """A render began; ``expected`` is how many animations its last render played, if known.

        ``worker``: the cluster worker running it (empty here).
        """
        on = f" on {worker}" if worker else ""
        with self._lock:
            if self._rich is not None:
                self._tasks[name] = self._rich.add_task(name, total=expected or None, detail=f"starting manim{on}")
            else:
                self._line(f"render {name}: started{on}")

    def animations(self, name: str, count: int) -> None:
        """A render has written ``count`` animations."""
        with self._lock:
            if self._rich is not None and name in self._tasks:
                task = self._tasks[name]
                total = self._rich.tasks[self._rich.task_ids.index(task)].total
                if total is not None and count > total:  # the scene grew since: no estimate
                    total = None
                    self._rich.update(task, total=None)
                shown = f"{count}/{int(total)}" if total else f"{count}"
                self._rich.update(task, completed=count, detail=f"{shown} animation{'s' * (shown != '1')}")

    def finished(self, name: str, seconds: float, duration: Fraction, worker: str = "") -> None:
        """A render completed (on cluster ``worker``, if not here)."""
        with self._lock:
            self.done += 1
            if self._rich is not None:
                self._rich.remove_task(self._tasks.pop(name))
                self._rich.update(self._overall, advance=1, detail=f"{self.done}/{self.total} segments")
            self._line(
                f"render [{self.done}/{self.total}] {name}: done in {fmt_seconds(seconds)} "
                f"({fmt_seconds(duration)} of video){f' on {worker}' if worker else ''}"
            )

    def failed(self, name: str, message: str) -> None:
        """A render failed."""
        with self._lock:
            self.done += 1
            if self._rich is not None and name in self._tasks:
                self._rich.remove_task(self._tasks.pop(name))
                self._rich.update(self._overall, advance=1)
            elif self._rich is not None:  # failed before it started (a cluster job)
                self._rich.update(self._overall, advance=1)
            self._line(f"render {name}: FAILED: {message}")

    def note(self, text: str) -> None:
        """Any other line (stitching, writing files)."""
        with self._lock:
            self._line(text)

    def close(self) -> None:
        """Remove the live display."""
        if self._rich is not None:
            self._rich.stop()
            self._rich = None


@dataclass(frozen=True)
class Row:
    """One line of the final table."""

    name: str
    duration: Fraction
    status: str
    seconds: float | None


def table(rows: list[Row], wall: float) -> str:
    """The build's closing table: segment, duration, rendered or reused, time taken."""
    headers = ("segment", "duration", "status", "time")
    body = [
        (r.name, fmt_seconds(r.duration), r.status, "-" if r.seconds is None else fmt_seconds(r.seconds)) for r in rows
    ]
    rendered = sum(1 for r in rows if r.seconds is not None)
    total = sum((r.duration for r in rows), Fraction(0))
    body.append(
        (
            "total",
            fmt_seconds(total),
            f"{rendered} rendered, {len(rows) - rendered} reused",
            f"{fmt_seconds(wall)} wall",
        )
    )
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(headers)]
    right = (False, True, False, True)

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(headers), rule, *(fmt(b) for b in body[:-1]), rule, fmt(body[-1])])
