"""voice: the lecture's spoken lines, from caption to normalised audio; no Manim.

``python -c "from voice.spoken import speak; print(speak('dZ2 = A2 − Y'))"`` prints the line a
caption is said as. The scenes (:mod:`scenes.common.narration`) and the build (``lecture``) import
its modules directly; it imports only NumPy, SciPy, PyAV, pyloudnorm, Piper and :mod:`nncore.paths`.

Modules, from the words to the sound:

- :mod:`voice.spoken` — a caption as it is said: symbols as words, numbers as a teacher reads
  them, and what a caption must be to be said (:func:`~voice.spoken.caption_problems`).
- :mod:`voice.pacing` — how long a caption keeps the picture waiting: reading it, or hearing it.
- :mod:`voice.speaker` — who says a line: the author's recording, else the synthetic voice; line ids.
- :mod:`voice.voices` — the installed voices, and which one the environment asks for.
- :mod:`voice.synthesis` — Piper saying a line at the lecture's pace; the voice's cache key.
- :mod:`voice.recordings` — the authors' recordings: which file says which line, and checks.
- :mod:`voice.cache` — the speech cache every render shares: published once, found by content.
- :mod:`voice.audio` — a line's audio as the lecture plays it (trimmed, normalised, faded); WAV files.
- :mod:`voice.loudness` — loudness and true peak, measured and limited: one implementation for a
  line and for the lecture's track.
- :mod:`voice.errors` — :class:`~voice.errors.VoiceError`, one line naming the file and the fix.
"""
