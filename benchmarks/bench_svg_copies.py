"""python benchmarks/bench_svg_copies.py: segments rendered with and without shared SVG paths in copies.

:mod:`scenes.common.svg_copies` makes the copies animations take of formulas share the parsed
SVG path manim keeps on every glyph instead of deep-copying it. This renders segments at 480p15
(caching off, as the lecture builds) with manim's own copies and with the shared paths,
alternating, in one process, and reports CPU seconds and their ratio; the frames of both are
compared (their SHA-256 over every frame must be equal). The history is the lecture's
(``build/history.npz``, ``$NN_HISTORY``).

Options: ``--segments a,b`` (default backprop,matrix_algebra), ``--repeats N`` (best of N, default 1).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_decision_boundary import render  # noqa: E402

from scenes.common import svg_copies  # noqa: E402

CLASSES = {
    "backprop": "Backprop",
    "matrix_algebra": "MatrixAlgebra",
    "forward_pass": "ForwardPass",
    "decision_boundary": "DecisionBoundary",
}


def frames_digest(scene_cls: type) -> tuple[type, list[str]]:
    """A subclass of ``scene_cls`` that hashes every frame it writes into the returned list."""
    digests: list[str] = []

    class Hashing(scene_cls):
        def setup(self) -> None:
            super().setup()
            digest = hashlib.sha256()
            digests.append("")
            add = self.renderer.add_frame

            def add_frame(frame: np.ndarray, num_frames: int = 1) -> None:
                digest.update(frame.tobytes() + num_frames.to_bytes(4, "little"))
                digests[-1] = digest.hexdigest()
                add(frame, num_frames)

            self.renderer.add_frame = add_frame

    Hashing.__name__ = scene_cls.__name__
    return Hashing, digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", default="backprop,matrix_algebra")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    install = svg_copies.install
    with tempfile.TemporaryDirectory() as shared:
        tex_dir = Path(shared)
        print("480p15, caching off; CPU seconds, best of", args.repeats)
        print("segment            frames   manim's copies   shared paths   ratio   same frames")
        for name in args.segments.split(","):
            cls = getattr(importlib.import_module(f"scenes.{name}"), CLASSES[name])
            scene, digests = frames_digest(cls)
            render(scene, tex_dir)  # warm-up: TeX, imports
            cpu: dict[bool, list[float]] = {False: [], True: []}
            seen: dict[bool, str] = {}
            frames = 0
            for _ in range(args.repeats):
                for shared_paths in (False, True):
                    svg_copies.uninstall()
                    svg_copies.install = install if shared_paths else (lambda: False)  # the first beat calls it
                    _, c, frames, _ = render(scene, tex_dir)
                    cpu[shared_paths].append(c)
                    seen[shared_paths] = digests[-1]
            svg_copies.install = install
            a, b = min(cpu[False]), min(cpu[True])
            print(f"{name:18s} {frames:6d}   {a:12.1f} s   {b:10.1f} s   {b / a:5.2f}   {seen[False] == seen[True]}")


if __name__ == "__main__":
    main()
