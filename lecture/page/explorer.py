"""The run as data for the page's explorer: a compact export of the history, cached by its digest.

``python -m lecture build`` calls :func:`prepare_explorer` before it writes ``index.html``; the
page inlines :attr:`Explorer.data` (a ``file://`` page may not fetch a neighbouring file) in
``templates/explorer.html``, and ``templates/explorer.js`` draws it. What the export holds:

- the parameters at a few hundred iterations, log spaced and denser where the cost falls (the
  video's own :func:`~scenes.common.clock.sample_iterations`), plus every iteration the
  decision-boundary segment's clock shows, so that the explorer following the video shows exactly
  the video's iteration;
- the data points, and the cost and accuracy at every iteration (the accuracy as the count of
  correctly classified points: ``count / m`` is the history's value bit for bit);
- the lecture's colours as the video computes them (the boundary's colour table, the signed-value
  map, the palette), the field's extent, the sizes of points, rings and lines relative to the
  picture, and the diagram's layout, so that no colour or size is written twice: each is read from
  the public value the scenes draw with (:mod:`scenes.common.field`, :mod:`scenes.common.colors`,
  ``scenes.decision_boundary.DIAGRAM`` and ``PANEL_HEIGHT``).

Arrays are little-endian and base64-encoded. Parameters are float64, so every value shown agrees
with the history to its last digit; a run whose parameters would exceed :data:`PARAM_BUDGET`
bytes (many hidden units at a high frame rate) stores them as float32 (7 significant digits; the
explorer shows 3). The export is cached in ``build/explorer/<key>.json``, the key covering the
history's digest, the clock's iterations and the code that makes it: a build whose history has
not changed reads it back and imports no Manim.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lecture.render.inputs import sha256_file
from lecture.templating import script_json
from nncore import History
from nncore.atomic import atomic_write

EXPORT_FORMAT = 1
"""Version of the data layout below; the page's script checks it."""

FOLLOW_SEGMENT = "decision_boundary"
"""The segment whose clock the explorer follows while it plays (series ``"clock"`` of its record)."""

SNAPSHOTS = 400
"""Iterations asked of :func:`~scenes.common.clock.sample_iterations` (it returns fewer, unique ones)."""

FIELD_PX = 480
"""Side of the explorer's boundary picture, in pixels (square, like the video's panel)."""

UNIT_MAP_PX = 120
"""Side of a hidden unit's own small tanh map."""

PARAM_BUDGET = 1_000_000
"""Bytes of float64 parameters beyond which they are stored as float32."""

VALUE_LUT_SIZE = 1025
"""Entries of the signed-value colour table, over ``[-1, 1]`` (odd: 0 has its own entry)."""

KEEP_CACHED = 4
"""Cached exports kept per build folder (most recently used first)."""

STROKE_UNIT = 0.01
"""A Manim stroke width ``w`` is ``STROKE_UNIT * w`` scene units (the diagram's edges are drawn so)."""

SOURCES = ("lecture/page/explorer.py", "scenes/decision_boundary.py", "scenes/common")
"""What the cached export depends on besides the history and the clock (relative to the repository)."""


@dataclass(frozen=True)
class Explorer:
    """The explorer's data for one page, and what the manifest records about it.

    Attributes
    ----------
    data : dict
        Everything ``explorer.js`` reads (JSON-serialisable), inlined in the page.
    entry : dict
        The manifest's ``explorer`` entry: format, cache key and file, sizes, whether the cached
        export was reused, which segment the explorer follows.
    """

    data: dict[str, Any]
    entry: dict[str, Any]


