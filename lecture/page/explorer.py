"""The run as data for the page's explorer: a compact export of the history, cached by its digest.

``python -m lecture build`` calls :func:`prepare_explorer` before it writes ``index.html``; the
page inlines :attr:`Explorer.data` (a ``file://`` page may not fetch a neighbouring file) in
``templates/explorer.html``, and ``templates/explorer.js`` draws it. What the export holds:

- the parameters at a few hundred iterations, log spaced and denser where the cost falls (the
  video's own :func:`~scenes.common.clock.sample_iterations`), plus every iteration the
  decision-boundary segment's clock shows, so that the explorer following the video shows exactly
  the video's iteration;
- the network's shape (every layer's units, its activation, its input features) and what the run
  is in words (:func:`scenes.common.model_text.run_phrase`);
- the data points (the network's inputs and, when the features are not ``x1, x2``, the points in
  the plane they come from), and the cost and accuracy at every iteration (the accuracy as the
  count of correctly classified points: ``count / m`` is the history's value bit for bit); the
  same for the test set, when the run has one;
- the lecture's colours as the video computes them (the boundary's colour table, the signed-value
  map, the palette), the field's extent, the sizes of points, rings and lines relative to the
  picture, and the diagram's layout, so that no colour or size is written twice: each is read from
  the public value the scenes draw with (:mod:`scenes.common.field`, :mod:`scenes.common.colors`,
  ``scenes.decision_boundary.DIAGRAM`` and ``PANEL_HEIGHT``).

Arrays are little-endian and base64-encoded. Parameters are float64, so every value shown agrees
with the history to its last digit; a run whose parameters would exceed :data:`PARAM_BUDGET`
bytes (many hidden units at a high frame rate) stores them as float32 (7 significant digits; the
explorer shows 3), and one whose float32 parameters would pass :data:`MAX_PARAM_BYTES` (several
wide layers) carries fewer snapshots. A network whose forward pass is heavy draws a smaller
picture (:func:`field_side`). The export is cached in ``build/explorer/<key>.json``, the key covering the
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

EXPORT_FORMAT = 2
"""Version of the data layout below; the page's script checks it (2: any depth, features, a test set)."""

FOLLOW_SEGMENT = "decision_boundary"
"""The segment whose clock the explorer follows while it plays (series ``"clock"`` of its record)."""

SNAPSHOTS = 400
"""Iterations asked of :func:`~scenes.common.clock.sample_iterations` (it returns fewer, unique ones)."""

FIELD_PX = 480
"""Side of the explorer's boundary picture, in pixels (square, like the video's panel)."""

FIELD_SIDES = (480, 360, 240, 160, 120)
"""The sides a boundary picture may take: the largest whose forward pass fits :data:`FIELD_WORK`."""

FIELD_WORK = 1.2e8
"""Multiply-adds of one full picture beyond which the explorer draws a smaller one (scaled up by CSS):
a network of four hidden layers of 100 units costs 30,000 a pixel."""

