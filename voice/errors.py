"""The voice's one error: bad voice input, said in one line naming the file and the fix.

A render prints ``error: <message>`` and exits with code 2 (:mod:`scenes.common.narration`); the
build turns it into a :class:`lecture.errors.LectureError` before anything is rendered.
"""

from __future__ import annotations

from pathlib import Path


class VoiceError(Exception):
    """Bad voice input (an unknown voice, an unusable recording): one line naming the file and the fix."""


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
