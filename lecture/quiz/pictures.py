"""The questions' pictures: small PNGs of a run (no Manim, no matplotlib), and their words.

A "which picture" question (:func:`lecture.quiz.questions.choice` with ``lettered=True``) shows a
picture a choice: a run's cost curve (:func:`cost_curve_png`, drawn with Pillow on the lecture's
log iteration axis, ``log10(1 + i)``, and its dark background) or its decision boundary
(:func:`boundary_png`: the lecture's own raster, :class:`scenes.common.field.BoundaryField`, with
its class colours, 0.5 line, dots, test rings and rings round the wrong points). Each picture has a
text alternative that lets a learner who cannot see it answer too (:func:`curve_words`,
:func:`boundary_words`: the curve's or the boundary's shape and numbers, as the captions write
them, never the setting the question asks about). The same inputs always give the same bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from nncore import History
from scenes.common.axis import axis_top, nice_ceiling
from scenes.common.colors import MUTED_HEX, POSITIVE_HEX, TEXT_HEX
from scenes.common.field import BoundaryField, Extent, data_extent, plane_points
from scenes.common.format import caption_number, caption_percent, count

CURVE_SIZE = (320, 200)
"""Width and height of a cost curve's picture, in pixels."""

BOUNDARY_SIZE = 200
"""Side of a decision boundary's (square) picture, in pixels."""

POINT_RADIUS = 2.5
"""A training point's radius in a boundary picture, in pixels."""

BACKGROUND = "#121214"
"""The curves' background: the lecture's dark frame."""

SUPERSAMPLE = 2
"""Curves are drawn this many times larger, then scaled down (smooth lines)."""

SETTLE_SHARE = 0.1
""":func:`curve_words` describes the cost over the last tenth of the run."""

RISE = 1e-9
"""A cost rises when it grows by more than this share of itself (:func:`curve_words`)."""

UNSURE = 0.01
""":func:`boundary_words` calls a picture unsure everywhere when no pixel's probability is this far from 0.5."""


def cost_axis_top(costs: Sequence[np.ndarray], headroom: float = 1.4) -> float:
    """The top of a shared cost axis, as the lecture's comparison chapters size theirs (:func:`axis_top`)."""
    return axis_top([float(c[0]) for c in costs if len(c)], headroom)


def shared_extent(histories: Sequence[History]) -> Extent:
    """One square window of the input plane for every run's boundary: around all their training and test points."""
    P = np.hstack([np.hstack([plane_points(h), plane_points(h, test=True)]) for h in histories])  # (2, n)
    return data_extent(P, aspect=1.0)


# --- the cost curve ---------------------------------------------------------------------------------


def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font at ``px`` pixels (the same on every machine: no system font is read)."""
    return ImageFont.load_default(size=px)


def _hex(color: str) -> tuple[int, int, int]:
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _png(image: Image.Image, size: tuple[int, int]) -> bytes:
    """``image`` scaled down to ``size``, as PNG bytes (no metadata: the same picture, the same bytes)."""
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def log_ticks(T: int) -> list[int]:
    """The iterations a log axis from 0 to ``T`` labels: 0, then the powers of ten up to ``T``."""
    ticks = [0]
    p = 1
    while p <= T:
        ticks.append(p)
        p *= 10
    return ticks


def tick_text(value: float) -> str:
    """An axis label: ``0``, ``0.5``, ``10``, ``10k`` (a thousand and above in k)."""
    if value >= 1000 and value % 1000 == 0:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def on_axis(cost: np.ndarray, y_max: float) -> np.ndarray:
    """The costs as drawn: above ``y_max`` (infinite included) at the top, as the lecture's curves clip them."""
    c = np.asarray(cost, dtype=float)
    return np.where(np.isnan(c), np.nan, np.clip(np.nan_to_num(c, posinf=y_max), 0.0, y_max))


