"""Fast drawing: rasters pasted pixel for pixel, and fades that animate one rectangle.

``python -c "from scenes.common.raster import RasterScene"``; the boundary segments render in a
:class:`RasterScene`, ``benchmarks/bench_decision_boundary.py`` measures what it saves.

- :class:`RasterCamera` / :class:`RasterScene` — a camera that pastes pixel-aligned images
  directly instead of resampling the whole frame through PIL (measured: the stock path costs more
  than the rest of a frame); any other image falls back to Manim's own path.
- :func:`raster_image` — an RGB array as such an image, one array pixel per output pixel.
- :func:`reveal` and :func:`fade_to_black` — fades that animate one curtain rectangle instead of
  every glyph and image under it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Animation, AnimationGroup, Camera, FadeIn, FadeOut, ImageMobject, Mobject, Rectangle, Scene, config
from manim.mobject.types.image_mobject import AbstractImageMobject


def pixels_per_unit(pixel_height: int | None = None) -> float:
    """Output pixels per scene unit (``config.pixel_height / config.frame_height`` by default)."""
    return (pixel_height or config.pixel_height) / config.frame_height


class RasterCamera(Camera):
    """Manim's camera, with a fast path for images drawn one raster pixel per output pixel.

    The stock path resamples every image through a perspective transform and composites it onto
    a full-frame RGBA image (about 15 ms a frame for one 372x372 raster at 480p). An unrotated
    image whose on-screen size matches its pixel array to within a pixel is instead copied (or
    alpha-blended) straight into the frame at the nearest whole pixel; anything else, e.g. an
    image being scaled by an animation, takes Manim's own path.
    """

    def display_image_mobject(self, image_mobject: AbstractImageMobject, pixel_array: np.ndarray) -> None:
        """Paste a pixel-aligned image directly; defer to :class:`~manim.Camera` otherwise."""
        src = image_mobject.get_pixel_array()  # (h, w, 4) uint8
        corners = self.points_to_subpixel_coords(image_mobject, image_mobject.points)  # UL, UR, DL, DR
        (x0, y0), (x1, y1u), (x0d, y1), _ = corners
        h, w = src.shape[:2]
        aligned = (
            abs(y0 - y1u) < 1e-3
            and abs(x0 - x0d) < 1e-3
            and abs((x1 - x0) - w) < 1.0
            and abs((y1 - y0) - h) < 1.0
            and src.dtype == np.uint8
        )
        if not aligned:
            super().display_image_mobject(image_mobject, pixel_array)
            return
        left, top = int(round(x0)), int(round(y0))
        H, W = pixel_array.shape[:2]
        c0, r0 = max(left, 0), max(top, 0)
        c1, r1 = min(left + w, W), min(top + h, H)
        if c0 >= c1 or r0 >= r1:
            return
        patch = src[r0 - top : r1 - top, c0 - left : c1 - left]
        dst = pixel_array[r0:r1, c0:c1]
        a = patch[..., 3]
        if a.min() == 255:
            dst[...] = patch
            return
        # "Over" compositing, as PIL's alpha_composite does.
        sa = a[..., None].astype(np.float32) / 255.0
        da = dst[..., 3:4].astype(np.float32) / 255.0
        out_a = sa + da * (1.0 - sa)
        with np.errstate(divide="ignore", invalid="ignore"):
            rgb = (patch[..., :3] * sa + dst[..., :3] * da * (1.0 - sa)) / out_a
        dst[..., :3] = np.where(out_a > 0, np.rint(rgb), 0).astype(np.uint8)
        dst[..., 3] = np.rint(out_a[..., 0] * 255).astype(np.uint8)


class RasterScene(Scene):
    """A :class:`~manim.Scene` that uses :class:`RasterCamera` unless told otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", RasterCamera)
        super().__init__(*args, **kwargs)


def reveal(scene: Scene, *mobjects: Mobject, buff: float = 0.06, **kwargs: Any) -> Animation:
    """Fade ``mobjects`` in by fading out a background-coloured curtain laid over each of them.

    On the plain background this looks exactly like ``FadeIn``, but Manim animates (copies,
    hashes and redraws every frame) one rectangle per mobject instead of every glyph and image
    under it, while the mobjects themselves stay in the static background. The mobjects are
    added to ``scene`` now; the curtains must not overlap anything already visible.

    Parameters
    ----------
    scene : Scene
    *mobjects : Mobject
    buff : float
        Margin of each curtain around its mobject.
    **kwargs
        Passed to the returned animation (``run_time`` …).

    Returns
    -------
    Animation
        Removes the curtains when done.
    """
    curtains = [
        Rectangle(
            width=m.width + 2 * buff,
            height=m.height + 2 * buff,
            stroke_width=0,
            fill_color=config.background_color,
            fill_opacity=1.0,
        ).move_to(m)
        for m in mobjects
    ]
    scene.add(*mobjects, *curtains)
    return AnimationGroup(*[FadeOut(c) for c in curtains], **kwargs)


def fade_to_black(scene: Scene, run_time: float) -> None:
    """Fade everything out by fading one background-coloured curtain in, then clear the scene.

    One rectangle to animate and copy, not every mobject on screen (copying those costs more than
    the fade itself).
    """
    curtain = Rectangle(
        width=config.frame_width + 0.2,
        height=config.frame_height + 0.2,
        stroke_width=0,
        fill_color=config.background_color,
        fill_opacity=1.0,
    )
    scene.play(FadeIn(curtain), run_time=run_time)
    scene.clear()


def raster_image(rgb: np.ndarray, pixel_height: int) -> ImageMobject:
    """An opaque image of ``rgb`` (shape ``(h, w, 3)``, uint8), one array pixel per output pixel at ``pixel_height``."""
    rgba = np.concatenate([rgb, np.full(rgb.shape[:2] + (1,), 255, dtype=np.uint8)], axis=2)
    return ImageMobject(rgba, scale_to_resolution=pixel_height)


__all__ = ["RasterCamera", "RasterScene", "fade_to_black", "pixels_per_unit", "raster_image", "reveal"]
