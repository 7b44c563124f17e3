"""python benchmarks/bench_lecture.py [--quality preview,course] [--segments A,B] [--jobs 2]: the lecture build's speed.

For each quality, side by side in one run, from empty render caches (the history is trained once
beforehand and copied in, so no build pays for training):

1. a full build with ``--jobs 1`` (serial);
2. a full build with ``--jobs N`` (default 2);
3. a no-op rebuild of (2): nothing changed, nothing re-rendered.

It prints the wall times, the lecture's duration and the ratios the issue sets targets for: at
course quality with ``--jobs 2`` on two cores the build takes no longer than the lecture plays
(build time / video duration <= 1); ``--jobs 2`` at least 1.7x faster than serial; a no-op
rebuild under 5 % of a full build. Each build runs ``python -m lecture build`` as a user would;
the CPU time it used (with its renders) is printed too, since a shared machine's other work shows
in the wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(build_dir: Path, quality: str, jobs: int, config: Path, segments: str | None) -> tuple[float, float, bool]:
    """Run one build; return its wall time and CPU time (with its renders) in seconds, and if it was a no-op."""
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", quality, "--jobs", str(jobs)]
    cmd += ["--config", str(config), "--build-dir", str(build_dir)]
    if segments:
        cmd += ["--segments", segments]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"build failed ({' '.join(cmd)}):\n{r.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, "is up to date: nothing to render" in r.stdout


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="preview,course", help="comma-separated presets (default preview,course)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel renders of the parallel build (default 2)")
    parser.add_argument("--config", type=Path, default=ROOT / "media_config/lecture.toml", help="training config")
    parser.add_argument("--segments", help="only these body segments (default: the enabled ones)")
    parser.add_argument("--skip-serial", action="store_true", help="only the parallel build and the no-op")
    args = parser.parse_args()
    legs = [] if args.skip_serial else [("serial", 1)]
    legs.append((f"jobs {args.jobs}", args.jobs))

    with tempfile.TemporaryDirectory(prefix="bench-lecture-") as tmp:
        seed = Path(tmp) / "seed"
        # Train once, where every build looks for the config's history (build/histories/<digest>.npz).
        sys.path.insert(0, str(ROOT))  # `python benchmarks/...` puts benchmarks/, not the root, on the path
        from lecture.runs import ensure_lecture_history
        from nncore import load_config

        ensure_lecture_history(load_config(args.config), args.config, seed)
        rows = []
        for quality in args.quality.split(","):
            times = {}
            for label, jobs in legs:
                d = Path(tmp) / f"{quality}-{jobs}"
                shutil.copytree(seed / "histories", d / "histories")
                times[label], cpu, _ = build(d, quality, jobs, args.config, args.segments)
                manifest = json.loads((d / "lecture" / quality / "manifest.json").read_text())
                renders = ", ".join(f"{s['name']} {s['render_seconds']:.0f}" for s in manifest["segments"])
                print(
                    f"{quality:8} {label:8} full build   {times[label]:8.1f} s wall, {cpu:8.1f} s CPU "
                    f"(load average {os.getloadavg()[0]:.1f}); renders (s): {renders}",
                    flush=True,
                )
            times["no-op"], _, noop = build(d, quality, args.jobs, args.config, args.segments)
            duration = manifest["video"]["duration"]
            what = "nothing rendered or rewritten" if noop else "NOT a no-op: something was rebuilt"
            print(f"{quality:8} jobs {args.jobs:<3} no-op build  {times['no-op']:8.1f} s  ({what})")
            rows.append((quality, duration, times))

    print()
    print(
        f"{'quality':8} {'video':>8} {'serial':>8} {'jobs ' + str(args.jobs):>8} {'no-op':>7}"
        f" {'speed-up':>9} {'build/video':>12} {'no-op/full':>11}"
    )
    for quality, duration, t in rows:
        par = t[f"jobs {args.jobs}"]
        serial = f"{t['serial']:7.1f}s" if "serial" in t else f"{'-':>8}"
        speed_up = f"{t['serial'] / par:8.2f}x" if "serial" in t else f"{'-':>9}"
        print(
            f"{quality:8} {duration:7.1f}s {serial} {par:7.1f}s {t['no-op']:6.2f}s"
            f" {speed_up} {par / duration:12.2f} {100 * t['no-op'] / par:10.1f}%"
        )
    print("\ntargets: speed-up >= 1.7x; build/video <= 1 at course quality with --jobs 2 on two cores; no-op < 5 %")


if __name__ == "__main__":
    main()
