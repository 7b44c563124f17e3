"""What each segment's scene did, in lecture time: its beats, their lines, and recorded series.

``python -m lecture build`` writes, for every segment in ``manifest.json``::

    "beats": [{"name": "bias", "start": 12.4, "end": 17.1,
               "lines": [{"id": "bias", "text": "b1 shifts ...", "spoken": "b1 shifts ...",
                          "hash": "3f2a...", "start": 12.4, "end": 17.1,
                          "audio": {"source": "synthetic", "voice": "joe", "file": "...",
                                    "seconds": 3.91, "stale": null}}]}, ...],
    "series": {"clock": [[31.2, 0], [31.27, 12], ...]}

from the scene record the render kept as ``scene.json`` (a narrated scene writes it where
``$NN_SCENE_RECORD`` says, see :meth:`scenes.common.narration.Narrated.scene_record`). Beats and
lines are moved by the chapter's start and cut at its end, as the captions are; a series' items
are ``[seconds, value, ...]`` and have their first element moved by the chapter's start. A line
keeps what the scene recorded of it besides its times (its ``id``, ``spoken`` form, ``hash`` and
``audio``, see :mod:`scenes.common.narration`); its speech starts at its ``start`` and lasts
``audio.seconds``. A render without a record (an older cache entry, a scene that is not
narrated) has no beats and no series. Features built on the lecture (the page's transcript,
slides, an explorer following a chapter's clock) read them from the manifest.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

DIGITS = 6
"""Decimals kept for times in the manifest (its segments' starts are rounded the same way)."""


def read_scene_record(path: Path) -> dict[str, Any] | None:
    """The scene record at ``path``, or ``None`` if there is none or it is not one.

    A scene record is a JSON object with ``beats`` (a list of objects with ``name``, ``start``,
    ``end`` and ``lines``) and ``series`` (an object of lists).
    """
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    beats, series = record.get("beats", []), record.get("series", {})
    if not isinstance(beats, list) or not isinstance(series, dict):
        return None
    if not all(isinstance(b, dict) and {"name", "start", "end", "lines"} <= b.keys() for b in beats):
        return None
    return {"beats": beats, "series": series}


def lecture_timeline(record: dict[str, Any] | None, start: Fraction, duration: Fraction) -> dict[str, Any]:
    """A segment's ``beats`` and ``series`` moved to lecture time (both empty without a record).

    Parameters
    ----------
    record : dict or None
        What :func:`read_scene_record` returned.
    start : Fraction
        The chapter's start in the lecture, seconds.
    duration : Fraction
        The chapter's length: beats and lines are cut at ``start + duration``.
    """
    if record is None:
        return {"beats": [], "series": {}}
    end = start + duration

    def at(t: float | None) -> float:
        # a beat or line still open when the scene ended runs to the chapter's end
        moved = end if t is None else min(start + Fraction(t), end)
        return round(float(moved), DIGITS)

    beats = [
        {
            "name": b["name"],
            "start": at(b["start"]),
            "end": at(b["end"]),
            "lines": [_line(ln, at) for ln in b["lines"]],
        }
        for b in record["beats"]
    ]
    series = {name: [_shift_item(item, start) for item in items] for name, items in record["series"].items()}
    return {"beats": beats, "series": series}


LINE_KEYS = ("id", "spoken", "hash", "audio")
"""What a line of the manifest keeps from the scene record, besides its text and times."""


def _line(line: dict[str, Any], at: Any) -> dict[str, Any]:
    """A line of the record in lecture time: its text, times, and :data:`LINE_KEYS` when recorded."""
    moved = {"text": line["text"], "start": at(line["start"]), "end": at(line["end"])}
    moved.update({k: line[k] for k in LINE_KEYS if k in line})
    return moved


def _shift_item(item: Any, start: Fraction) -> Any:
    """``[seconds, value, ...]`` with its seconds moved by ``start``; anything else as it is."""
    if isinstance(item, list) and item and isinstance(item[0], (int, float)) and not isinstance(item[0], bool):
        return [round(float(start + Fraction(item[0])), DIGITS), *item[1:]]
    return item
