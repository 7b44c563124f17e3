"""python benchmarks/bench_train.py [--repeats N] [--sizes]: `nncore train`'s whole process against a bare loop's.

For two runs, the lecture's default (2-4-1 tanh, gradient descent, 10000 iterations) and a deep
mini-batch Adam run ([2, 10, 5, 1] ReLU, He, Adam at 0.01, mini-batches of 64, 1000 epochs, both
on the flower), it times, side by side and alternating, the process a user runs,
``python -m nncore train`` (imports, config, training with the full history, the course's cost
lines, the atomic write of the history file), and ``python benchmarks/bare_train.py``, the same
training in a bare NumPy loop that records nothing. The machines are shared and noisy, so the
ratio of the medians (and of the best times) is what counts; the load average is printed with it.
Target (issue 22): 1.5 or less for both. ``--sizes`` also trains the course notebooks' runs
(Initialization: 15000 iterations with a test set; Optimization Methods: 5000 and 10000 epochs of
each optimiser) and prints their history files' sizes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEEP = """[model]
hidden_layers = [10, 5]
activation = "relu"
init = "he"

[train]
optimizer = "adam"
batch_size = 64
learning_rate = 0.01
iterations = 1000
"""


def _time(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def compare(name: str, nncore: list[str], bare: list[str], repeats: int) -> float:
    """Time both processes ``repeats`` times, alternating; print and return the ratio of the medians."""
    _time(nncore), _time(bare)  # warm the file cache
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(_time(nncore))
        theirs.append(_time(bare))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"{name}")
    print(f"  bare NumPy loop   median {b:6.3f} s   best {min(theirs):6.3f} s")
    print(f"  nncore train      median {a:6.3f} s   best {min(ours):6.3f} s")
    print(f"  ratio             median {a / b:6.3f}     best {min(ours) / min(theirs):6.3f}   (target <= 1.5)")
    return a / b


def sizes(folder: Path) -> None:
    """Train the notebooks' runs and print the size of each history file."""
    sys.path.insert(0, str(ROOT / "tests"))
    from course_notebooks import INITIALIZATION, OPTIMIZATION

    from nncore import train

    runs = [("Initialization, he, 15000 iterations, test set", INITIALIZATION.replace(init="he"))]
    for epochs in (5000, 10_000):
        for rule in ("gd", "momentum", "adam"):
            runs.append(
                (
                    f"Optimization Methods, {rule}, {epochs} epochs",
                    OPTIMIZATION.replace(optimizer=rule, iterations=epochs),
                )
            )
    for label, cfg in runs:
        h = train(cfg)
        size = h.save(folder / "h.npz").stat().st_size
        print(f"  {label:<48} {size / 1e6:6.2f} MB  ({len(h.arrays)} arrays, {h.updates} updates)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", action="store_true", help="also print the course notebooks' history sizes")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "deep.toml").write_text(DEEP)
        out = str(folder / "h.npz")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        compare(
            "default run (media_config/lecture.toml)",
            [python, "-m", "nncore", "train", "--out", out],
            [python, "benchmarks/bare_train.py", "week3"],
            args.repeats,
        )
        compare(
            "deep mini-batch Adam run",
            [python, "-m", "nncore", "train", "--config", str(folder / "deep.toml"), "--out", out],
            [python, "benchmarks/bare_train.py", "deep"],
            args.repeats,
        )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if args.sizes:
            print("history sizes")
            sizes(folder)


if __name__ == "__main__":
    main()
