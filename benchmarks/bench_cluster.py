"""python benchmarks/bench_cluster.py [--segments A,B] [--voice joe|none] [--quality preview]: the cluster's overhead.

Four lectures of four configs (the lecture's own, the course's two later runs, and the lecture's
with 10 hidden units), built in one ``python -m lecture build --config ... x4`` two ways, side by
side in one run, each from empty caches (its own build folder; the histories are trained once
beforehand and copied in):

1. here, ``--jobs 2``;
2. through a Dask cluster on this machine: a scheduler and two one-thread workers on 127.0.0.1
   (``--cluster``), the workers started before the clock starts.

It prints the wall and CPU times (the build's and, for the cluster, its workers' and their render
children's, read from ``/proc``), the ratio of the two, and every render's own time, by segment and
lecture, from the manifests: the per-job costs from which benchmarks/README.md works out, on
paper, the wall time of 20 course lectures on 1, 4 and 16 two-core workers. By default the
lectures are the segments ``matrix_algebra,backprop,initialization`` (framed by the title and the
summary; ``initialization`` reads no history: one render serves all four), narrated.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lecture.settings import load_render_settings

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).parent / "dask"
CONFIGS = ("lecture.toml", "course_initialization.toml", "moons_adam_l2_dropout.toml")
TICKS = os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its waited-for children (utime, stime, cutime, cstime), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


def _configs(folder: Path) -> list[Path]:
    paths = [shutil.copy(ROOT / "media_config" / name, folder / name) for name in CONFIGS]
    wide = (ROOT / "media_config" / "lecture.toml").read_text()
    wide = wide.replace("hidden_units = 4", "hidden_units = 10", 1)
    if "hidden_units = 10" not in wide:
        sys.exit("media_config/lecture.toml: no `hidden_units = 4` line to change")
    (folder / "lecture_10_units.toml").write_text(wide)
    return [Path(p) for p in paths] + [folder / "lecture_10_units.toml"]


def _build(build_dir: Path, configs: list[Path], args: argparse.Namespace, *extra: str) -> tuple[float, float, str]:
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", args.quality, "--voice", args.voice]
    cmd += [a for c in configs for a in ("--config", str(c))]
    cmd += ["--build-dir", str(build_dir), "--segments", args.segments, *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"build failed ({' '.join(cmd)}):\n{r.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), r.stderr


def _renders(build_dir: Path) -> dict[str, dict[str, float]]:
    """Each lecture's renders: segment -> its render's own seconds, from the manifests."""
    out = {}
    for manifest in sorted(build_dir.glob("lectures/*/*/manifest.json")):
        m = json.loads(manifest.read_text())
        out[manifest.parent.parent.name] = {s["name"]: s["render_seconds"] for s in m["segments"]}
    return out


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", default="matrix_algebra,backprop,initialization")
    parser.add_argument("--voice", default="joe")
    parser.add_argument("--quality", default="preview")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        folder = Path(tmp)
        configs = _configs(folder)
        # train every history (and the sweeps) once, silent, then give each side a copy (its renders are not kept)
        warm = folder / "warm"
        declared = {s.name: s for s in load_render_settings(ROOT / "media_config" / "render.toml").segments}
        chosen = args.segments.split(",")
        train_only = ",".join([n for n in chosen if declared[n].sweeps] or chosen[:1])  # what trains every sweep
        for config in configs:
            r = subprocess.run(
                [sys.executable, "-m", "lecture", "build", "--quality", args.quality, "--voice", "none"]
                + ["--config", str(config), "--build-dir", str(warm), "--segments", train_only],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if r.returncode != 0:
                sys.exit(r.stderr[-2000:])
        sides: dict[str, tuple[float, float, str, float]] = {}
        for side in ("local", "cluster"):
            (folder / side).mkdir()
            for kind in ("histories", "sweeps", "sweeps-by-config", "history.npz"):
                if (warm / kind).is_dir():
                    shutil.copytree(warm / kind, folder / side / kind)
                elif (warm / kind).is_file():
                    shutil.copy(warm / kind, folder / side / kind)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        address = f"tcp://127.0.0.1:{port}"
        procs = [
            subprocess.Popen(
                [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        ]
        time.sleep(3)
        for i in (1, 2):
            procs.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
                    + ["--host", "127.0.0.1", "--local-directory", str(folder / f"worker{i}")],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        time.sleep(6)
        try:
            load = os.getloadavg()[0]
            sides["local"] = (*_build(folder / "local", configs, args, "--jobs", "2"), 0.0)
            workers_before = sum(_tree_cpu(p.pid) for p in procs[1:])
            wall, cpu, err = _build(folder / "cluster", configs, args, "--cluster", address)
            sides["cluster"] = (wall, cpu, err, sum(_tree_cpu(p.pid) for p in procs[1:]) - workers_before)
        finally:
            for p in procs:
                p.kill()
                p.wait()
        print(f"4 lectures ({args.segments}, {args.quality}, voice {args.voice}); load average {load:.1f} at the start")
        for side, (wall, cpu, err, workers) in sides.items():
            said = next(line for line in err.splitlines() if " renders for 4 lectures " in line)
            print(f"{side:8s} wall {wall:6.1f} s  CPU {cpu + workers:6.1f} s (workers {workers:.1f} s)  | {said}")
        ratio = sides["cluster"][0] / sides["local"][0]
        cpu_ratio = (sides["cluster"][1] + sides["cluster"][3]) / sides["local"][1]
        print(f"cluster / local: wall {ratio:.2f}x, CPU {cpu_ratio:.2f}x")
        for side in sides:
            print(f"\n{side}: render seconds by lecture")
            for lecture, renders in _renders(folder / side).items():
                print(f"  {lecture:28s} " + "  ".join(f"{k} {v:.1f}" for k, v in renders.items()))


if __name__ == "__main__":
    main()
