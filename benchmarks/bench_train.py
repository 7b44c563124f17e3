"""python benchmarks/bench_train.py: recording the full history against a bare training loop.

Runs both side by side, alternating, several times in one process (the machines are shared and
noisy, so the ratio of medians is what counts), and reports the size of the default history.
Targets (issue 2): ratio <= 1.2; default history <= 5 MB.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from nncore import TrainConfig, train
from nncore.train import train_bare


def main(repeats: int = 5) -> None:
    cfg = TrainConfig()  # the course's defaults: flower, 4 hidden units, 10000 iterations
    bare, recorded = [], []
    train_bare(cfg)  # warm-up: imports, caches
    for _ in range(repeats):
        t0 = time.perf_counter()
        train_bare(cfg)
        t1 = time.perf_counter()
        history = train(cfg)
        t2 = time.perf_counter()
        bare.append(t1 - t0)
        recorded.append(t2 - t1)
    b, r = statistics.median(bare), statistics.median(recorded)
    with tempfile.TemporaryDirectory() as tmp:
        size = history.save(Path(tmp) / "h.npz").stat().st_size
    print(f"bare loop        {b * 1e3:8.1f} ms  (median of {repeats})")
    print(f"with history     {r * 1e3:8.1f} ms")
    print(f"ratio            {r / b:8.3f}   (target <= 1.2)")
    print(f"history size     {size / 1e6:8.2f} MB  (target <= 5 MB)")


if __name__ == "__main__":
    main()