def cost_curve_png(
    cost: np.ndarray, y_max: float, unit: str = "iteration", size: tuple[int, int] = CURVE_SIZE
) -> bytes:
    """One run's cost against the iteration on a log axis (``log10(1 + i)``), from 0 to ``y_max``.

    Parameters
    ----------
    cost : ndarray, shape (T + 1,)
        The cost at every snapshot; a value above ``y_max`` (or infinite) is drawn at the top.
    y_max : float
        The top of the cost axis: the same for every picture of a question, so their heights compare.
    unit : str
        What the axis counts ("iteration", "epoch").
    size : (int, int)
        Width and height in pixels.

    Returns
    -------
    bytes
        A PNG.
    """
    s = SUPERSAMPLE
    w, h = size[0] * s, size[1] * s
    image = Image.new("RGB", (w, h), BACKGROUND)
    draw = ImageDraw.Draw(image)
    font = _font(11 * s)
    left, right, top, bottom = 38 * s, w - 14 * s, 22 * s, h - 34 * s
    c = np.asarray(cost, dtype=float)  # (T + 1,)
    T = len(c) - 1
    x_top = math.log10(1 + T) if T > 0 else 1.0

    def px(i: np.ndarray | float) -> np.ndarray:
        return left + (right - left) * np.log10(1 + np.asarray(i, dtype=float)) / x_top

    def py(v: np.ndarray | float) -> np.ndarray:
        return bottom - (bottom - top) * np.asarray(v, dtype=float) / y_max

    muted, text = _hex(MUTED_HEX), _hex(TEXT_HEX)
    for k in range(3):  # the cost axis: 0, half, top
        v = y_max * k / 2
        y = float(py(v))
        draw.line([(left, y), (right, y)], fill=(48, 48, 52), width=s)
        draw.text((left - 5 * s, y), tick_text(v), fill=muted, font=font, anchor="rm")
    for i in log_ticks(T):
        x = float(px(i))
        draw.line([(x, bottom), (x, bottom + 4 * s)], fill=muted, width=s)
        draw.text((x, bottom + 6 * s), tick_text(i), fill=muted, font=font, anchor="mt")
    draw.line([(left, top), (left, bottom), (right, bottom)], fill=muted, width=s)
    draw.text(((left + right) / 2, h - 3 * s), f"{unit} (log scale)", fill=muted, font=font, anchor="md")
    draw.text((6 * s, 4 * s), "cost", fill=text, font=font, anchor="lt")  # above the axis, clear of a clipped curve
    # every iteration the picture can tell apart (about one per pixel column), the jumps kept: each
    # column draws the lowest and the highest cost of its iterations
    drawn = on_axis(c, y_max)  # (T + 1,)
    cols = np.floor(px(np.arange(T + 1)) / s).astype(int)  # (T + 1,)
    points: list[tuple[float, float]] = []
    for col in np.unique(cols):
        seg = drawn[cols == col]
        seg = seg[~np.isnan(seg)]
        if seg.size == 0:
            continue
        x = float(col * s + s / 2)
        first, lo, hi, last = seg[0], seg.min(), seg.max(), seg[-1]
        points += [(x, float(py(first))), (x, float(py(lo))), (x, float(py(hi))), (x, float(py(last)))]
    if len(points) >= 2:
        draw.line(points, fill=_hex(POSITIVE_HEX), width=2 * s, joint="curve")
    return _png(image, size)


# --- the decision boundary -------------------------------------------------------------------------


def boundary_field(history: History, extent: Extent, side: int = BOUNDARY_SIZE) -> BoundaryField:
    """The lecture's boundary raster of ``history`` over ``extent``, ``side`` pixels square."""
    return BoundaryField(history, side, side, extent, point_radius_px=POINT_RADIUS)


