"""The lecture's page, ``index.html``: the video with its tracks, its questions, the transcript and the run explorer.

- :mod:`lecture.page.lecture_page` — the page, from ``templates/lecture.html`` (style and script inlined).
- :mod:`lecture.page.transcript` — what the lecture says, by chapter and beat, from the manifest.
- :mod:`lecture.page.quiz` — the question bank as data for the questions beside the video
  (``templates/quiz.js`` asks them when a chapter ends).
- :mod:`lecture.page.explorer` — the run as data for the explorer (``templates/explorer.js`` draws it),
  cached by the history's digest.
"""
