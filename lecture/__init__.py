"""lecture: build the whole lecture from the scenes: renders, the video, its page, a deck and loops.

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]`` (or the
``lecture`` script) ensures the training history, renders every segment listed in
``media_config/render.toml`` (in parallel, re-using segments whose inputs did not change),
stitches them without re-encoding and writes ``build/lecture/<quality>/`` (``lecture.mp4``,
``chapters.vtt``, ``captions.vtt``, ``captions.srt``, ``poster.png``, ``thumbs/``,
``manifest.json``, ``index.html``); with several configs (``--config`` again, ``--configs LIST``),
one such folder per config in ``build/lectures/<config's name>/<quality>/``.

The build in stages, one subpackage each, in the order data flows:

- :mod:`lecture.render` — what a segment depends on (its input hash), the training history and the
  sweeps it reads, the voice it is told to speak with, one ``manim render`` child per segment, and
  the cache of finished renders.
- :mod:`lecture.cluster` — the renders sent to a Dask cluster's workers instead (``--cluster``),
  checked against this checkout's code and stored whole; imported only when asked for.
- :mod:`lecture.assemble` — the segments joined into ``lecture.mp4`` without re-encoding, one audio
  track, chapters and captions in lecture time, thumbnails and poster, and the atomic publication.
- :mod:`lecture.page` — the lecture's ``index.html`` (video, transcript, the run explorer) from
  templates.
- :mod:`lecture.deck` — ``python -m lecture slides``: a reveal.js page and a PowerPoint file, one
  beat a step, cut from the renders.
- :mod:`lecture.loops` — ``python -m lecture gif``: a GIF and a WebP of a stretch of a render.

Around them: :mod:`lecture.pipeline` (the build, stage by stage), :mod:`lecture.recording_script`
(``python -m lecture script``: every spoken line, to record), :mod:`lecture.cli` (one module per
command, built on :mod:`nncore.console`), :mod:`lecture.settings` (``render.toml``),
:mod:`lecture.preflight` (checks before anything is written), :mod:`lecture.progress` (the live
display and the closing table), :mod:`lecture.templating` (HTML from template files) and
:mod:`lecture.errors`. Environment variables and default paths come from :mod:`nncore.paths`; the
voice is its own package, :mod:`voice`.
"""

from __future__ import annotations

from nncore import __version__  # one distribution, one version (pyproject.toml)

__all__ = ["__version__"]
