"""``python tests/frame_hash_child.py OUT.txt render [manim options] FILE CLASS``: a render that hashes its frames.

It runs :mod:`lecture.render.manim_child` (so the drawing and the encoding are the build's) and
writes to ``OUT.txt`` one line per frame handed to the encoder: the SHA-256 of its raw RGBA
bytes, its shape and how many times it is repeated. ``$NN_PATH_CACHE=off`` renders without the
path cache, so two runs compare the pixels manim draws with and without it
(``tests/test_manim_child.py``).
"""

from __future__ import annotations

import atexit
import hashlib
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's lecture, not an installed one

from lecture.render import manim_child  # noqa: E402


def hash_frames_into(out: Path) -> None:
    """Make every frame this process hands to the encoder add a line to ``out`` (written at exit)."""
    lines: list[str] = []
    write_frame = manim_child._write_frame

    def hashing_write_frame(self: Any, pixels: Any, *, repeat: int = 1) -> None:
        lines.append(f"{hashlib.sha256(pixels.tobytes()).hexdigest()} {pixels.shape} x{repeat}")
        write_frame(self, pixels, repeat=repeat)

    manim_child._write_frame = hashing_write_frame  # install() puts this in VideoSegmentEncoder
    atexit.register(lambda: out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8"))


if __name__ == "__main__":
    hash_frames_into(Path(sys.argv[1]))
    manim_child.main(sys.argv[2:])
