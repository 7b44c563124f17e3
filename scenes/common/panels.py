"""Framed pictures of a run: its decision boundary at any iteration, a signed field, a run's card.

``python -c "from scenes.common.panels import BoundaryPanel"``; used by the decision-boundary
segment and the comparison segments.

- :class:`BoundaryPanel` — a framed :class:`~manim.ImageMobject` of a
  :class:`~scenes.common.field.BoundaryField` whose raster has one pixel per output pixel (sharp at
  480p and 1080p alike); ``set_iteration(i)`` is cheap enough for an updater (a
  :class:`~scenes.common.clock.ClockView`).
- :class:`FieldPanel` — a signed field (e.g. one hidden unit's tanh) as a small heatmap in the
  palette's value colours.
- :class:`RunCard` and :func:`arrange_cards` — one run of a comparison (title, panel, accuracy and
  cost following the clock), and a row of them.

Create panels at their final size and do not scale them afterwards: a scaled raster is no longer
one pixel per output pixel, so it loses sharpness and falls back to Manim's slow image path.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Group, ManimColor, MathTex, Mobject, Rectangle, VGroup, config

from nncore import History
from scenes.common.clock import ClockView
from scenes.common.colors import value_rgb
from scenes.common.field import LINE_WIDTH, POINT_RADIUS, BoundaryField, Extent, clamp_iteration
from scenes.common.numbers import HistoryNumber
from scenes.common.palette import MUTED, TEXT
from scenes.common.raster import pixels_per_unit, raster_image


class BoundaryPanel(Group):
    """A framed decision-boundary picture of one history, at any iteration.

    Sized in scene units; its raster has one pixel per output pixel (``config.pixel_height``), so
    it is equally sharp at 480p and 1080p. Render it in a :class:`~scenes.common.raster.RasterScene` for speed.

    Parameters
    ----------
    history : History
    height : float
        Height in scene units; the width follows the extent's aspect (or ``width``).
    width : float, optional
    extent : Extent, optional
        Input-space rectangle; pass the same one to panels that should be comparable.
    iteration : int
        Shown at first.
    points, contour, misclassified : bool
        What to draw over the probability colours.
    point_radius, line_width : float
        In scene units (converted to pixels at the render's resolution).
    pixel_height : int, optional
        Output pixel height (default ``config.pixel_height``).
    border_color : ManimColor

    Attributes
    ----------
    field : BoundaryField
    image : ImageMobject
    border : Rectangle
    iteration : int or None
        The iteration shown (``None`` after :meth:`show_logits`).
    """

    def __init__(
        self,
        history: History,
        height: float = 6.0,
        *,
        width: float | None = None,
        extent: Extent | None = None,
        iteration: int = 0,
        points: bool = True,
        contour: bool = True,
        misclassified: bool = True,
        point_radius: float = POINT_RADIUS,
        line_width: float = LINE_WIDTH,
        pixel_height: int | None = None,
        border_color: ManimColor = MUTED,
    ) -> None:
        super().__init__()
        self.pixel_height = int(pixel_height or config.pixel_height)
        ppu = pixels_per_unit(self.pixel_height)
        if width is None:
            width = height * (extent.aspect if extent is not None else 1.0)
        h_px, w_px = max(round(height * ppu), 2), max(round(width * ppu), 2)
        self.field = BoundaryField(
            history,
            w_px,
            h_px,
            extent,
            point_radius_px=point_radius * ppu,
            line_width_px=max(line_width * ppu, 1.0),
        )
        self.history = history
        self.show_points, self.show_contour, self.show_misclassified = points, contour, misclassified
        self.iteration: int | None = None
        self.image = raster_image(self._raster(iteration), self.pixel_height)
        self.iteration = int(iteration)
        # Just outside the image, so that the image (redrawn on top while it changes) never covers it.
        self.border = Rectangle(
            width=self.image.width + 0.025, height=self.image.height + 0.025, color=border_color, stroke_width=2
        )
        self.add(self.image, self.border)

    def _raster(self, iteration: int, out: np.ndarray | None = None) -> np.ndarray:
        return self.field.raster(
            iteration,
            points=self.show_points,
            contour=self.show_contour,
            misclassified=self.show_misclassified,
            out=out,
        )

    def _pixels(self) -> np.ndarray:
        """The image's RGBA array, to draw into (opaque: a faded panel is redrawn opaque)."""
        pixels = self.image.pixel_array
        if not pixels.flags.c_contiguous:
            self.image.pixel_array = pixels = np.ascontiguousarray(pixels)
        return pixels

    def moving_parts(self) -> list[Mobject]:
        """What changes with the iteration: the image (the frame stays)."""
        return [self.image]

    def set_iteration(self, iteration: int) -> BoundaryPanel:
        """Show ``iteration`` (a no-op if it is shown already; beyond the run, its last one)."""
        i = clamp_iteration(self.history, iteration)
        if i != self.iteration:
            self._raster(i, out=self._pixels())
            self.iteration = i
        return self

    def show_logits(self, z: np.ndarray, *, rings: np.ndarray | None = None) -> BoundaryPanel:
        """Show an arbitrary logit field on this panel's grid (e.g. a partial sum of hidden units)."""
        self.field.compose(z, points=self.show_points, contour=self.show_contour, rings=rings, out=self._pixels())
        self.iteration = None
        return self

    def data_to_point(self, x: Sequence[float] | np.ndarray) -> np.ndarray:
        """The scene point of input ``x = (x1, x2)``."""
        e = self.field.extent
        u = (x[0] - e.xmin) / e.width
        v = (x[1] - e.ymin) / e.height
        c = self.image.get_corner(DOWN + LEFT)
        return c + np.array([u * self.image.width, v * self.image.height, 0.0])


class FieldPanel(Group):
    """A framed heatmap of a signed field on a boundary field's grid (e.g. one hidden unit's tanh).

    Parameters
    ----------
    values : ndarray, shape (h, w)
        One value per pixel (one raster pixel per output pixel for sharpness).
    scale : float
        Magnitude of full colour (1 for a tanh).
    pixel_height : int, optional
    border_color : ManimColor
    """

    def __init__(
        self,
        values: np.ndarray,
        scale: float = 1.0,
        *,
        pixel_height: int | None = None,
        border_color: ManimColor = MUTED,
    ) -> None:
        super().__init__()
        self.image = raster_image(value_rgb(values, scale), int(pixel_height or config.pixel_height))
        self.border = Rectangle(
            width=self.image.width + 0.02, height=self.image.height + 0.02, color=border_color, stroke_width=1.5
        )
        self.add(self.image, self.border)


ROW_NAMES: dict[str, str] = {"accuracy": "accuracy", "test_accuracy": "test accuracy", "cost": "cost"}
"""The label of each kind of number a :class:`RunCard` can show under its panel."""


class RunCard(Group):
    r"""One run of a comparison: a title, its boundary panel, and its numbers below (accuracy and cost by default).

    Parameters
    ----------
    title : str
        TeX (text mode inside ``\text{}`` is up to the caller), shown above the panel.
    history : History or None
        The run; ``None`` for a diverged run (then ``diverged_at`` is shown instead of a panel).
    size : float
        Panel height in scene units (its width follows ``extent``'s aspect).
    extent : Extent, optional
        Input-space rectangle of the panel (default: the run's data, square).
    iteration : int
        Shown at first.
    diverged_at : int, optional
    font_size : float
    point_radius : float
    title_color : ManimColor
    rows : sequence of str
        The numbers under the panel, in order: any of ``"accuracy"``, ``"test_accuracy"`` (left out
        for a run without a test set; with it, the first is named "train accuracy") and ``"cost"``.

    Attributes
    ----------
    panel : BoundaryPanel or None
    accuracy, test_accuracy, cost : HistoryNumber or None
        Follow the clock with the panel (``None``: not a row of this card).
    rows : dict of str to HistoryNumber
        The card's numbers by kind, top to bottom.
    """

    def __init__(
        self,
        title: str,
        history: History | None,
        size: float,
        *,
        extent: Extent | None = None,
        iteration: int = 0,
        diverged_at: int | None = None,
        font_size: float = 24,
        point_radius: float = 0.03,
        title_color: ManimColor = TEXT,
        rows: Sequence[str] = ("accuracy", "cost"),
    ) -> None:
        super().__init__()
        self.history = history
        self.rows: dict[str, HistoryNumber] = {}
        self.title = MathTex(title, font_size=font_size, color=title_color)
        self.panel: BoundaryPanel | None = None
        self.accuracy: HistoryNumber | None = None
        self.cost: HistoryNumber | None = None
        self.test_accuracy: HistoryNumber | None = None
        if history is None:
            box = Rectangle(width=size * (extent.aspect if extent else 1.0), height=size, color=MUTED, stroke_width=2)
            words = MathTex(
                r"\text{diverged at}",
                rf"\text{{iteration {diverged_at if diverged_at is not None else '?'}}}",
                font_size=font_size,
                color=TEXT,
            )
            words.arrange(DOWN, buff=0.15).move_to(box)
            self.body: Mobject = VGroup(box, words)
            self.title.next_to(self.body, UP, buff=0.12)
            self.numbers = VGroup()
            self.add(self.title, self.body)
            return
        self.panel = BoundaryPanel(history, size, extent=extent, iteration=iteration, point_radius=point_radius)
        self.body = self.panel
        self.title.next_to(self.panel, UP, buff=0.12)
        kinds = [k for k in rows if k != "test_accuracy" or "test_accuracy" in history.more]
        labels = dict(ROW_NAMES)
        if "test_accuracy" in kinds:
            labels["accuracy"] = "train accuracy"
        names = VGroup(*[MathTex(rf"\text{{{labels[k]}}}", font_size=font_size, color=MUTED) for k in kinds])
        names.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        names.next_to(self.panel, DOWN, buff=0.15).align_to(self.panel, LEFT)
        right = self.panel.get_right()[0]
        for name, kind in zip(names, kinds, strict=True):
            number = HistoryNumber(history, kind, iteration, font_size=font_size, align="right", color=TEXT)
            number.set_anchor([right, name.get_bottom()[1]])
            self.rows[kind] = number
        self.accuracy = self.rows.get("accuracy")
        self.cost = self.rows.get("cost")
        self.test_accuracy = self.rows.get("test_accuracy")
        self.numbers = VGroup(names, *self.rows.values())
        self.add(self.title, self.panel, self.numbers)

    def views(self) -> list[ClockView]:
        """What follows the clock: the panel and the two numbers (none for a diverged run)."""
        return [v for v in (self.panel, *self.rows.values()) if v is not None]


def arrange_cards(cards: Sequence[RunCard], width: float, y_top: float) -> Group:
    """Put cards side by side, panels level, spread over ``width`` (gaps at most 0.9), centred, the top at ``y_top``."""
    row = Group(*cards).arrange(RIGHT, buff=0.3, aligned_edge=UP)
    if len(cards) > 1:
        spare = width - row.width
        if spare > 0:
            row.arrange(RIGHT, buff=min(0.3 + spare / (len(cards) - 1), 0.9), aligned_edge=UP)
    # Titles differ in height (ascenders, descenders): line the panels up, not the titles.
    top = max(card.body.get_top()[1] for card in cards)
    for card in cards:
        card.shift((top - card.body.get_top()[1]) * UP)
    row.move_to((0.0, y_top - row.height / 2, 0.0))
    return row


__all__ = ["BoundaryPanel", "FieldPanel", "RunCard", "arrange_cards"]
