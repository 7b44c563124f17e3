"""python benchmarks/bench_frame_rate.py [--quality course] [--jobs 2]: a still encoded once, against every frame.

The narrated lecture built as a user builds it (``python -m lecture build``), once with the default
variable frame rate (a still picture encoded once and shown until the next) and once with
``--constant-frame-rate`` (every frame encoded, as manim does), side by side in one run, from
empty render caches (the history and every sweep trained once beforehand and copied in):

1. **cold**: TeX and speech caches empty too (a fresh clone's first build);
2. **learning rate**: the same build folder, the config's learning rate changed: every segment
   renders again, with the TeX and speech caches of (1) (an author's rebuild);
3. **warm**: the default config again after emptying the render cache: TeX and speech warm.

The constant-rate build is, by default (``--baseline before``), the build as it was before the
issue "The build at 0.3x of the video": every frame encoded, every path rebuilt every frame
(``NN_PATH_CACHE=off``), each segment's sound encoded by manim's default AAC coder
(``NN_SEGMENT_AAC=manim``), every formula compiled alone with its whole preamble
(``NN_TEX_FORMAT=off``, ``NN_TEX_BATCH=off``);
``--baseline constant`` changes only the frame rate.

The legs alternate (constant, variable, constant, ...). Each build runs with ``$NN_CPU_PROFILE``
(:mod:`lecture.cpu_profile`), so besides its wall and CPU time the table says where the CPU went:
drawing, colour conversion, encoding, TeX, speech, start-up and imports, joining partial movies,
stitching, the page. Before the warm legs the variable-rate folder takes the constant-rate
folder's speech (Piper draws its timing at random: two syntheses of a line differ in length), so
the two warm lectures say the same words at the same times; they are compared picture by picture
at every chapter start and at random times (PSNR: at a lossy crf a still encoded 30 times a
second is refined by each copy, so the two differ in their last bits; the frame-exact check is
a test, at crf 0, ``tests/test_lecture_build.py``).

Targets (issue "The build at 0.3x of the video"): at course quality with ``--jobs 2`` on two
cores, the variable-rate cold build's wall time <= 0.3x the video's duration, and its CPU seconds
per second of video <= 0.7x the constant-rate build's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MODES = ("constant", "variable")


@dataclass
class Leg:
    """One build of the benchmark and what it measured."""

    name: str
    mode: str
    wall: float = 0.0
    cpu: float = 0.0
    video: float = 0.0
    bytes: int = 0
    frames: int = 0
    pictures: int = 0
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_per_second(self) -> float:
        """CPU seconds per second of video."""
        return self.cpu / self.video


def run_build(leg: Leg, build_dir: Path, config: Path, args: argparse.Namespace, profile: Path) -> None:
    """Build the lecture in ``build_dir`` as ``leg`` says; fill in its times, sizes and CPU parts."""
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", args.quality, "--jobs", str(args.jobs)]
    cmd += ["--config", str(config), "--build-dir", str(build_dir), "--voice", args.voice]
    if args.segments:
        cmd += ["--segments", args.segments]
    env = dict(os.environ, NN_CPU_PROFILE=str(profile))
    if leg.mode == "constant":
        cmd.append("--constant-frame-rate")
        if args.baseline == "before":  # the build as it was: paths rebuilt every frame, manim's AAC coder,
            # LaTeX's whole preamble, and for every formula alone
            env.update(NN_PATH_CACHE="off", NN_SEGMENT_AAC="manim", NN_TEX_FORMAT="off", NN_TEX_BATCH="off")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    leg.wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"build failed ({' '.join(cmd)}):\n{r.stderr[-3000:]}")
    leg.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = build_dir / "lecture" / args.quality
    manifest = json.loads((out / "manifest.json").read_text())
    leg.video = float(manifest["video"]["duration"])
    leg.bytes = (out / "lecture.mp4").stat().st_size
    leg.parts = cpu_parts(profile)
    build = next(json.loads(p.read_text()) for p in profile.glob("build-*.json"))
    leg.frames, leg.pictures = int(build["frames"]), int(build["pictures"])


def cpu_parts(profile: Path) -> dict[str, float]:
    """Every process's CPU seconds by part (:mod:`lecture.cpu_profile`) added up; what no part claims as "rest"."""
    parts: dict[str, float] = {}
    for path in profile.glob("*.json"):
        data = json.loads(path.read_text())
        own = data["self"] + (data["children"] if data["role"] == "render" else 0.0)  # the build's children: renders
        for name, seconds in data["parts"].items():
            parts[name] = parts.get(name, 0.0) + seconds
        rest = f"rest of the {'renders' if data['role'] == 'render' else 'build process'}"
        parts[rest] = parts.get(rest, 0.0) + own - sum(data["parts"].values())
    return parts


