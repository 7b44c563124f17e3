"""Loops for pages, ``python -m lecture gif``: a GIF and an animated WebP of a stretch of a render.

- :mod:`lecture.loops.make_loop` — which render, which stretch (seconds or beats), which size.
- :mod:`lecture.loops.encode` — the two files, through FFmpeg's palette filters and libwebp.
"""
