"""python benchmarks/bench_tex_cache.py [--quality preview] [--jobs 2]: what the shared TeX cache saves a build.

Side by side in one run, for each quality, from empty render caches (both histories are trained
beforehand and copied in, so no build pays for training), each build ``python -m lecture build``
as a user runs it:

1. *before*: a full build with ``NN_TEX_CACHE=off`` (every render typesets all its TeX, as before
   the cache existed);
2. *after, empty TeX cache*: a full build in a new folder (renders share what they typeset);
3. *after, warm TeX cache*: a full build in a new folder whose ``tex/`` is a copy of (2)'s;
4. *before, rebuild*: (1)'s folder rebuilt with ``learning_rate`` 1.2 -> 1.1 (a new history: every
   segment re-renders, its numbers change, most of its TeX does not), still without the cache;
5. *after, rebuild*: the same change in (2)'s folder, its TeX cache warm from (2).

It prints each build's wall and CPU time (with its renders), the load average when it ended, and
the formulas the renders took from the cache and typeset (from each render's ``segment.json``),
then the ratios after / before.
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


def build(
    build_dir: Path, quality: str, jobs: int, config: Path, tex_cache: bool
) -> tuple[float, float, dict[str, int]]:
    """Run one build; return its wall and CPU seconds and the TeX its renders took from the cache and typeset."""
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", quality, "--jobs", str(jobs)]
    cmd += ["--config", str(config), "--build-dir", str(build_dir)]
    env = {k: v for k, v in os.environ.items() if k != "NN_TEX_CACHE"}
    if not tex_cache:
        env["NN_TEX_CACHE"] = "off"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"build failed ({' '.join(cmd)}):\n{r.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    manifest = json.loads((build_dir / "lecture" / quality / "manifest.json").read_text())
    tex = {"cached": 0, "typeset": 0}
    for s in manifest["segments"]:
        if s["rendered"]:
            meta = build_dir / "segments" / quality / s["name"] / s["input_hash"][:16] / "segment.json"
            for k, v in json.loads(meta.read_text()).get("tex", {}).items():
                tex[k] += v
    return seconds, cpu, tex


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="preview", help="comma-separated presets (default preview)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel renders (default 2)")
    parser.add_argument("--config", type=Path, default=ROOT / "media_config/lecture.toml", help="training config")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-tex-") as tmp_name:
        tmp = Path(tmp_name)
        changed = tmp / "lecture-lr1.1.toml"
        text = args.config.read_text(encoding="utf-8")
        if "learning_rate = 1.2" not in text:
            sys.exit(f"{args.config} does not say learning_rate = 1.2; the rebuild changes it to 1.1")
        changed.write_text(text.replace("learning_rate = 1.2", "learning_rate = 1.1"), encoding="utf-8")
        sys.path.insert(0, str(ROOT))  # `python benchmarks/...` puts benchmarks/, not the root, on the path
        from lecture.render.histories import ensure_lecture_history
        from nncore import load_config

        seed = tmp / "seed"
        for config in (args.config, changed):
            ensure_lecture_history(load_config(config), config, seed)

        results: list[tuple[str, str, float, float, float, dict[str, int]]] = []
        for quality in args.quality.split(","):
            before, after, warm = tmp / f"{quality}-before", tmp / f"{quality}-after", tmp / f"{quality}-warm"
            for d in (before, after, warm):
                shutil.copytree(seed / "histories", d / "histories")
            legs = [
                ("before, full", before, args.config, False),
                ("after, empty TeX", after, args.config, True),
                ("after, warm TeX", warm, args.config, True),
                ("before, rebuild", before, changed, False),
                ("after, rebuild", after, changed, True),
            ]
            for label, folder, config, cache in legs:
                if label == "after, warm TeX":
                    shutil.copytree(after / "tex", warm / "tex")
                wall, cpu, tex = build(folder, quality, args.jobs, config, cache)
                load = os.getloadavg()[0]
                results.append((quality, label, wall, cpu, load, tex))
                print(
                    f"{quality:8} {label:17} {wall:7.1f} s wall {cpu:7.1f} s CPU (load average {load:.1f}); "
                    f"TeX: {tex['cached']} from the cache, {tex['typeset']} typeset",
                    flush=True,
                )

    print(f"\n{'quality':8} {'build':17} {'wall':>8} {'CPU':>8} {'load':>5} {'TeX cached':>11} {'typeset':>8}")
    for quality, label, wall, cpu, load, tex in results:
        print(f"{quality:8} {label:17} {wall:7.1f}s {cpu:7.1f}s {load:5.1f} {tex['cached']:11d} {tex['typeset']:8d}")
    print()
    by = {(q, label): (wall, cpu) for q, label, wall, cpu, _, _ in results}
    for quality in args.quality.split(","):
        full = by[(quality, "before, full")]
        for label, base in (
            ("after, empty TeX", full),
            ("after, warm TeX", full),
            ("after, rebuild", by[(quality, "before, rebuild")]),
        ):
            wall, cpu = by[(quality, label)]
            print(f"{quality:8} {label:17} / before: wall {wall / base[0]:.2f}x, CPU {cpu / base[1]:.2f}x")


if __name__ == "__main__":
    main()
