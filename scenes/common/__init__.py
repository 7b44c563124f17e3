"""Pieces every scene shares, one concern a module; import each from its module.

``from scenes.common.narration import Narrated`` and ``from scenes.common.history import
load_history`` are what every scene starts from. Importing this package imports nothing: a module
without Manim (``colors``, ``field``, ``layout``, ``format``) can be used by the lecture's page
without Manim. The voice, which says the captions, is its own package, :mod:`voice`.

Modules that import no Manim (NumPy only; the lecture's page and tests use them too):

- :mod:`~scenes.common.colors` — the palette's values and the NumPy maps from numbers to pixels.
- :mod:`~scenes.common.format` — numbers and lists as captions and TeX write them (one formatter).
- :mod:`~scenes.common.field` — the network's output over the input plane as pixels, and the
  boundary picture's sizes (:data:`~scenes.common.field.POINT_RADIUS` and the rest).
- :mod:`~scenes.common.layout` — where a network diagram's nodes go, which hidden units it draws.
- :mod:`~scenes.common.history` — :func:`~scenes.common.history.load_history`: the history a scene reads.

Modules for scenes:

- :mod:`~scenes.common.narration` — :class:`~scenes.common.narration.Narrated`: beats, their
  captions and their timing.
- :mod:`~scenes.common.palette` — the palette as Manim colours, symbol colours, value→colour.
- :mod:`~scenes.common.tex` — :func:`~scenes.common.tex.formula`: TeX with the lecture's symbols coloured.
- :mod:`~scenes.common.matrix` — :class:`~scenes.common.matrix.ValueMatrix`: a matrix of real values with its shape.
- :mod:`~scenes.common.network` — :class:`~scenes.common.network.NetworkDiagram`: the network, its weights as edges.
- :mod:`~scenes.common.clock` — :class:`~scenes.common.clock.IterationClock`, the schedule of
  iterations a run is shown at, and the view protocol its followers implement.
- :mod:`~scenes.common.raster` — fast drawing: pixel-aligned rasters, one-rectangle fades.
- :mod:`~scenes.common.panels` — framed pictures of a run: boundary, signed field, a run's card.
- :mod:`~scenes.common.numbers` — numbers composed from glyphs, cheap to change every frame.
- :mod:`~scenes.common.curves` — cost curves that grow with the clock, for one run or several.
- :mod:`~scenes.common.comparison` — a sweep's runs for the comparison segments.
- :mod:`~scenes.common.dots` — data points, one mobject each or a few shapes for thousands.
- :mod:`~scenes.common.frame` — :func:`~scenes.common.frame.keep_in_frame`: a label pulled back inside the frame.
- :mod:`~scenes.common.layout_check` — the layout check: every beat's picture inside the frame,
  texts apart, captions good narration.
- :mod:`~scenes.common.svg_copies` — copies of formulas share their parsed SVG (faster
  animations, the same frames); the first beat installs it.
"""
