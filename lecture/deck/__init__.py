"""The deck, ``python -m lecture slides``: the lecture one beat a step, to teach it live.

- :mod:`lecture.deck.make_deck` — the run: the lecture built, its renders cut, the files written and published.
- :mod:`lecture.deck.clips` — a segment's render cut into one clip per beat, copying its frames.
- :mod:`lecture.deck.steps` — a step: one beat, its clip, its place and its notes.
- :mod:`lecture.deck.questions` — each chapter's questions (the lecture's ``questions.json``), after its last beat.
- :mod:`lecture.deck.reveal_page` — ``index.html``, a reveal.js deck from ``templates/deck.html``; a question's
  answer is the next step (a fragment).
- :mod:`lecture.deck.powerpoint` — ``lecture.pptx``, one slide a beat, a question and its answer two (python-pptx).
"""
