"""The frames a player shows, one per frame at the video's nominal rate, however few pictures were encoded.

A variable-rate video (the build's default, :attr:`lecture.settings.Preset.frame_rate`) encodes a
still picture once and shows it until the next; the tests compare what is shown, frame by frame.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from lecture.assemble.stitch import nominal_rate, probe


def shown_frames(video: Path) -> list[np.ndarray]:
    """Every frame ``video`` shows at its nominal rate, as ``(height, width, 3)`` uint8 RGB arrays."""
    info = probe(video)
    with av.open(str(video)) as c:
        s = c.streams.video[0]
        rate, tb = nominal_rate(s), Fraction(s.time_base or 0)
        pictures = [(round(f.pts * tb * rate), f.to_ndarray(format="rgb24")) for f in c.decode(s) if f.pts is not None]
    first = pictures[0][0]
    frames: list[np.ndarray] = []
    for k, (start, picture) in enumerate(pictures):
        stop = pictures[k + 1][0] if k + 1 < len(pictures) else first + info.shown_frames
        frames += [picture] * (stop - start)
    return frames
