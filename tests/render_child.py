"""``python tests/render_child.py OUT.json render [manim options] FILE CLASS``: a render that records its layout.

The scene tests render through this instead of ``python -m lecture.render.manim_child`` (which it runs,
so the video is the build's). At the end of every beat (:meth:`Narrated.beat_ended`), with
everything on screen, it records the boxes of the top-level mobjects and of every visible drawn
piece (:func:`scene_checks.on_screen`), and when the render ends it writes them to ``OUT.json``
with the scene's own ``layout`` record if it keeps one (the backprop segment). One render then
serves both the video's tests and the layout's, instead of running the scene a second time in
the test process. With manim's ``-s`` the same run skips the animations: a cheap run that still
plays every beat with its numbers and captions; with ``$BEAT_FRAMES`` naming a folder, it also
saves the picture at the end of every beat there, as ``<beat>.png``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scene_checks import BEAT_FRAMES_ENV, on_screen  # noqa: E402

from lecture.render.manim_child import main  # noqa: E402
from nncore.atomic import atomic_write  # noqa: E402
from scenes.common.narration import Narrated  # noqa: E402


def record_into(out: Path) -> None:
    """Make every narrated scene of this process record its layout and write it to ``out`` at its end."""
    record: dict[str, Any] = {"boxes": {}, "pieces": {}, "layout": []}
    frames = os.environ.get(BEAT_FRAMES_ENV)
    beat_ended, tear_down = Narrated.beat_ended, Narrated.tear_down

    def boxes(scene: Any, pieces: bool) -> list[list[Any]]:
        return [[kind, lo.tolist(), hi.tolist()] for kind, lo, hi in on_screen(scene, pieces)]

    def recording_beat_ended(self: Any, name: str) -> None:
        beat_ended(self, name)
        record["boxes"][name] = boxes(self, False)
        record["pieces"][name] = boxes(self, True)
        if frames:
            from PIL import Image

            self.renderer.update_frame(self)
            Path(frames).mkdir(parents=True, exist_ok=True)
            Image.fromarray(self.renderer.get_frame()).convert("RGB").save(Path(frames) / f"{name}.png")

    def recording_tear_down(self: Any) -> None:
        tear_down(self)
        record["layout"] = [dataclasses.asdict(s) for s in getattr(self, "layout", [])]
        with atomic_write(out, "w", encoding="utf-8") as fh:
            json.dump(record, fh)

    Narrated.beat_ended = recording_beat_ended  # type: ignore[method-assign]
    Narrated.tear_down = recording_tear_down  # type: ignore[method-assign]


if __name__ == "__main__":
    record_into(Path(sys.argv[1]))
    main(sys.argv[2:])