def boundary_png(field: BoundaryField, iteration: int) -> bytes:
    """The decision boundary at snapshot ``iteration`` as the lecture draws it, as PNG bytes.

    Red class 0, blue class 1, dark near 0.5 with the 0.5 line light; training points as dots,
    test points as hollow rings, the wrong training points ringed.
    """
    out = io.BytesIO()
    Image.fromarray(field.raster(iteration), "RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- the words: what a picture shows, for a learner who cannot see it -------------------------------


def curve_words(cost: np.ndarray, y_max: float, unit: str = "iteration") -> str:
    """What :func:`cost_curve_png` shows, in words and numbers: where the cost starts, climbs, jumps and ends.

    Written as a caption writes numbers (:func:`~scenes.common.format.caption_number`), so a learner who
    heard the lecture can match them; it never names the run's setting. A rise too small to draw (a
    last-bit wobble of a flat cost) is not counted as one.
    """
    c = np.asarray(cost, dtype=float)  # (T + 1,)
    T = len(c) - 1
    finite = c[np.isfinite(c)]
    start, end = float(c[0]), float(c[-1])
    parts = [f"cost against the {unit} on a log scale from 0 to {T}, the cost axis from 0 to {y_max:g}"]
    parts.append(f"starts {'infinite' if math.isinf(start) else f'at {caption_number(start)}'}")
    with np.errstate(invalid="ignore"):
        rise = c[1:] - c[:-1] > RISE * np.abs(c[:-1])  # (T,); inf - inf is no rise
    rises = int(np.count_nonzero(rise))
    parts.append(
        f"never rises from one {unit} to the next"
        if rises == 0
        else f"rises after {100 * rises / T:.0f}% of the {unit}s"
    )
    peak = float(finite.max()) if finite.size else math.nan
    if math.isfinite(start) and caption_number(peak) != caption_number(start) and peak > start:
        parts.append(f"climbs to {caption_number(peak)} at {unit} {int(np.flatnonzero(c == peak)[0])}")
    above = int(np.count_nonzero(~np.isnan(c) & (c > y_max)))
    if above:
        parts.append(f"above the top of the axis (drawn at the top) at {count(above, unit)}")
    first = T - max(int(round(SETTLE_SHARE * T)), 1)
    tail = c[max(first, 0) :]
    tail = tail[np.isfinite(tail)]
    if T > 0 and tail.size:
        lo, hi = caption_number(float(tail.min())), caption_number(float(tail.max()))
        span = f"from {unit} {first} to {T}"
        parts.append(f"{span} it stays at {lo}" if lo == hi else f"{span} it stays between {lo} and {hi}")
    parts.append(f"ends {'infinite' if math.isinf(end) else f'at {caption_number(end)}'}")
    return "A cost curve: " + "; ".join(parts) + "."


def regions(inside: np.ndarray) -> int:
    """The connected regions (4-neighbours) of the pixels where ``inside`` is true."""
    return int(ndimage.label(inside)[1])


def border(blue: np.ndarray) -> np.ndarray:
    """The pixels on the border between the classes: a right or lower neighbour is of the other class."""
    edge = np.zeros_like(blue, dtype=bool)
    edge[:, :-1] |= blue[:, :-1] != blue[:, 1:]
    edge[:-1, :] |= blue[:-1, :] != blue[1:, :]
    return edge


def straight(blue: np.ndarray) -> bool:
    """Whether the border between the classes' pixels is one straight line (within a pixel).

    The border's pixels are fitted by a line (their principal axis); straight when their spread
    across it is under a pixel.
    """
    rows, cols = np.nonzero(border(blue))
    if rows.size < 3:
        return False
    xy = np.column_stack([cols, rows]).astype(float)  # (n, 2)
    xy -= xy.mean(axis=0)
    spread = np.linalg.svd(xy, compute_uv=False)[-1] / math.sqrt(len(xy))
    return bool(spread < 1.0)


def boundary_words(field: BoundaryField, iteration: int) -> str:
    """What :func:`boundary_png` shows, in words: each class's regions, a straight border, the wrong points.

    It never names the run's setting; the accuracies are the ones the lecture says.
    """
    h = field.history
    p = field.probabilities(iteration)  # (side, side)
    blue = p > 0.5
    test = plane_points(h, test=True).shape[1]
    wrong = int(field.misclassified(iteration).sum())
    parts = [f"{h.m} training points as dots" + (f" and {test} test points as rings" if test else "")]
    if float(np.abs(p - 0.5).max()) < UNSURE:
        parts.append("the whole picture is the dark grey of probability 0.5: the network is unsure everywhere")
    elif not blue.any() or blue.all():
        parts.append(f"the whole picture is {'blue' if blue.all() else 'red'}: every point gets one class")
    else:
        n_blue, n_red = regions(blue), regions(~blue)
        shape = ", split by one straight line" if n_blue == 1 and n_red == 1 and straight(blue) else ""
        parts.append(f"{count(n_blue, 'blue region')} (class 1) and {count(n_red, 'red region')} (class 0){shape}")
    right = (
        f"{wrong} of the training points ringed as on the wrong side: it classifies "
        f"{caption_percent(float(h.accuracy[iteration]))} of them correctly"
    )
    if test:
        right += f" and {caption_percent(float(h.more['test_accuracy'][iteration]))} of the test points"
    parts.append(right)
    return "A decision boundary: " + "; ".join(parts) + "."


__all__ = [
    "BOUNDARY_SIZE",
    "CURVE_SIZE",
    "boundary_field",
    "boundary_png",
    "boundary_words",
    "cost_axis_top",
    "cost_curve_png",
    "curve_words",
    "nice_ceiling",
    "shared_extent",
]
