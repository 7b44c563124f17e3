"""lecture: build the whole lecture video from the scenes, with chapters, captions and a page.

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]`` (or the
``lecture`` script) ensures the training history, renders every segment listed in
``media_config/render.toml`` (in parallel, re-using segments whose inputs did not change),
stitches them without re-encoding and writes ``build/lecture/<quality>/`` (``lecture.mp4``,
``chapters.vtt``, ``captions.vtt``, ``captions.srt``, ``poster.png``, ``thumbs/``,
``manifest.json``, ``index.html``).

Modules: :mod:`lecture.settings` (render.toml), :mod:`lecture.runs` (the history per config),
:mod:`lecture.sweeps` (the sweeps a segment reads), :mod:`lecture.inputs` (what a segment depends
on), :mod:`lecture.render` (one segment, atomically), :mod:`lecture.manim_child`
(``manim render``, handing frames to the encoder without copies), :mod:`lecture.captions` (SRT/WebVTT),
:mod:`lecture.timeline` (each scene's beats and series in lecture time), :mod:`lecture.stitch`
(PyAV remux), :mod:`lecture.export` (manifest, page, pictures), :mod:`lecture.build` (the whole
build), :mod:`lecture.cli` (the command line, built on :mod:`nncore.console`). Environment
variables and default paths come from :mod:`nncore.paths`.
"""

from __future__ import annotations

from nncore import __version__  # one distribution, one version (pyproject.toml)

__all__ = ["__version__"]
