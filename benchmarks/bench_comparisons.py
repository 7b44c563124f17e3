"""python benchmarks/bench_comparisons.py: the learning-rate and data-set segments against a moving dot.

Renders, side by side in one process and alternating, at 480p15 with Manim's caching off (as the
lecture build renders), ``scenes/learning_rates.py`` and ``scenes/datasets.py`` each against a
baseline that only moves a dot for the same duration, and reports wall and CPU milliseconds per
frame and their ratios. The renders and the baseline are those of
``benchmarks/bench_decision_boundary.py`` (imported, not copied). The sweeps are the lecture's
(``build/sweeps``, trained first if missing; ``$NN_SWEEPS``/``$NN_SWEEP_DIR`` to use others).

Options: ``--repeats N`` (default 1, best of N each).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_decision_boundary import QUALITY, MovingDot, render  # noqa: E402

from scenes.datasets import Datasets  # noqa: E402
from scenes.learning_rates import LearningRates  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as shared:
        tex_dir = Path(shared)
        print(f"480p{QUALITY['frame_rate']}, caching off, best of {args.repeats} each")
        print("segment          duration  frames   wall ms/frame (dot)   CPU ms/frame (dot)   ratio wall / CPU")
        for cls in (LearningRates, Datasets):
            duration = render(cls, tex_dir)[3]  # warm-up: TeX, sweeps, imports
            MovingDot.DURATION = duration
            wall: dict[str, list[float]] = {"dot": [], "seg": []}
            cpu: dict[str, list[float]] = {"dot": [], "seg": []}
            for _ in range(args.repeats):
                for key, scene in (("dot", MovingDot), ("seg", cls)):
                    s, c, f, _ = render(scene, tex_dir)
                    wall[key].append(1e3 * s / f)
                    cpu[key].append(1e3 * c / f)
            frames = int(round(duration * QUALITY["frame_rate"]))
            w, d = min(wall["seg"]), min(wall["dot"])
            cs, cd = min(cpu["seg"]), min(cpu["dot"])
            print(
                f"{cls.__name__:15s} {duration:7.1f} s {frames:7d}   {w:8.2f} ({d:6.2f})     {cs:8.2f} ({cd:6.2f})"
                f"      {w / d:5.2f} / {cs / cd:5.2f}"
            )


if __name__ == "__main__":
    main()