def b64(array: np.ndarray, dtype: str) -> str:
    """``array`` as little-endian ``dtype`` bytes, base64-encoded (C order)."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()).decode()


def unb64(text: str, dtype: str) -> np.ndarray:
    """The inverse of :func:`b64`: a flat array of ``dtype``."""
    return np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<"))


def follow_clock(manifest: dict[str, Any], segment: str = FOLLOW_SEGMENT) -> dict[str, Any] | None:
    """The lecture-time → iteration map of ``segment``'s clock, from the manifest; ``None`` without one.

    Parameters
    ----------
    manifest : dict
        With ``segments``, each carrying ``start``, ``duration`` and, when its scene recorded them,
        ``series`` (``{"clock": [[seconds, iteration], ...]}``, seconds in lecture time).
    segment : str

    Returns
    -------
    dict or None
        ``segment``, ``title``, ``start``, ``end`` (lecture seconds), ``times`` and ``iterations``
        (the clock's changes, in order).
    """
    for seg in manifest.get("segments", []):
        if not isinstance(seg, dict) or seg.get("name") != segment:
            continue
        clock = (seg.get("series") or {}).get("clock") or []
        pairs = [(float(t), int(i)) for t, i in clock]
        if not pairs:
            return None
        start = float(seg["start"])
        return {
            "segment": segment,
            "title": str(seg.get("title", segment)),
            "start": round(start, 6),
            "end": round(start + float(seg["duration"]), 6),
            "times": [round(t, 6) for t, _ in pairs],
            "iterations": [i for _, i in pairs],
        }
    return None


def snapshot_iterations(history: History, extra: Sequence[int] | np.ndarray = ()) -> np.ndarray:
    """The iterations whose parameters the page carries: the video's spacing, plus ``extra``.

    Returns
    -------
    ndarray of int64
        Strictly increasing, from 0 to ``T``.
    """
    from scenes.common.clock import sample_iterations

    T = history.iterations
    base = sample_iterations(T, SNAPSHOTS, history.cost)
    extra = np.clip(np.asarray(extra, dtype=np.int64), 0, T)
    return np.union1d(base, extra).astype(np.int64)


def export_run(history: History, iterations: np.ndarray) -> dict[str, Any]:
    """The history as the explorer reads it (see the module docstring), at ``iterations``.

    Parameters
    ----------
    history : History
    iterations : ndarray of int
        Increasing; the iterations whose parameters are included.

    Returns
    -------
    dict
        JSON-serialisable; arrays base64-encoded (:func:`b64`).
    """
    from scenes.common.curves import run_axis
    from scenes.common.field import data_extent

    h = history
    its = np.asarray(iterations, dtype=np.int64)
    params, precision = snapshot_parameters(h, its)
    correct = np.rint(h.accuracy * h.m).astype(np.int64)  # (T+1,)
    if not np.array_equal(correct / h.m, h.accuracy):
        raise ValueError("the history's accuracy is not a count of correct points over m")
    top, step = run_axis(h)
    return {
        "format": EXPORT_FORMAT,
        "T": h.iterations,
        "m": h.m,
        "n_h": h.hidden_units,
        "n_x": h.n_x,
        "config": h.meta["config"],
        "iterations": b64(its, "<i4"),
        "snapshots": int(its.size),
        "params": b64(params, precision),
        "precision": "float64" if precision == "<f8" else "float32",
        "cost": b64(h.cost, "<f8"),
        "correct": b64(correct, "<u2"),
        "X": b64(h.X, "<f8"),
        "Y": b64(h.Y[0] > 0.5, "u1"),
        "extent": list(data_extent(h.X, aspect=1.0)),
        "scale_1": float(np.abs(h.W1).max()) or 1.0,  # one scale per layer over the run, as the video's diagram
        "scale_2": float(np.abs(h.W2).max()) or 1.0,
        "cost_axis": {"top": float(top), "step": float(step)},
        "field_px": FIELD_PX,
        "unit_map_px": UNIT_MAP_PX,
        **colour_tables(),
        "colors": palette(),
        "sizes": picture_sizes(),
        "diagram": diagram(h),
    }


def snapshot_parameters(history: History, its: np.ndarray) -> tuple[np.ndarray, str]:
    """One row per snapshot: ``W1`` (n_h, 2) row-major, ``b1`` (n_h,), ``W2`` (n_h,), ``b2``; and its dtype.

    Returns
    -------
    params : ndarray, shape (K, 4 n_h + 1)
    precision : str
        ``"<f8"``, or ``"<f4"`` when float64 would pass :data:`PARAM_BUDGET` bytes.
    """
    h = history
    params = np.concatenate(
        [h.W1[its].reshape(its.size, -1), h.b1[its, :, 0], h.W2[its, 0, :], h.b2[its, 0, :]], axis=1
    )  # (K, 4 n_h + 1)
    return params, "<f8" if params.nbytes <= PARAM_BUDGET else "<f4"


def colour_tables() -> dict[str, Any]:
    """The boundary's probability colour table (by logit) and the signed-value colour table, as the video's."""
    from scenes.common import colors
    from scenes.common.field import LUT_SIZE, LUT_Z, probability_lut

    value_lut = colors.value_rgb(np.linspace(-1.0, 1.0, VALUE_LUT_SIZE)[None, :], 1.0)[0]  # (N, 3)
    rgba = np.concatenate([value_lut, np.full((VALUE_LUT_SIZE, 1), 255, np.uint8)], axis=1)
    return {
        "probability_lut": base64.b64encode(probability_lut().astype("<u4").tobytes()).decode(),
        "lut_z": float(LUT_Z),
        "lut_size": int(LUT_SIZE),
        "value_lut": base64.b64encode(rgba.tobytes()).decode(),
    }


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{round(float(c) * 255):02X}" for c in rgb)


def palette() -> dict[str, str]:
    """The palette's colours and the boundary picture's line, ring and outline colours, as ``#RRGGBB``."""
    from scenes.common import colors
    from scenes.common.field import BoundaryField

    return {
        "class0": colors.CLASS_0_HEX,
        "class1": colors.CLASS_1_HEX,
        "positive": colors.POSITIVE_HEX,
        "negative": colors.NEGATIVE_HEX,
        "neutral": colors.NEUTRAL_HEX,
        "text": colors.TEXT_HEX,
        "muted": colors.MUTED_HEX,
        "highlight": colors.HIGHLIGHT_HEX,
        "line": _hex(BoundaryField.LINE_RGB),
        "ring": _hex(BoundaryField.RING_RGB),
        "outline": _hex(BoundaryField.OUTLINE_RGB),
    }


def picture_sizes() -> dict[str, float]:
    """Points, rings and the contour as the training view draws them, relative to the picture's side."""
    from scenes.common.field import LINE_ALPHA, LINE_WIDTH, POINT_RADIUS, RING_RADIUS, RING_WIDTH
    from scenes.decision_boundary import PANEL_HEIGHT

    return {
        "point_radius": POINT_RADIUS / PANEL_HEIGHT,
        "line_width": LINE_WIDTH / PANEL_HEIGHT,
        "ring_radius": RING_RADIUS,
        "ring_width": RING_WIDTH,
        "line_alpha": LINE_ALPHA,
    }


def diagram(history: History) -> dict[str, Any]:
    """The training view's network diagram: its size, the units it draws, where its nodes go, its edge widths."""
    from scenes.common.layout import diagram_layout
    from scenes.common.palette import value_width
    from scenes.decision_boundary import DIAGRAM

    layout = diagram_layout(history.n_x, history.hidden_units, **asdict(DIAGRAM))
    return {
        **asdict(DIAGRAM),
        "stroke_unit": STROKE_UNIT,
        "shown_units": layout.shown_units,
        # Node positions and radius: the video's NetworkDiagram places its nodes by the same layout.
        "layout": {
            "node_radius": layout.node_radius,
            "input_ys": layout.input_ys,
            "hidden_ys": layout.hidden_ys,
            "ellipsis_y": layout.ellipsis_y,
        },
        "min_width": value_width(0.0, 1.0),
        "max_width": value_width(1.0, 1.0),
    }


def sources_digest(root: Path) -> str:
    """Digest of the code the export depends on (:data:`SOURCES`, relative to ``root``)."""
    h = hashlib.sha256()
    for name in SOURCES:
        path = root / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            if "__pycache__" not in f.parts and f.is_file():
                h.update(f"{f.relative_to(root).as_posix()}:{sha256_file(f)}\n".encode())
    return h.hexdigest()


def export_key(history_digest: str, clock_iterations: list[int], code: str) -> str:
    """The cache key of an export: the history, the clock's iterations, the code and the format."""
    payload = json.dumps(
        {"format": EXPORT_FORMAT, "history": history_digest, "clock": sorted(set(clock_iterations)), "code": code},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _prune(cache_dir: Path, keep: int) -> None:
    files = sorted(cache_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def _cached_export(cached: Path) -> dict[str, Any] | None:
    """The export cached at ``cached``, marked recently used; ``None`` if missing, unreadable or of another format."""
    if not cached.is_file():
        return None
    try:
        run = json.loads(cached.read_text(encoding="utf-8"))
        reused = isinstance(run, dict) and run.get("format") == EXPORT_FORMAT
        os.utime(cached)  # recently used: kept by _prune
    except (OSError, ValueError):
        return None
    return run if reused else None


def prepare_explorer(
    history: History,
    history_digest: str,
    manifest: dict[str, Any],
    cache_dir: Path,
    root: Path | None = None,
) -> Explorer:
    """The explorer's data for the page, exported from ``history`` or read back from the cache.

    Parameters
    ----------
    history : History
        The lecture's run.
    history_digest : str
        Its content digest (:func:`lecture.render.inputs.history_digest`).
    manifest : dict
        The lecture's manifest so far: the segments with their lecture times and recorded series
        (for :func:`follow_clock`).
    cache_dir : Path
        Where exports are cached (``build/explorer``).
    root : Path, optional
        The repository root (default: the folder holding the ``lecture`` package).

    Returns
    -------
    Explorer
    """
    root = root or Path(__file__).resolve().parents[2]
    follow = follow_clock(manifest)
    clock = follow["iterations"] if follow else []
    key = export_key(history_digest, clock, sources_digest(root))
    cached = cache_dir / f"{key}.json"
    run = _cached_export(cached)
    reused = run is not None
    if run is None:
        run = export_run(history, snapshot_iterations(history, clock))
        cache_dir.mkdir(parents=True, exist_ok=True)
        with atomic_write(cached, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(run, separators=(",", ":")))
        _prune(cache_dir, KEEP_CACHED)
    data = {**run, "follow": follow}
    entry = {
        "format": EXPORT_FORMAT,
        "key": key,
        "cache": cached.as_posix(),
        "reused": reused,
        "history_digest": history_digest,
        "snapshots": run["snapshots"],
        "precision": run["precision"],
        "hidden_units_drawn": run["diagram"]["shown_units"],
        "follows": {"segment": follow["segment"], "changes": len(clock)} if follow else None,
        "data_bytes": len(data_json(data).encode()),
    }
    return Explorer(data, entry)


def data_json(data: dict[str, Any]) -> str:
    """``data`` as compact JSON safe inside a ``<script>`` element (no ``</script>`` in it), as the page inlines it."""
    return str(script_json(data, compact=True))
