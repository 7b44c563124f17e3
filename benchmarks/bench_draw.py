"""python benchmarks/bench_draw.py [--segments a,b] [--course forward_pass] [--repeats 1]: what the path cache saves.

Side by side in one run, each segment is rendered by the build's child (``python -m
lecture.render.manim_child``, the build's own manim options, libx264 on one thread) with the
drawing's path cache (:func:`lecture.render.manim_child.install_path_cache`) and without it
(``NN_PATH_CACHE=off``), alternately (off, on, on, off, ...), at preview quality, and the
``--course`` segments at course quality too. Every render runs with ``$NN_CPU_PROFILE``
(:mod:`lecture.cpu_profile`), so besides the render's CPU seconds the table gives the parts the
cache touches: drawing (Cairo, on the main thread) and the rest (building mobjects, the scene's
logic, updaters: what no part claims). TeX comes warm from a scratch cache that a skipped render
(``-s``) of each segment fills first; the segments read ``--history`` (default
``build/history.npz``) and, if they need them, the sweeps of ``build/sweeps``. Each render's
frames are hashed (``tests/frame_hash_child.py``) and the two renders of a segment must hand the
encoder the same pixels, or the benchmark stops.

The ratio is with / without, from the sums over every repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lecture.render.manim_child import PATH_CACHE_ENV, TEX_CACHE_ENV  # noqa: E402
from lecture.render.segment import manim_command  # noqa: E402
from lecture.render.sweeps import sweep_env  # noqa: E402
from lecture.settings import Preset, Segment, load_render_settings  # noqa: E402
from nncore.paths import DEFAULT_CONFIG, DEFAULT_HISTORY, DEFAULT_RENDER_CONFIG, DEFAULT_SWEEP_DIR  # noqa: E402

HASH_CHILD = ROOT / "tests" / "frame_hash_child.py"


def render(seg: Segment, preset: Preset, work: Path, env: dict[str, str], cache: bool, run: int) -> dict[str, float]:
    """Render ``seg`` once; return its CPU seconds in all, drawing and the rest, and its wall time.

    The frames' hashes are left in ``work/<segment>-<preset>-<on|off>-<run>.hash``.
    """
    tag = f"{seg.name}-{preset.name}-{'on' if cache else 'off'}-{run}"
    profile = work / "profile" / tag
    hashes = work / f"{tag}.hash"
    cmd = manim_command(seg.file, seg.cls, preset, work / "media" / tag, threads=1)
    cmd = [sys.executable, str(HASH_CHILD), str(hashes), *cmd[2:]]  # the child, under the frame hasher
    child_env = {**env, "NN_CPU_PROFILE": str(profile), PATH_CACHE_ENV: "on" if cache else "off"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, env=child_env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"bench_draw: {tag} failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    (data,) = [json.loads(p.read_text()) for p in profile.glob("render-*.json")]
    parts = data["parts"]
    rest = data["self"] + data["children"] - sum(parts.values())
    return {"cpu": cpu, "wall": wall, "drawing": parts.get("drawing", 0.0), "rest": rest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", default="forward_pass,backprop,decision_boundary,matrix_algebra")
    parser.add_argument("--course", default="forward_pass", help="segments also rendered at course quality")
    parser.add_argument("--repeats", type=int, default=1, help="pairs of renders per segment and quality")
    parser.add_argument("--history", type=Path, default=ROOT / DEFAULT_HISTORY)
    args = parser.parse_args()
    settings = load_render_settings(ROOT / DEFAULT_RENDER_CONFIG)
    by_name = {s.name: s for s in settings.all_segments()}
    legs = [(by_name[n], settings.preset("preview")) for n in args.segments.split(",") if n]
    legs += [(by_name[n], settings.preset("course")) for n in args.course.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="bench_draw-") as tmp:
        work = Path(tmp)
        env = {**os.environ, TEX_CACHE_ENV: str(work / "tex"), "NN_HISTORY": str(args.history.resolve())}
        env.update(sweep_env(ROOT, ROOT / DEFAULT_SWEEP_DIR, ROOT / DEFAULT_CONFIG))
        env.pop("NN_CPU_PROFILE", None)
        for seg in {s.name: s for s, _ in legs}.values():  # TeX typeset once, outside the timings
            warm = manim_command(seg.file, seg.cls, settings.preset("preview"), work / "media" / "warm", threads=1)
            subprocess.run([sys.executable, *warm, "-s"], cwd=ROOT, env=env, capture_output=True, check=True)
        print(f"{'segment':<18} {'quality':<8} {'':>3} {'CPU s':>7} {'drawing':>8} {'rest':>7} {'wall s':>7}")
        ratios = []
        for seg, preset in legs:
            sums = {True: {"cpu": 0.0, "drawing": 0.0, "rest": 0.0}, False: {"cpu": 0.0, "drawing": 0.0, "rest": 0.0}}
            for run in range(args.repeats):
                for cache in (False, True) if run % 2 == 0 else (True, False):
                    m = render(seg, preset, work, env, cache, run)
                    for k in sums[cache]:
                        sums[cache][k] += m[k]
                    label = "on" if cache else "off"
                    print(
                        f"{seg.name:<18} {preset.name:<8} {label:>3} {m['cpu']:7.1f} {m['drawing']:8.1f} "
                        f"{m['rest']:7.1f} {m['wall']:7.1f}",
                        flush=True,
                    )
                on = (work / f"{seg.name}-{preset.name}-on-{run}.hash").read_text()
                off = (work / f"{seg.name}-{preset.name}-off-{run}.hash").read_text()
                if on != off or not on:
                    sys.exit(f"bench_draw: {seg.name} at {preset.name}: the frames differ with the path cache")
            on_s, off_s = sums[True], sums[False]
            ratio = {k: on_s[k] / off_s[k] if off_s[k] else float("nan") for k in on_s}
            main_thread = (on_s["drawing"] + on_s["rest"]) / (off_s["drawing"] + off_s["rest"])
            ratios.append((seg.name, preset.name, ratio, main_thread))
            frames = len(on.splitlines())
            print(f"  frames identical ({frames} handed to the encoder)")
        print("\nratio with / without the path cache (CPU seconds, summed over the repeats)")
        print(f"{'segment':<18} {'quality':<8} {'render':>7} {'drawing':>8} {'rest':>7} {'drawing+rest':>13}")
        for name, quality, ratio, main_thread in ratios:
            print(
                f"{name:<18} {quality:<8} {ratio['cpu']:7.2f} {ratio['drawing']:8.2f} {ratio['rest']:7.2f} "
                f"{main_thread:13.2f}"
            )


if __name__ == "__main__":
    main()
