"""The assembly stage: the rendered segments become one lecture in a folder, published at once.

- :mod:`lecture.assemble.stitch` — the segments' video joined without re-encoding (PyAV remux).
- :mod:`lecture.assemble.soundtrack` — one audio track: every segment's speech at its start, measured, encoded once.
- :mod:`lecture.assemble.captions` — subtitles and chapters: SRT in, SRT and WebVTT out, in lecture time.
- :mod:`lecture.assemble.timeline` — each scene's beats, lines and series in lecture time (the manifest).
- :mod:`lecture.assemble.companions` — the chapters, tracks, thumbnails and poster beside ``lecture.mp4``.
- :mod:`lecture.assemble.publish` — a whole output folder swapped in at once; one run per folder.
"""
