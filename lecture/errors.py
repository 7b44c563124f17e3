"""Errors of the lecture build that the command line turns into one line and an exit code.

``python -m lecture build --quality ultra`` prints ``error: <message>`` and exits with
:attr:`LectureError.exit_code`.
"""

from __future__ import annotations


class LectureError(Exception):
    """Bad input or a missing tool: one line naming the problem and the fix, exit code 2."""

    exit_code = 2


class RenderFailed(LectureError):
    """A segment's scene failed to render (its log names why); exit code 1."""

    exit_code = 1


class StitchError(LectureError):
    """The rendered segments cannot be joined without re-encoding; exit code 1."""

    exit_code = 1
