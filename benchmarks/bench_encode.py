"""python benchmarks/bench_encode.py [--segment decision_boundary] [--quality course] [--threads 1]: encoding's share.

At 1080p most of a segment's render is spent encoding, not drawing. This renders one segment of
``media_config/render.toml`` three times, side by side in one run, at one quality preset's size
and frame rate:

1. ``manim render`` with manim's own encoder settings (libx264 ``medium``, crf 23);
2. ``manim render`` with the preset's settings (``veryfast``, crf 23 in the shipped render.toml);
3. the build's way: ``python -m lecture.render.manim_child render`` with the preset's settings, which
   hands frames to libx264 without copies and converts a still frame once.

It prints each run's wall and CPU time (the render and its TeX children), the video's size, the
ratios against run 1, and whether runs 2 and 3 wrote identical bytes (they must). libx264 gets
``--threads`` threads in every run (default 1, what each of two renders gets on two cores), so the
CPU times compare the work, not the threading.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python benchmarks/...` puts benchmarks/, not the root, on the path

from lecture.render.segment import THREAD_ENV, manim_command  # noqa: E402
from lecture.settings import Preset, load_render_settings  # noqa: E402


def render(module: str, scene: Path, cls: str, preset: Preset, threads: int, media: Path) -> dict:
    """Render once with the build's flags through ``module``; return wall and CPU seconds, the video and its size."""
    cmd = [sys.executable, *manim_command(scene, cls, preset, media, threads, module=module)]
    env = dict(os.environ, **{name: str(threads) for name in THREAD_ENV})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"render failed ({' '.join(cmd)}):\n{r.stderr[-2000:]}")
    [video] = [p for p in media.rglob("segment.mp4") if "partial_movie_files" not in p.parts]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "video": video, "bytes": video.stat().st_size}


def main() -> None:
    """Run the three renders and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segment", default="decision_boundary", help="a segment name of render.toml")
    parser.add_argument("--quality", default="course", help="the preset whose size and encoder settings to use")
    parser.add_argument("--threads", type=int, default=1, help="libx264 and BLAS threads in every run (default 1)")
    args = parser.parse_args()

    settings = load_render_settings(ROOT / "media_config/render.toml")
    preset = settings.preset(args.quality)
    segs = {s.name: s for s in (settings.opening, *settings.segments, settings.closing)}
    if args.segment not in segs:
        sys.exit(f"unknown segment {args.segment!r}; use one of {', '.join(segs)}")
    seg = segs[args.segment]
    medium = replace(preset, x264_preset="medium", crf=23)
    runs = [
        ("manim, libx264 medium crf 23 (manim's own)", "manim", medium),
        (f"manim, the preset's {preset.x264_preset} crf {preset.crf}", "manim", preset),
        ("lecture.render.manim_child, the same (the build)", "lecture.render.manim_child", preset),
    ]
    print(f"{seg.name} at {preset.name} {preset.describe()}, libx264 threads={args.threads}")
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-encode-") as tmp:
        for i, (label, module, run_preset) in enumerate(runs):
            res = render(module, ROOT / seg.file, seg.cls, run_preset, args.threads, Path(tmp) / str(i))
            results.append(res)
            first = results[0]
            print(
                f"  {label:46} {res['wall']:7.1f} s wall {res['cpu']:7.1f} s CPU  {res['bytes'] / 1e6:6.2f} MB"
                f"  (vs first: wall {res['wall'] / first['wall']:.2f}x, CPU {res['cpu'] / first['cpu']:.2f}x)",
                flush=True,
            )
        same = results[1]["video"].read_bytes() == results[2]["video"].read_bytes()
    verdict = "identical bytes" if same else "DIFFERENT BYTES: lecture.render.manim_child is wrong"
    print(f"  runs 2 and 3 wrote {verdict}")
    print(f"  the build's way against manim's own: {results[2]['cpu'] / results[0]['cpu']:.2f}x the CPU")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