MAX_PARAM_BYTES = 6_000_000
"""Bytes of float32 parameters beyond which the page carries fewer snapshots (a deep, wide network)."""

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
        Increasing; the iterations whose parameters are included (thinned, first and last kept,
        when a deep, wide network's parameters would pass :data:`MAX_PARAM_BYTES`).

    Returns
    -------
    dict
        JSON-serialisable; arrays base64-encoded (:func:`b64`).
    """
    from scenes.common.curves import run_axis
    from scenes.common.field import data_extent
    from scenes.common.model_text import run_phrase

    h = history
    cfg = h.config
    sizes = h.sizes
    its = thin_snapshots(np.asarray(iterations, dtype=np.int64), parameter_count(sizes))
    params, precision = snapshot_parameters(h, its)
    P = plane_points(h)
    P_test = plane_points(h, test=True)
    top, step = run_axis(h)
    arrays = h.arrays
    run: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "T": h.iterations,
        "unit": "iteration" if cfg.batch_size is None else "epoch",
        "m": h.m,
        "n_h": h.hidden_units,
        "n_x": h.n_x,
        "layers": list(sizes),  # units of every layer, inputs first
        "activation": cfg.activation,
        "features": list(cfg.features),
        "run": run_phrase(cfg),
        "config": h.meta["config"],
        "iterations": b64(its, "<i4"),
        "snapshots": int(its.size),
        "params": b64(params, precision),
        "precision": "float64" if precision == "<f8" else "float32",
        "cost": b64(h.cost, "<f8"),
        "correct": b64(correct_counts(h.accuracy, h.m), "<u2"),
        "X": b64(h.X, "<f8"),
        "Y": b64(h.Y[0] > 0.5, "u1"),
        "P": None if P is h.X else b64(P, "<f8"),
        "test": None,
        "extent": list(data_extent(np.hstack([P, P_test]) if P_test.size else P, aspect=1.0)),
        # one scale per layer over the run, as the video's diagram
        "scales": [float(np.abs(arrays[f"W{l}"]).max()) or 1.0 for l in range(1, len(sizes))],
        "cost_axis": {"top": float(top), "step": float(step)},
        "field_px": field_side(sizes),
        "unit_map_px": UNIT_MAP_PX,
        **colour_tables(),
        "colors": palette(),
        "sizes": picture_sizes(),
        "diagram": diagram(h),
    }
    if P_test.size:
        m_test = int(P_test.shape[1])
        run["test"] = {
            "m": m_test,
            "X": b64(h.more["X_test"], "<f8"),
            "P": None if "points_test" not in h.more else b64(P_test, "<f8"),
            "Y": b64(h.more["Y_test"][0] > 0.5, "u1"),
            "cost": b64(h.more["test_cost"], "<f8"),
            "correct": b64(correct_counts(h.more["test_accuracy"], m_test), "<u2"),
        }
    return run


def plane_points(history: History, test: bool = False) -> np.ndarray:
    """The points the picture draws, in the plane ``(x1, x2)``, ``(2, m)``: ``X`` itself for the default features.

    ``test``: the test set's (``(2, 0)`` without one).
    """
    more = history.more
    if test:
        return more.get("points_test", more["X_test"]) if "X_test" in more else np.empty((2, 0))
    P: np.ndarray = more.get("points", history.X)
    return P


def correct_counts(accuracy: np.ndarray, m: int) -> np.ndarray:
    """The accuracy at every snapshot as a count of correct points (``count / m`` is it, bit for bit)."""
    correct = np.rint(accuracy * m).astype(np.int64)  # (T+1,)
    if not np.array_equal(correct / m, accuracy):
        raise ValueError("the history's accuracy is not a count of correct points over m")
    return correct


def parameter_count(sizes: Sequence[int]) -> int:
    """Parameters of a ``(n_x, n_1, ..., 1)`` network: every layer's weights and biases."""
    return sum(n * (n_prev + 1) for n_prev, n in zip(sizes[:-1], sizes[1:], strict=False))


def thin_snapshots(its: np.ndarray, count: int) -> np.ndarray:
    """``its``, thinned evenly (the first and last kept) when their parameters would pass :data:`MAX_PARAM_BYTES`.

    ``count`` is the parameters of one snapshot, counted at float32.
    """
    keep = max(MAX_PARAM_BYTES // (4 * count), 2)
    if its.size <= keep:
        return its
    return its[np.unique(np.rint(np.linspace(0, its.size - 1, keep)).astype(np.int64))]


def field_side(sizes: Sequence[int]) -> int:
    """The boundary picture's side: the largest of :data:`FIELD_SIDES` whose forward pass fits :data:`FIELD_WORK`."""
    work = sum(n_prev * n for n_prev, n in zip(sizes[:-1], sizes[1:], strict=False))  # multiply-adds a pixel
    for side in FIELD_SIDES:
        if side * side * work <= FIELD_WORK or side == FIELD_SIDES[-1]:
            return side
    return FIELD_SIDES[-1]


def snapshot_parameters(history: History, its: np.ndarray) -> tuple[np.ndarray, str]:
    """One row per snapshot: every layer's ``W{l}`` (row-major) then ``b{l}``, layer by layer; and its dtype.

    For the default network ``W1`` (n_h, 2), ``b1`` (n_h,), ``W2`` (n_h,), ``b2``.

    Returns
    -------
    params : ndarray, shape (K, P)
        ``P`` is :func:`parameter_count` of the network.
    precision : str
        ``"<f8"``, or ``"<f4"`` when float64 would pass :data:`PARAM_BUDGET` bytes.
    """
    h, arrays = history, history.arrays
    parts = []
    for l in range(1, h.layers + 1):
        parts.append(arrays[f"W{l}"][its].reshape(its.size, -1))
        parts.append(arrays[f"b{l}"][its, :, 0])
    params = np.concatenate(parts, axis=1)  # (K, P)
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
    """Points, rings and the contour as the training view draws them, relative to the picture's side.

    A test point's outer radius and hollow are in point radii: a ring in its class colour, told from
    a training point (a filled disc) by its shape, not by colour alone, as the video draws it.
    """
    from scenes.common.field import (
        LINE_ALPHA,
        LINE_WIDTH,
        POINT_RADIUS,
        RING_RADIUS,
        RING_WIDTH,
        TEST_HOLE,
        TEST_RADIUS,
    )
    from scenes.decision_boundary import PANEL_HEIGHT

    return {
        "point_radius": POINT_RADIUS / PANEL_HEIGHT,
        "line_width": LINE_WIDTH / PANEL_HEIGHT,
        "ring_radius": RING_RADIUS,
        "ring_width": RING_WIDTH,
        "line_alpha": LINE_ALPHA,
        "test_radius": TEST_RADIUS,
        "test_hole": TEST_HOLE,
    }


def diagram(history: History) -> dict[str, Any]:
    """The training view's network diagram: its size, the units it draws, where its nodes go, its edge widths.

    One column a layer, ``DIAGRAM.width / 2`` apart (the video's 2-n-1 diagram's spacing), each
    hidden layer laid out as :func:`~scenes.common.layout.diagram_layout` lays out the one hidden
    layer (for one hidden layer, exactly its layout).
    """
    from scenes.common.layout import diagram_layout
    from scenes.common.palette import value_width
    from scenes.decision_boundary import DIAGRAM

    sizes = history.sizes
    layouts = [diagram_layout(sizes[0], n, **asdict(DIAGRAM)) for n in sizes[1:-1]]
    first = layouts[0]
    radius = min(lay.node_radius for lay in layouts)
    if sizes[0] > 1:  # many features: their column's spacing bounds the radius too
        radius = min(radius, 0.38 * abs(first.input_ys[0] - first.input_ys[1]))
    step = DIAGRAM.width / 2
    columns = len(sizes)
    return {
        **asdict(DIAGRAM),
        "stroke_unit": STROKE_UNIT,
        "shown_units": first.shown_units,
        # Node positions and radius: the video's NetworkDiagram places its nodes by the same layout.
        "layout": {
            "node_radius": radius,
            "xs": [step * (c - (columns - 1) / 2) for c in range(columns)],
            "input_ys": first.input_ys,
            "shown": [lay.shown_units for lay in layouts],
            "ys": [lay.hidden_ys for lay in layouts],
            "ellipsis_ys": [lay.ellipsis_y for lay in layouts],
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
        "hidden_units_drawn": run["diagram"]["layout"]["shown"],
        "follows": {"segment": follow["segment"], "changes": len(clock)} if follow else None,
        "data_bytes": len(data_json(data).encode()),
    }
    return Explorer(data, entry)


def data_json(data: dict[str, Any]) -> str:
    """``data`` as compact JSON safe inside a ``<script>`` element (no ``</script>`` in it), as the page inlines it."""
    return str(script_json(data, compact=True))
