"""The render stage: every segment rendered by ``manim`` in its own process, only when its inputs changed.

- :mod:`lecture.render.inputs` — what a segment's video depends on, hashed (its code, history,
  sweeps, preset, voice, tools): it is rendered again exactly when this changes.
- :mod:`lecture.render.histories` — the training history of a config, trained only when missing.
- :mod:`lecture.render.sweeps` — the sweeps a segment reads: checked, trained, hashed.
- :mod:`lecture.render.narrator` — the voice a build narrates with, what each render is told about
  it, and the authors' recordings (checked, stale, unused).
- :mod:`lecture.render.segment` — one render: the ``manim`` child process, its share of the cores,
  its log and failure line, moved into the cache in one rename.
- :mod:`lecture.render.manim_child` — ``manim render`` with faster frame hand-off and the shared TeX cache.
- :mod:`lecture.render.cache` — the finished renders, by input hash.
"""