def psnr(a: object, b: object) -> float:
    """Peak signal-to-noise ratio of two RGB pictures in dB (``inf`` when identical)."""
    import numpy as np

    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    mse = float(np.mean((x - y) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def compare_lectures(constant: Path, variable: Path, starts: list[float], samples: int = 24) -> tuple[float, float]:
    """Lowest and median PSNR of the frames both show at every chapter start and at ``samples`` random times."""
    from lecture.assemble.stitch import grab_frame, probe

    duration = float(probe(constant).duration)
    rng = random.Random(29)
    times = sorted([*starts, *(rng.uniform(0, duration) for _ in range(samples))])
    values = sorted(psnr(grab_frame(constant, t), grab_frame(variable, t)) for t in times)
    return values[0], values[len(values) // 2]


def changed_config(config: Path, folder: Path, factor: float = 0.5) -> Path:
    """A copy of ``config`` with its learning rate times ``factor`` (the author's change of leg 2)."""
    text = config.read_text()
    text, n = re.subn(
        r"(?m)^learning_rate = ([0-9.eE+-]+)", lambda m: f"learning_rate = {float(m.group(1)) * factor!r}", text
    )
    if n != 1:
        sys.exit(f"{config}: no `learning_rate = ...` line in [train] to change")
    path = folder / "lecture-lr.toml"
    path.write_text(text)
    return path


def train_once(seed: Path, configs: list[Path], segments: str | None) -> None:
    """Train every config's history and sweeps into ``seed`` (copied into every build folder)."""
    from lecture.render.histories import ensure_lecture_history
    from lecture.render.sweeps import check_sweeps, ensure_sweeps, sweeps_dir
    from lecture.settings import load_render_settings
    from nncore import load_config

    settings = load_render_settings(ROOT / "media_config/render.toml")
    lecture = settings.lecture(segments.split(",") if segments else None)
    for config in configs:
        cfg = load_config(config)
        ensure_lecture_history(cfg, config, seed)
        sweeps = check_sweeps(lecture, settings.path, ROOT, config)
        ensure_sweeps(sweeps, sweeps_dir(seed, config, cfg), print)


def report(legs: list[Leg], jobs: int) -> None:
    """Print the legs, the ratios against the targets and the CPU table."""
    print(
        f"\n{'leg':14} {'frame rate':10} {'wall':>8} {'CPU':>8} {'video':>8} {'wall/video':>11} {'CPU-s/s':>8}"
        f" {'pictures/frames':>16} {'MB':>6}"
    )
    for leg in legs:
        ratio = leg.wall / leg.video
        print(
            f"{leg.name:14} {leg.mode:10} {leg.wall:7.1f}s {leg.cpu:7.1f}s {leg.video:7.1f}s {ratio:11.3f}"
            f" {leg.cpu_per_second:8.3f} {leg.pictures:7d}/{leg.frames:<8d} {leg.bytes / 1e6:6.1f}"
        )
    print()
    names = list(dict.fromkeys(leg.name for leg in legs))
    for name in names:
        pair = {leg.mode: leg for leg in legs if leg.name == name}
        if set(pair) == set(MODES):
            c, v = pair["constant"], pair["variable"]
            cpu = v.cpu_per_second / c.cpu_per_second
            print(
                f"{name:14} variable / constant: CPU per second of video {cpu:.2f}x, wall {v.wall / c.wall:.2f}x, "
                f"file {v.bytes / c.bytes:.2f}x; variable wall/video {v.wall / v.video:.3f}"
            )
    print(f"targets (course, --jobs {jobs}, two cores): variable wall/video <= 0.3; CPU per second <= 0.7x constant's")
    print("\nCPU seconds by part (all processes of the build)")
    parts = sorted({p for leg in legs for p in leg.parts}, key=lambda p: -max(leg.parts.get(p, 0) for leg in legs))
    print(f"{'part':40}" + "".join(f" {leg.name[:9] + '/' + leg.mode[:3]:>14}" for leg in legs))
    for part in parts:
        print(f"{part:40}" + "".join(f" {leg.parts.get(part, 0.0):14.1f}" for leg in legs))
    print(f"{'total':40}" + "".join(f" {sum(leg.parts.values()):14.1f}" for leg in legs))


def main() -> None:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="course", help="the preset (default course)")
    parser.add_argument("--voice", default="joe", help="the narrator (default joe; none: silent)")
    parser.add_argument("--jobs", type=int, default=2, help="parallel renders (default 2)")
    parser.add_argument("--config", type=Path, default=ROOT / "media_config/lecture.toml", help="training config")
    parser.add_argument("--segments", help="only these body segments (default: the enabled ones)")
    parser.add_argument(
        "--legs", default="cold,learning-rate,warm", help="which legs, comma-separated (default all three)"
    )
    parser.add_argument(
        "--baseline",
        choices=("before", "constant"),
        default="before",
        help="the constant-rate build: as before the issue's cuts (default: no path cache, manim's AAC coder) "
        "or only the frame rate changed",
    )
    parser.add_argument(
        "--keep", type=Path, help="copy every leg's CPU profile (one JSON per process) into this folder"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # `python benchmarks/...` puts benchmarks/, not the root, on the path
    from nncore.paths import SPEECH_CACHE_NAME

    wanted = args.legs.split(",")
    with tempfile.TemporaryDirectory(prefix="bench-frame-rate-") as tmp:
        folder = Path(tmp)
        lr_config = changed_config(args.config, folder)
        seed = folder / "seed"
        train_once(seed, [args.config, lr_config], args.segments)
        dirs = {mode: folder / mode for mode in MODES}
        for d in dirs.values():
            shutil.copytree(seed, d)
        legs: list[Leg] = []
        plan = [
            ("cold", args.config, False),
            ("learning-rate", lr_config, False),
            ("warm", args.config, True),
        ]
        starts: list[float] = []
        kept: dict[str, Path] = {}
        for name, config, warm in plan:
            if name not in wanted:
                continue
            if warm:  # the render caches emptied; both folders say the same speech
                for d in dirs.values():
                    shutil.rmtree(d / "segments", ignore_errors=True)
                shutil.rmtree(dirs["variable"] / SPEECH_CACHE_NAME, ignore_errors=True)
                shutil.copytree(dirs["constant"] / SPEECH_CACHE_NAME, dirs["variable"] / SPEECH_CACHE_NAME)
            for mode in MODES:
                d = dirs[mode]
                leg = Leg(name, mode)
                run_build(leg, d, config, args, folder / f"profile-{name}-{mode}")
                legs.append(leg)
                print(
                    f"{name:14} {mode:9} {leg.wall:7.1f} s wall, {leg.cpu:7.1f} s CPU, {leg.video:.1f} s of video "
                    f"(load average {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                if warm:
                    kept[mode] = shutil.copyfile(d / "lecture" / args.quality / "lecture.mp4", folder / f"{mode}.mp4")
                    manifest = json.loads((d / "lecture" / args.quality / "manifest.json").read_text())
                    starts = [float(s["start"]) for s in manifest["segments"]]
        if args.keep:
            for profile in folder.glob("profile-*"):
                shutil.copytree(profile, args.keep / profile.name, dirs_exist_ok=True)
        report(legs, args.jobs)
        if len(kept) == 2:
            low, median = compare_lectures(kept["constant"], kept["variable"], starts)
            print(
                f"\npictures of the warm lectures, variable against constant, at {len(starts)} chapter starts and 24 "
                f"random times: PSNR lowest {low:.1f} dB, median {median:.1f} dB"
            )


if __name__ == "__main__":
    main()
