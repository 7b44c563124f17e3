"""``.venv/bin/python scripts/compare_frames.py --base REV``: does a change alter what the lecture shows.

Renders every segment (the optional ones too) at preview quality twice, once from a clean
checkout of ``REV`` (a temporary ``git worktree``) and once from the working tree, with
``python -m lecture build``, then decodes both renders of each segment and compares them frame by
frame. It prints, per segment, the frame counts, how many frames differ and by how much (the
largest difference of one colour channel, 0-255), and whether the captions are the same text with
the same times. Exit code 0 when every segment is identical, 1 otherwise.

Both builds are silent (``--voice none`` where the tree has a voice): a narrated beat lasts as
long as its speech, which would move every frame after it. ``--before DIR --after DIR`` compares
two existing build folders instead (no rendering); ``--keep DIR`` keeps the two builds (and the
base's worktree) there, which are otherwise removed at the end. Identical frames mean the same
drawing: both builds run on one CPU, so libx264 encodes every render with one thread (its output
depends on the thread count, which a build otherwise sets from the cores it has and the renders
running at once), and an identical scene encodes to identical frames. For a frame that differs,
the table gives the box round the pixels that differ by more than 30 (a lossy encoder spreads
small differences over the whole frame; large ones show where the picture changed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
QUALITY = "preview"


@dataclass
class Comparison:
    """How two renders of one segment differ."""

    name: str
    frames: tuple[int, int]
    differing: int
    max_diff: int
    first: int | None
    captions_same: bool
    box: tuple[int, int, int, int] | None = None

    @property
    def identical(self) -> bool:
        """Same frame count, every frame equal, the same captions."""
        return self.frames[0] == self.frames[1] and self.differing == 0 and self.captions_same


def segment_names(root: Path) -> list[str]:
    """Every segment of ``media_config/render.toml`` in ``root``, enabled or not."""
    import tomllib

    settings = tomllib.loads((root / "media_config" / "render.toml").read_text(encoding="utf-8"))
    return [s["name"] for s in settings["segments"]]


def build(tree: Path, build_dir: Path, segments: list[str]) -> None:
    """``python -m lecture build --quality preview`` of ``segments`` from ``tree`` into ``build_dir``."""
    cmd = [sys.executable, "-m", "lecture", "build", "--quality", QUALITY, "--build-dir", str(build_dir)]
    cmd += ["--segments", ",".join(segments)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    helped = subprocess.run([*cmd[:4], "--help"], cwd=tree, env=env, capture_output=True, text=True).stdout
    if "--voice" in helped:
        cmd += ["--voice", "none"]  # the picture only: a voice times beats by its speech, trees before it could not
    cpu = min(os.sched_getaffinity(0))
    print(f"building {tree} into {build_dir} (on CPU {cpu} alone)", flush=True)
    subprocess.run(
        cmd,
        cwd=tree,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
    )


def renders(build_dir: Path) -> dict[str, Path]:
    """Segment name → the folder of its newest render at preview quality in ``build_dir``."""
    manifest = json.loads((build_dir / "lecture" / QUALITY / "manifest.json").read_text(encoding="utf-8"))
    out = {}
    for seg in manifest["segments"]:
        folder = build_dir / "segments" / QUALITY / seg["name"] / seg["input_hash"][:16]
        out[seg["name"]] = folder
    return out


def frames(video: Path) -> list[np.ndarray]:
    """Every decoded frame of ``video`` as an RGB array."""
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def compare(name: str, before: Path, after: Path) -> Comparison:
    """Compare the renders in the folders ``before`` and ``after`` frame by frame."""
    a, b = frames(before / "segment.mp4"), frames(after / "segment.mp4")
    differing, max_diff, first = 0, 0, None
    box: tuple[int, int, int, int] | None = None
    for k, (fa, fb) in enumerate(zip(a, b, strict=False)):
        if not np.array_equal(fa, fb):
            diff = np.abs(fa.astype(int) - fb.astype(int)).max(axis=2)
            differing += 1
            max_diff = max(max_diff, int(diff.max()))
            first = k if first is None else first
            ys, xs = np.nonzero(diff > 30)
            if xs.size:
                new = (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
                box = new if box is None else (*np.minimum(box[:2], new[:2]), *np.maximum(box[2:], new[2:]))
    same_srt = (before / "segment.srt").read_text(encoding="utf-8") == (after / "segment.srt").read_text(
        encoding="utf-8"
    )
    return Comparison(name, (len(a), len(b)), differing, max_diff, first, same_srt, box)


def report(results: list[Comparison], fps: float) -> str:
    """A table of the comparisons."""
    lines = [f"{'segment':<18} {'frames':>13} {'differ':>7} {'max diff':>8} {'first at':>9}  captions  changed box"]
    for r in results:
        first = "-" if r.first is None else f"{r.first / fps:.2f} s"
        box = "-" if r.box is None else f"x {r.box[0]}-{r.box[2]}, y {r.box[1]}-{r.box[3]}"
        lines.append(
            f"{r.name:<18} {r.frames[0]:>6}/{r.frames[1]:<6} {r.differing:>7} {r.max_diff:>8} {first:>9}  "
            f"{'same' if r.captions_same else 'DIFFER':<8}  {box}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; see the module docstring."""
    parser = argparse.ArgumentParser(prog="scripts/compare_frames.py", description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="git revision to compare the working tree against")
    parser.add_argument("--before", type=Path, help="an existing build folder (instead of --base)")
    parser.add_argument("--after", type=Path, help="an existing build folder (default: build the working tree)")
    parser.add_argument("--segments", help="comma-separated segment names (default: all)")
    parser.add_argument("--keep", type=Path, help="keep the builds in this folder")
    args = parser.parse_args(argv)
    if not args.base and not args.before:
        parser.error("give --base REV or --before DIR")
    names = args.segments.split(",") if args.segments else segment_names(ROOT)
    work = args.keep or Path(tempfile.mkdtemp(prefix="compare-frames-"))
    work.mkdir(parents=True, exist_ok=True)
    tree = work / "base-tree"
    try:
        before = args.before
        if before is None:
            if not tree.exists():
                subprocess.run(["git", "worktree", "add", "--detach", str(tree), args.base], cwd=ROOT, check=True)
            before = work / "before"
            build(tree, before, names)
        after = args.after
        if after is None:
            after = work / "after"
            build(ROOT, after, names)
        old, new = renders(before), renders(after)
        results = [compare(n, old[n], new[n]) for n in [*old] if n in new]
        print(report(results, fps=15.0))
        return 0 if all(r.identical for r in results) else 1
    finally:
        if not args.keep:  # without --keep nothing stays: neither the builds nor the base's worktree
            if tree.exists():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
