"""python benchmarks/bench_widths.py [--units 4,100] [--quality preview] [--segments a,b] [--repeats N]: wide layers.

Renders every segment of the lecture (the title, the enabled segments and the summary, or
``--segments``) from the lecture's configuration with each hidden-layer width of ``--units``,
side by side in one run: for each segment the widths take turns, so a busy machine slows them
alike. Each render is the build's (``python -m lecture.render.manim_child render``, the preset's size,
frame rate and encoder, no cache, silent: the voice costs the same for any width) in its own
process, and its CPU time (the child's user + system) is what counts. The histories and the
sweeps the segments read are trained beforehand, not timed; the sweeps take the width's
configuration as their base, as ``media_config/sweeps.toml`` takes ``media_config/lecture.toml``.

Prints a table: CPU seconds per segment and width and the ratio of each width to the first; the
issue's target is every segment of a 100-unit lecture within 2x of the same segment at 4 units.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lecture.render.segment import manim_command  # noqa: E402
from lecture.settings import load_render_settings  # noqa: E402
from nncore import load_config, train  # noqa: E402
from nncore.paths import DEFAULT_CONFIG, DEFAULT_SWEEPS, HISTORY_ENV, SWEEP_DIR_ENV, SWEEPS_ENV  # noqa: E402
from nncore.sweep import load_sweep  # noqa: E402


def prepare(units: int, folder: Path) -> dict[str, str]:
    """Train the lecture's configuration with ``units`` hidden units and its sweeps; the scenes' environment."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / DEFAULT_CONFIG).read_text(encoding="utf-8")
    lines = [f"hidden_units = {units}" if line.startswith("hidden_units =") else line for line in text.splitlines()]
    (folder / "lecture.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copyfile(ROOT / DEFAULT_SWEEPS, folder / "sweeps.toml")  # its base: the lecture.toml beside it
    history = folder / "history.npz"
    train(load_config(folder / "lecture.toml")).save(history)
    env = {HISTORY_ENV: str(history), SWEEPS_ENV: str(folder / "sweeps.toml"), SWEEP_DIR_ENV: str(folder / "sweeps")}
    for name in ("learning_rates", "hidden_sizes", "datasets"):
        load_sweep(name, folder / "sweeps.toml", folder / "sweeps")
    return env


def render_cpu(scene_file: Path, cls: str, preset: object, env: dict[str, str], media: Path) -> tuple[float, float]:
    """Render one segment as the build does; its CPU seconds (children's user + system) and wall seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    cmd = [sys.executable, *manim_command(scene_file, cls, preset, media)]  # type: ignore[arg-type]
    child_env = {**os.environ, **env, "NN_VOICE": "none"}
    r = subprocess.run(cmd, cwd=ROOT, env=child_env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{scene_file} {cls} failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    """Parse the options, prepare every width, render every segment width by width, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", default="4,100", help="hidden-layer widths, the first is the reference")
    parser.add_argument("--quality", default="preview")
    parser.add_argument("--segments", help="segment names (default: the lecture's)")
    parser.add_argument("--repeats", type=int, default=1, help="best of N renders per segment and width")
    args = parser.parse_args()
    widths = [int(u) for u in args.units.split(",")]
    settings = load_render_settings(ROOT / "media_config" / "render.toml")
    preset = settings.preset(args.quality)
    segments = settings.lecture(args.segments.split(",") if args.segments else None)
    print(f"load average at start: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench_widths_") as tmp:
        work = Path(tmp)
        envs = {u: prepare(u, work / f"units{u}") for u in widths}
        # The TeX every segment typesets is shared, as in the build; fill it first so no width pays for it.
        tex = work / "tex"
        for u in widths:
            envs[u]["NN_TEX_CACHE"] = str(tex)
        results: dict[str, dict[int, tuple[float, float]]] = {}
        for seg in segments:
            file = ROOT / seg.file
            for u in widths:  # warm-up: TeX typeset once per formula
                render_cpu(file, seg.cls, preset, envs[u], work / "media-warm" / f"{u}")
            best: dict[int, tuple[float, float]] = {}
            for _ in range(args.repeats):
                for u in widths:
                    cpu, wall = render_cpu(file, seg.cls, preset, envs[u], work / "media" / f"{seg.name}-{u}")
                    if u not in best or cpu < best[u][0]:
                        best[u] = (cpu, wall)
            results[seg.name] = best
            ref = best[widths[0]][0]
            ratios = "  ".join(f"{u} units {best[u][0]:6.1f} CPU-s ({best[u][0] / ref:.2f}x)" for u in widths)
            print(f"{seg.name:18s} {ratios}", flush=True)
    total = {u: sum(r[u][0] for r in results.values()) for u in widths}
    worst = max(results.items(), key=lambda kv: kv[1][widths[-1]][0] / kv[1][widths[0]][0])
    print(
        "total: "
        + ", ".join(f"{u} units {total[u]:.1f} CPU-s" for u in widths)
        + f"; largest ratio {worst[1][widths[-1]][0] / worst[1][widths[0]][0]:.2f}x ({worst[0]}); "
        f"load average at end: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
