"""python benchmarks/bench_decision_boundary.py: the decision-boundary segment against a moving dot.

Renders, side by side in one process and alternating, at 480p15 into temporary media
directories with Manim's caching off (as the lecture build renders; ``--caching`` turns it on,
as a bare ``manim render`` does), the segment ``scenes/decision_boundary.py`` and a baseline
scene of the same duration that only moves a dot; reports each one's wall and CPU milliseconds
per frame (CPU counts child processes too, and is steadier on a shared machine) and their
ratio. Target (issue 4): ratio <= 3. ``--profile`` also prints where the segment's time goes.

Options: ``--repeats N`` (default 2, best of N each), ``--history PATH`` (default: the lecture's
``build/history.npz``, trained first if missing), ``--caching``, ``--profile``.

Where the time goes (lecture history, 1598 frames; cProfile of the clock plays plus per-play
timing; 2-core machine shared with other renders, so milliseconds are indicative):

- A frame of the moving dot costs ~5.5 ms: Manim clearing the frame, Cairo, and encoding
  854x480 video. Every frame of the segment pays that too; the ~50 s of narration waits cost no
  more (a static wait redraws nothing).
- A frame of the running clock (36 s, a third of the segment) costs ~12 ms: the boundary raster
  ~2.5 ms (``BoundaryField``: 4 x 390^2 tanh in float32; colours from a 4096-entry RGBA table
  indexed by the logit, one gather; the contour from the logit's gradient; points and rings
  blended from precomputed pixel lists), the cost curve, diagram edges and readout ~1 ms, Cairo
  drawing the parts that change (16 edges, three numbers, the curve) ~2.5 ms, pasting the raster
  ~0.3 ms (``RasterCamera``; Manim's own image path, a perspective resample plus a full-frame RGBA
  composite, cost ~15 ms).
- Before this work the same clock frame cost ~33 ms: the colour map and overlays in float64 over
  the whole raster, BLAS for a 4-row product, one mobject per digit, the whole scene redrawn
  every frame because groups holding the changing parts were "moving" (``IterationClock.driving``
  now re-stacks the scene so static labels, axes and nodes stay in Manim's static background).
- The other animations (fades, the decomposition's morphs) cost 10-25 ms a frame, mostly Manim's
  per-play set-up: copying the animated mobjects (a ``Text`` or axes copy is ~30-80 ms). Fades
  in and out are therefore black curtains fading over the content (``reveal``, ``fade_to_black``):
  one rectangle to copy instead of hundreds of glyphs. With caching on, hashing every mobject
  before each play adds ~0.15 s a play.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # scenes read build/history.npz and media_config/ relative to the repo root

from manim import LEFT, RIGHT, Dot, Scene, linear, tempconfig  # noqa: E402

from scenes.decision_boundary import DecisionBoundary  # noqa: E402

QUALITY = {"pixel_width": 854, "pixel_height": 480, "frame_rate": 15}


class MovingDot(Scene):
    """The baseline: one dot moving for ``DURATION`` seconds."""

    DURATION = 60.0

    def construct(self) -> None:
        """Move a dot across the frame."""
        dot = Dot().shift(5 * LEFT)
        self.play(dot.animate.shift(10 * RIGHT), run_time=self.DURATION, rate_func=linear)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def render(
    scene_cls: type[Scene], tex_dir: Path, profile: cProfile.Profile | None = None, caching: bool = False
) -> tuple[float, float, int, float]:
    """Render one scene at 480p15 into a fresh media dir; return (wall s, CPU s, frames, duration).

    CPU time counts this process and its children (ffmpeg, LaTeX): on a machine shared with
    other renders it is steadier than wall time.
    """
    with tempfile.TemporaryDirectory() as media:
        cfg = {
            **QUALITY,
            "media_dir": media,
            "tex_dir": str(tex_dir / "Tex"),
            "text_dir": str(tex_dir / "texts"),
            "verbosity": "ERROR",
            "progress_bar": "none",
            # As the lecture build renders (lecture/render/segment.py passes --disable_caching).
            "disable_caching": not caching,
        }
        with tempconfig(cfg):
            scene = scene_cls()
            t0, c0 = time.perf_counter(), _cpu()
            if profile is not None:
                profile.enable()
            scene.render()
            if profile is not None:
                profile.disable()
            seconds, cpu = time.perf_counter() - t0, _cpu() - c0
            duration = float(scene.time)
            frames = int(round(duration * QUALITY["frame_rate"]))
    return seconds, cpu, frames, duration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--history", type=Path, default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--caching", action="store_true", help="hash every play as a bare `manim render` does")
    args = parser.parse_args()
    if args.history is not None:
        os.environ["NN_HISTORY"] = str(args.history.resolve())

    with tempfile.TemporaryDirectory() as shared:
        tex_dir = Path(shared)
        # Warm-up: LaTeX and font caches, the history (trained if missing), imports.
        duration = render(DecisionBoundary, tex_dir, caching=args.caching)[3]
        MovingDot.DURATION = duration
        wall: dict[str, list[float]] = {"dot": [], "seg": []}
        cpu: dict[str, list[float]] = {"dot": [], "seg": []}
        for _ in range(args.repeats):
            for key, cls in (("dot", MovingDot), ("seg", DecisionBoundary)):
                s, c, f, _ = render(cls, tex_dir, caching=args.caching)
                wall[key].append(1e3 * s / f)
                cpu[key].append(1e3 * c / f)
        frames = int(round(duration * QUALITY["frame_rate"]))
        mode = "caching on" if args.caching else "caching off"
        print(f"duration          {duration:8.1f} s  ({frames} frames at 480p15, {mode}), best of {args.repeats} each")
        print("                   wall ms/frame   CPU ms/frame")
        print(f"moving dot        {min(wall['dot']):12.2f}   {min(cpu['dot']):12.2f}")
        print(f"DecisionBoundary  {min(wall['seg']):12.2f}   {min(cpu['seg']):12.2f}")
        ratio_wall = min(wall["seg"]) / min(wall["dot"])
        ratio_cpu = min(cpu["seg"]) / min(cpu["dot"])
        print(f"ratio             {ratio_wall:12.2f}   {ratio_cpu:12.2f}   (target <= 3)")
        print(
            "all runs (wall): dot "
            + ", ".join(f"{v:.1f}" for v in wall["dot"])
            + "; segment "
            + ", ".join(f"{v:.1f}" for v in wall["seg"])
        )

        if args.profile:
            prof = cProfile.Profile()
            render(DecisionBoundary, tex_dir, prof, caching=args.caching)
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(25)
            print(out.getvalue())


if __name__ == "__main__":
    main()
