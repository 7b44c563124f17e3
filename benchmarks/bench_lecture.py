"""python benchmarks/bench_lecture.py [--quality preview,course] [--voices joe,none] [--jobs 2]: the build's speed.

For each quality, side by side in one run, from empty caches (render, TeX and speech caches: every
build has its own build folder; the history and the sweeps' histories are trained once beforehand
and copied in, so no build pays for training):

1. a full build with ``--jobs 1`` (serial), with the first voice of ``--voices``
   (skipped with ``--skip-serial``);
2. a full build with ``--jobs N`` (default 2), once per voice of ``--voices`` (default ``joe``,
   the lecture's; ``--voices joe,none`` compares the narrated lecture with the silent one, and
   ``joe@0.75`` is the voice at another pace, Piper's ``length_scale``);
3. a no-op rebuild of (2) with the first voice: nothing changed, nothing re-rendered.

It prints the wall and CPU times, the lecture's duration and the ratios the issues set targets
for: at course quality with ``--jobs 2`` on two cores the build takes no longer than the lecture
plays (build time / video duration <= 1); ``--jobs 2`` at least 1.7x faster than serial; a no-op
rebuild under 5 % of a full build; narration adds at most 20 % to a full course build (the
first voice's build against ``none``'s, wall and CPU). Each build runs ``python -m lecture build`` as a user would;
the CPU time it used (with its renders) is printed too, since a shared machine's other work shows
in the wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render_config(voice: str, folder: Path) -> tuple[str, Path]:
    """A voice of ``--voices`` (``NAME`` or ``NAME@PACE``) as the build's ``--voice`` and ``--render-config``.

    ``NAME@PACE`` is the voice at another pace: a copy of ``media_config/render.toml`` in
    ``folder`` whose ``[voice]`` table says ``length_scale = PACE``.
    """
    name, _, pace = voice.partition("@")
    toml = ROOT / "media_config" / "render.toml"
    if not pace:
        return name, toml
    text, n = re.subn(r"(?m)^length_scale = [0-9.]+", f"length_scale = {float(pace)!r}", toml.read_text())
    if n != 1:
        sys.exit(f"{toml}: no `length_scale = ...` line in [voice] to change")
    copy = folder / f"render-{name}-{pace}.toml"
    copy.write_text(text)
    return name, copy


def build(
    build_dir: Path, quality: str, jobs: int, config: Path, segments: str | None, voice: str
) -> tuple[float, float, bool]:
    """Run one build; return its wall time and CPU time (with its renders) in seconds, and if it was a no-op."""
    name, settings = render_config(voice, build_dir.parent)
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", quality, "--jobs", str(jobs)]
    cmd += ["--config", str(config), "--build-dir", str(build_dir), "--voice", name, "--render-config", str(settings)]
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
    parser.add_argument("--skip-serial", action="store_true", help="only the parallel builds and the no-op")
    parser.add_argument(
        "--voices",
        default="joe",
        help="comma-separated voices of the parallel builds (default joe); NAME@PACE: at Piper length_scale PACE",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # `python benchmarks/...` puts benchmarks/, not the root, on the path
    from voice.synthesis import LENGTH_SCALE_RANGE  # the bound the render settings check

    low, high = LENGTH_SCALE_RANGE
    voices = args.voices.split(",")
    for voice in voices:
        pace = voice.partition("@")[2]
        try:
            if pace and not low <= float(pace) <= high:
                raise ValueError
        except ValueError:
            parser.error(f"--voices {voice}: the pace after @ is Piper's length_scale, from {low:g} to {high:g}")
    par = f"jobs {args.jobs}"
    legs = [] if args.skip_serial else [("serial", 1, voices[0])]
    legs += [(par if v == voices[0] else f"{par}, {v}", args.jobs, v) for v in voices]

    with tempfile.TemporaryDirectory(prefix="bench-lecture-") as tmp:
        seed = Path(tmp) / "seed"
        # Train once, where every build looks for the histories (build/histories/, build/sweeps/).
        from lecture.render.histories import ensure_lecture_history
        from lecture.render.sweeps import check_sweeps, ensure_sweeps, sweeps_dir
        from lecture.settings import load_render_settings
        from nncore import load_config

        cfg = load_config(args.config)
        ensure_lecture_history(cfg, args.config, seed)
        settings = load_render_settings(ROOT / "media_config/render.toml")
        lecture = settings.lecture(args.segments.split(",") if args.segments else None)
        sweeps = check_sweeps(lecture, settings.path, ROOT, args.config)
        ensure_sweeps(sweeps, sweeps_dir(seed, args.config, cfg), print)
        rows = []
        for quality in args.quality.split(","):
            times: dict[str, tuple[float, float]] = {}
            first: Path | None = None
            for label, jobs, voice in legs:
                d = Path(tmp) / f"{quality}-{jobs}-{voice}"
                shutil.copytree(seed / "histories", d / "histories")
                if (seed / "sweeps").is_dir():
                    shutil.copytree(seed / "sweeps", d / "sweeps")
                wall, cpu, _ = build(d, quality, jobs, args.config, args.segments, voice)
                times[label] = (wall, cpu)
                manifest = json.loads((d / "lecture" / quality / "manifest.json").read_text())
                renders = ", ".join(f"{s['name']} {s['render_seconds']:.0f}" for s in manifest["segments"])
                print(
                    f"{quality:8} {label:12} full build {wall:8.1f} s wall, {cpu:8.1f} s CPU, "
                    f"{manifest['video']['duration']:.1f} s of video "
                    f"(load average {os.getloadavg()[0]:.1f}); renders (s): {renders}",
                    flush=True,
                )
                if label == par:
                    first, duration = d, manifest["video"]["duration"]
            assert first is not None
            wall, cpu, noop = build(first, quality, args.jobs, args.config, args.segments, voices[0])
            times["no-op"] = (wall, cpu)
            what = "nothing rendered or rewritten" if noop else "NOT a no-op: something was rebuilt"
            print(f"{quality:8} {par:12} no-op build {times['no-op'][0]:8.1f} s  ({what})")
            rows.append((quality, duration, times))

    print()
    print(
        f"{'quality':8} {'video':>8} {'serial':>8} {par:>8} {'no-op':>7}"
        f" {'speed-up':>9} {'build/video':>12} {'no-op/full':>11}"
    )
    for quality, duration, t in rows:
        wall = t[par][0]
        serial = f"{t['serial'][0]:7.1f}s" if "serial" in t else f"{'-':>8}"
        speed_up = f"{t['serial'][0] / wall:8.2f}x" if "serial" in t else f"{'-':>9}"
        print(
            f"{quality:8} {duration:7.1f}s {serial} {wall:7.1f}s {t['no-op'][0]:6.2f}s"
            f" {speed_up} {wall / duration:12.2f} {100 * t['no-op'][0] / wall:10.1f}%"
        )
        for v in voices[1:]:
            other = t[f"{par}, {v}"]
            print(
                f"{quality:8} voice {voices[0]} vs {v}: wall {t[par][0] / other[0]:.2f}x "
                f"({t[par][0]:.1f} s vs {other[0]:.1f} s), CPU {t[par][1] / other[1]:.2f}x "
                f"({t[par][1]:.1f} s vs {other[1]:.1f} s)"
            )
    print(
        "\ntargets: speed-up >= 1.7x; build/video <= 1 at course quality with --jobs 2 on two cores; no-op < 5 %;"
        " a voice adds <= 20 % to a full course build"
    )


if __name__ == "__main__":
    main()
