"""The run as data for the page's explorer: a compact export of the history, cached by its digest.

``python -m lecture build`` calls :func:`prepare_explorer` before it writes ``index.html``; the
page inlines :attr:`Explorer.data` (a ``file://`` page may not fetch a neighbouring file) and
``lecture/explorer.js`` draws it. What the export holds:

- the parameters at a few hundred iterations, log spaced and denser where the cost falls (the
  video's own :func:`~scenes.common.clock.sample_iterations`), plus every iteration the
  decision-boundary segment's clock shows, so that the explorer following the video shows exactly
  the video's iteration;
- the data points, and the cost and accuracy at every iteration (the accuracy as the count of
  correctly classified points: ``count / m`` is the history's value bit for bit);
- the lecture's colours as the video computes them (the boundary's colour table, the signed-value
  map, the palette), the field's extent, the sizes of points, rings and lines relative to the
  picture, and the diagram's layout, so that no colour or size is written twice.

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
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lecture.inputs import sha256_file
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

# The video's diagram in scenes/decision_boundary.py: NetworkDiagram(h, 0, width=2.5, height=2.0,
# node_radius=0.2, max_hidden_shown=7), in scene units; a Manim stroke width w is 0.01 * w units.
DIAGRAM = {"width": 2.5, "height": 2.0, "node_radius": 0.2, "max_hidden_shown": 7, "stroke_unit": 0.01}

# BoundaryField draws a ring of radius 1.9 and width 0.55 point radii round a misclassified point,
# and blends the 0.5 contour at 0.9 of its coverage (scenes/common/field.py).
RING_RADIUS, RING_WIDTH, LINE_ALPHA = 1.9, 0.55, 0.9

# What the cached export depends on besides the history and the clock.
_SOURCES = ("lecture/explorer.py", "scenes/decision_boundary.py", "scenes/common")


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


def snapshot_iterations(history: History, extra: list[int] | np.ndarray = ()) -> np.ndarray:
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
    import inspect

    from scenes.common import colors
    from scenes.common.curves import run_axis
    from scenes.common.field import _LUT_SIZE, _LUT_Z, BoundaryField, _probability_lut, data_extent
    from scenes.common.layout import diagram_layout
    from scenes.common.palette import value_width
    from scenes.common.panels import BoundaryPanel
    from scenes.decision_boundary import PANEL_HEIGHT

    h = history
    n_h, T, m = h.hidden_units, h.iterations, h.m
    its = np.asarray(iterations, dtype=np.int64)
    # One row per snapshot: W1 (n_h, 2) row-major, b1 (n_h,), W2 (n_h,), b2.
    params = np.concatenate(
        [h.W1[its].reshape(its.size, -1), h.b1[its, :, 0], h.W2[its, 0, :], h.b2[its, 0, :]], axis=1
    )  # (K, 4 n_h + 1)
    precision = "<f8" if params.nbytes <= PARAM_BUDGET else "<f4"

    correct = np.rint(h.accuracy * m).astype(np.int64)  # (T+1,)
    if not np.array_equal(correct / m, h.accuracy):
        raise ValueError("the history's accuracy is not a count of correct points over m")

    panel = inspect.signature(BoundaryPanel.__init__).parameters
    point_radius = float(panel["point_radius"].default) / PANEL_HEIGHT  # of the picture's side
    line_width = float(panel["line_width"].default) / PANEL_HEIGHT
    value_lut = colors.value_rgb(np.linspace(-1.0, 1.0, VALUE_LUT_SIZE)[None, :], 1.0)[0]  # (N, 3)
    rgba = np.concatenate([value_lut, np.full((VALUE_LUT_SIZE, 1), 255, np.uint8)], axis=1)
    top, step = run_axis(h)
    layout = diagram_layout(
        h.n_x,
        n_h,
        max_hidden_shown=int(DIAGRAM["max_hidden_shown"]),
        width=DIAGRAM["width"],
        height=DIAGRAM["height"],
        node_radius=DIAGRAM["node_radius"],
    )

    def hex_of(rgb: np.ndarray) -> str:
        return "#" + "".join(f"{round(float(c) * 255):02X}" for c in rgb)

    return {
        "format": EXPORT_FORMAT,
        "T": T,
        "m": m,
        "n_h": n_h,
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
        "probability_lut": base64.b64encode(_probability_lut().astype("<u4").tobytes()).decode(),
        "lut_z": float(_LUT_Z),
        "lut_size": int(_LUT_SIZE),
        "value_lut": base64.b64encode(rgba.tobytes()).decode(),
        "colors": {
            "class0": colors.CLASS_0_HEX,
            "class1": colors.CLASS_1_HEX,
            "positive": colors.POSITIVE_HEX,
            "negative": colors.NEGATIVE_HEX,
            "neutral": colors.NEUTRAL_HEX,
            "text": colors.TEXT_HEX,
            "muted": colors.MUTED_HEX,
            "highlight": colors.HIGHLIGHT_HEX,
            "line": hex_of(BoundaryField.LINE_RGB),
            "ring": hex_of(BoundaryField.RING_RGB),
            "outline": hex_of(BoundaryField.OUTLINE_RGB),
        },
        "sizes": {
            "point_radius": point_radius,
            "line_width": line_width,
            "ring_radius": RING_RADIUS,
            "ring_width": RING_WIDTH,
            "line_alpha": LINE_ALPHA,
        },
        "diagram": {
            **DIAGRAM,
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
        },
    }


def sources_digest(root: Path) -> str:
    """Digest of the code the export depends on (:data:`_SOURCES`, relative to ``root``)."""
    h = hashlib.sha256()
    for name in _SOURCES:
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
        Its content digest (:func:`lecture.inputs.history_digest`).
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
    root = root or Path(__file__).resolve().parents[1]
    follow = follow_clock(manifest)
    clock = follow["iterations"] if follow else []
    key = export_key(history_digest, clock, sources_digest(root))
    cached = cache_dir / f"{key}.json"
    reused = False
    run: dict[str, Any] | None = None
    if cached.is_file():
        try:
            run = json.loads(cached.read_text(encoding="utf-8"))
            reused = isinstance(run, dict) and run.get("format") == EXPORT_FORMAT
            os.utime(cached)  # recently used: kept by _prune
        except (OSError, ValueError):
            run = None
    if not reused or run is None:
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
    """``data`` as compact JSON safe inside a ``<script>`` element (no ``</script>`` can occur)."""
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


ASSETS = Path(__file__).resolve().parent
"""``explorer.js`` and ``explorer.css`` live beside this module; the page inlines them."""


def explorer_html(data: dict[str, Any]) -> str:
    """The explorer's section of the page: markup, style, data and script, all inline.

    The section is ``hidden`` until its script runs, and a ``<noscript>`` says what needs
    JavaScript: without it the page still plays the video with its tracks and chapters.
    """
    c = data["colors"]
    style_vars = "; ".join(
        f"--ex-{name}: {c[name]}" for name in ("text", "muted", "highlight", "line", "ring", "class0", "class1")
    )
    n, unit = data["field_px"], data["unit_map_px"]
    css = (ASSETS / "explorer.css").read_text(encoding="utf-8")
    js = (ASSETS / "explorer.js").read_text(encoding="utf-8")
    follow = data.get("follow")
    follow_note = (
        f" While the chapter \u201c{html.escape(follow['title'])}\u201d plays, it shows the video's iteration;"
        " moving the slider pauses that link, <em>Follow the video</em> restores it."
        if follow
        else ""
    )
    return f"""<style>{css}</style>
  <section id="explorer" class="explorer" hidden aria-labelledby="explorer-title" style="{style_vars}">
    <h2 id="explorer-title">Explore the run</h2>
    <p class="ex-lede">Every number of the run the lecture explains, at any iteration: the network's output
      over the plane (computed here from that iteration's parameters), its cost and accuracy, and its
      weights.{follow_note}</p>
    <div class="ex-controls">
      <button type="button" id="ex-play" aria-pressed="false">\u25b6 Play</button>
      <button type="button" id="ex-prev" aria-label="Previous iteration" title="Previous iteration (,)">\u2039</button>
      <input type="range" id="ex-slider" min="0" max="0" value="0" aria-label="Iteration">
      <button type="button" id="ex-next" aria-label="Next iteration" title="Next iteration (.)">\u203a</button>
      <button type="button" id="ex-follow" aria-pressed="true" hidden>Follow the video</button>
    </div>
    <p id="ex-status" class="ex-status" aria-live="polite"></p>
    <div class="ex-body">
      <figure class="ex-field">
        <div class="ex-stack">
          <canvas id="ex-field" width="{n}" height="{n}" role="img"
                  aria-label="The network's output over the input plane at the iteration shown"></canvas>
          <canvas id="ex-overlay" aria-hidden="true"></canvas>
        </div>
        <figcaption class="ex-legend">
          <span class="ex-bar"><span>0</span><canvas id="ex-legend-bar" width="200" height="10"></canvas>
            <span>1</span></span>
          <span>output \u0177 = P(blue)</span>
          <span><i class="ex-key-line"></i>\u0177 = 0.5</span>
          <span><i class="ex-key-ring"></i>misclassified</span>
          <span><i class="ex-key-dot ex-c0"></i>class 0 <i class="ex-key-dot ex-c1"></i>class 1</span>
        </figcaption>
      </figure>
      <div class="ex-side">
        <dl class="ex-readout">
          <div><dt>iteration</dt><dd id="ex-iter">0</dd></div>
          <div><dt>cost</dt><dd id="ex-cost"></dd></div>
          <div><dt>accuracy</dt><dd id="ex-acc"></dd></div>
          <div><dt>misclassified</dt><dd id="ex-wrong"></dd></div>
        </dl>
        <canvas id="ex-curve" role="img"
                aria-label="The cost at every iteration, with the iteration shown marked"></canvas>
        <svg id="ex-net" role="group" aria-label="The network; its edges coloured and sized by the weights"></svg>
        <div id="ex-info" class="ex-info" aria-live="polite">
          <canvas id="ex-unitmap" width="{unit}" height="{unit}" role="img"></canvas>
          <p id="ex-info-text">Hover over or focus (Tab) an edge or a unit for its value; a hidden unit shows its
            own tanh field (blue +1, red \u22121).</p>
        </div>
      </div>
    </div>
    <p class="ex-keys">Keys: the slider takes \u2190 \u2192, Page Up/Down, Home/End; <kbd>k</kbd> plays or pauses,
      <kbd>,</kbd> and <kbd>.</kbd> step.</p>
  </section>
  <noscript><p class="ex-noscript">The run explorer needs JavaScript; the video, its captions and its chapters
    play without it.</p></noscript>
  <script type="application/json" id="explorer-data">{data_json(data)}</script>
  <script>{js}</script>"""
