"""python benchmarks/bench_sweep.py: five ways to train the course's seven hidden-layer sizes.

The course trains the flower network with 1, 2, 3, 4, 5, 20 and 50 hidden units for 5000
iterations each. Target (issue 6): training all seven takes at most twice as long as the largest
(50 units) alone. Compared side by side, alternating, several rounds in one process (the machine
is shared and noisy, so medians and their ratios are what count):

- ``largest alone``: ``nncore.train`` of the 50-unit config, the yardstick;
- ``sequential``: ``nncore.train`` of each config, one after the other;
- ``vectorised``: ``nncore.batch.train_many``, one loop over all 85 hidden units;
- ``2 processes``: ``nncore.train`` of each config in a pool of two worker processes, largest
  first (the histories come back pickled);
- ``2 processes, vectorised``: the 50-unit config in one worker, the other six vectorised in the
  other.

Every strategy's histories are compared with the sequential ones, array by array and meta,
bit for bit (``numpy.array_equal``), before any time is reported. Reported: the best and the
median wall-clock time of the rounds, each as a ratio to the largest alone, and the CPU time of
the in-process strategies (which other programs on the machine disturb much less). Then, for each
sweep of ``media_config/sweeps.toml``, one-by-one training against the vectorised trainer.
Run it from the repository root.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from nncore import History, TrainConfig, train
from nncore.batch import train_many
from nncore.history import ARRAY_NAMES
from nncore.paths import DEFAULT_SWEEPS
from nncore.sweeps_file import load_sweeps

SIZES = (1, 2, 3, 4, 5, 20, 50)
CONFIGS = [TrainConfig(hidden_units=n, iterations=5000, learning_rate=1.2) for n in SIZES]
LARGEST = CONFIGS[-1]


def _train_many_histories(cfgs: list[TrainConfig]) -> list[History]:
    results = train_many(cfgs)
    assert all(isinstance(r, History) for r in results)
    return results  # type: ignore[return-value]


def largest_alone() -> list[History]:
    return [train(LARGEST)]


def sequential() -> list[History]:
    return [train(c) for c in CONFIGS]


def vectorised() -> list[History]:
    return _train_many_histories(CONFIGS)


def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork"))


def two_processes() -> list[History]:
    order = sorted(range(len(CONFIGS)), key=lambda j: -CONFIGS[j].hidden_units)  # largest first
    with _pool() as pool:
        futures = {j: pool.submit(train, CONFIGS[j]) for j in order}
        return [futures[j].result() for j in range(len(CONFIGS))]


def two_processes_vectorised() -> list[History]:
    with _pool() as pool:
        big = pool.submit(train, LARGEST)
        rest = pool.submit(_train_many_histories, CONFIGS[:-1])
        return [*rest.result(), big.result()]


STRATEGIES: dict[str, Callable[[], list[History]]] = {
    "largest alone (50 units)": largest_alone,
    "sequential": sequential,
    "vectorised (nncore sweep)": vectorised,
    "2 processes": two_processes,
    "2 processes, vectorised": two_processes_vectorised,
}


def identical(a: History, b: History) -> bool:
    """True if every array and the meta of two histories are equal bit for bit."""
    return a.meta == b.meta and all(np.array_equal(getattr(a, n), getattr(b, n)) for n in ARRAY_NAMES)


def _each(cfgs: list[TrainConfig]) -> list[History]:
    """Train every config on its own, one after the other (:func:`nncore.train`)."""
    return [train(c) for c in cfgs]


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU of this process only: children are not counted)."""
    w0, c0 = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - w0, time.process_time() - c0


def hidden_sizes(rounds: int) -> None:
    reference = sequential()
    for name, run in STRATEGIES.items():  # correctness first, and a warm-up
        got = run()
        want = reference[-1:] if name.startswith("largest") else reference
        assert len(got) == len(want) and all(identical(g, w) for g, w in zip(got, want, strict=True)), name
    wall: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    cpu: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    for _ in range(rounds):
        for name, run in STRATEGIES.items():
            w, c = _timed(run)
            wall[name].append(w)
            cpu[name].append(c)
    base_best = min(wall["largest alone (50 units)"])
    base_med = statistics.median(wall["largest alone (50 units)"])
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run")
    print(f"hidden sizes {SIZES}, 5000 iterations each; {rounds} rounds, alternating")
    print("every strategy's histories are identical, bit for bit, to sequential nncore.train")
    print(f"{'strategy':28s} {'best':>7s} {'ratio':>6s} {'median':>8s} {'ratio':>6s} {'CPU here':>9s}")
    for name in STRATEGIES:
        best, med = min(wall[name]), statistics.median(wall[name])
        in_process = "2 processes" not in name
        cpu_text = f"{min(cpu[name]):8.2f}s" if in_process else "      (-)"
        print(f"{name:28s} {best:6.2f}s {best / base_best:5.2f}x {med:7.2f}s {med / base_med:5.2f}x {cpu_text}")
    print("target: all seven <= 2x largest alone ('ratio' columns)")


def lecture_sweeps(rounds: int) -> None:
    """Sequential against vectorised for each sweep of media_config/sweeps.toml (in-process)."""
    print("\nthe sweeps of media_config/sweeps.toml, nncore.train one by one vs nncore.batch.train_many:")
    for name, sweep in load_sweeps(DEFAULT_SWEEPS).items():
        cfgs = [v.config for v in sweep.variations]
        train_many(cfgs)  # warm-up (imports scikit-learn for the extra data sets)
        seq = min(_timed(functools.partial(_each, cfgs))[0] for _ in range(rounds))
        vec = min(_timed(functools.partial(train_many, cfgs))[0] for _ in range(rounds))
        print(f"  {name:16s} {len(cfgs)} variations: one by one {seq:6.2f}s, vectorised {vec:6.2f}s ({seq / vec:.2f}x)")


def main(rounds: int = 3) -> None:
    hidden_sizes(rounds)
    lecture_sweeps(rounds)


if __name__ == "__main__":
    main()
