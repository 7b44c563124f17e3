"""``python -m lecture.manim_child render FILE CLASS [manim options]``: ``manim render``, encoding faster.

The build runs every segment's render through this module instead of ``python -m manim``. It
changes one thing, and not the result: how manim 0.22.0 hands frames to libx264.

At 1080p most of a render is encoding, and manim's ``VideoSegmentEncoder.write_frame`` spends
part of it on copies. For every frame, and again for every repetition of a still frame (a
``wait`` of two seconds at 30 fps is one frame written 60 times), it builds a PyAV frame with
``VideoFrame.from_ndarray``, which copies the 8 MB RGBA array row by row, and PyAV then converts
that copy to yuv420p. Here the frame wraps manim's array without a copy
(``VideoFrame.from_numpy_buffer``) and is converted once per ``write_frame`` call; libx264 gets
the same yuv420p pictures with the same timestamps, so the video's bytes are identical
(``tests/test_lecture_build.py`` renders a scene both ways and compares them). It saves about
12 % of a 1080p render's CPU time (decision_boundary: 103 s to 91 s).

The replacement is installed only on the manim version it was written against; on any other,
manim runs unchanged (and slower).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from typing import Any

PATCHED_MANIM = "0.22.0"
"""The manim version whose ``VideoSegmentEncoder`` this module knows."""


def _write_frame(self: Any, pixels: Any, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` without the per-frame copy and the per-repeat conversion."""
    import av

    self._validate_frame(pixels, repeat)  # C-contiguous uint8 (height, width, 4), repeat >= 1
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        picture = av.VideoFrame.from_numpy_buffer(pixels, format="rgba").reformat(format=self.spec.pixel_format)
        for _ in range(repeat):
            # The encoder takes its own reference to the picture and never writes to it; only the
            # timestamp of this wrapper changes between repetitions.
            picture.pts = self._next_pts
            picture.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(picture):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def install() -> bool:
    """Replace ``VideoSegmentEncoder.write_frame`` if manim is the known version; return whether it did."""
    import manim
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    needed = ("_validate_frame", "_operation_error", "write_frame")
    if manim.__version__ != PATCHED_MANIM or not all(hasattr(VideoSegmentEncoder, n) for n in needed):
        return False
    VideoSegmentEncoder.write_frame = _write_frame  # type: ignore[method-assign]
    return True


def main(argv: list[str] | None = None) -> None:
    """Run manim's command line (``argv`` without the program name) with :func:`install` applied."""
    install()
    from manim.__main__ import main as manim_main

    manim_main(args=sys.argv[1:] if argv is None else argv, prog_name="manim")


if __name__ == "__main__":
    main()
