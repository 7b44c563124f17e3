"""``python -m lecture.render.manim_child render FILE CLASS [manim options]``: ``manim render``, faster.

The build runs every segment's render through this module instead of ``python -m manim``. It
changes, and not the result: how manim 0.22.0 hands frames to libx264, and how its Cairo camera
builds the path of a VMobject (:func:`install_path_cache`: a mobject whose points did not change
since the last frame has its path replayed, not rebuilt; the same Cairo calls with the same
arguments, so the same pixels; ``tests/test_manim_child.py`` compares every frame's RGBA bytes
with and without it, ``benchmarks/bench_draw.py`` measures it).

At 1080p most of a render is encoding, and manim's ``VideoSegmentEncoder.write_frame`` spends
part of it on copies. For every frame, and again for every repetition of a still frame (a
``wait`` of two seconds at 30 fps is one frame written 60 times), it builds a PyAV frame with
``VideoFrame.from_ndarray``, which copies the 8 MB RGBA array row by row, and PyAV then converts
that copy to yuv420p. Here the frame wraps manim's array without a copy
(``VideoFrame.from_numpy_buffer``) and is converted once per ``write_frame`` call; libx264 gets
the same yuv420p pictures with the same timestamps, so the video's bytes are identical
(``tests/test_lecture_build.py`` renders a scene both ways and compares them). It saves about
12 % of a 1080p render's CPU time (decision_boundary: 103 s to 91 s).

The replacement is installed only on the manim version it was written against; on any other,
manim runs unchanged (and slower).

It also shares typeset TeX between renders. manim 0.22 keeps the SVG of every ``Tex``/``MathTex``
in its ``tex_dir`` (``<media_dir>/Tex/<hash of the .tex source>.svg``) and skips LaTeX and dvisvgm
when that file exists, but the build gives every render its own media folder, so every render
typeset all its formulas again, and that folder cannot simply be shared: manim writes the
``.tex`` and dvisvgm writes the ``.svg`` in place, so a parallel render could read half a file.
With ``$NN_TEX_CACHE`` set (the build sets it to ``build/tex``), :func:`install_tex_cache` wraps
``tex_to_svg_file``: a formula already in the cache is copied into the render's ``tex_dir``; any
other is compiled there by manim as before, then published to the cache by a copy and one
rename, so another render sees the whole file or none (two renders compiling the same formula at
once both succeed; the last rename wins, with the same bytes). The cache lives in
``build/tex/<digest>/`` (:func:`tex_cache_folder`: the digest covers the TeX tools' versions,
manim's version and the TeX template), each entry named by the SHA-256 of its ``.tex`` source.
A render reads the same SVG either way, so its frames are the same; the cache is not a render
input and is never part of a segment's input hash. Any trouble with the cache (an unwritable
folder, a full disk) only loses the sharing: the render typesets its own TeX and goes on. A
formula it does typeset is compiled with the template's preamble preloaded from a format kept
beside the cache (:mod:`lecture.render.tex_format`: the same SVG, half of LaTeX's CPU time).
A scene that knows the formulas it is about to make (a matrix's entries, a table's cells) has
the cache typeset those it lacks in one LaTeX and one dvisvgm run (:meth:`TexCache.typeset_many`,
:func:`scenes.common.tex.prefetch`, :mod:`lecture.render.tex_batch`): the same pictures, for a
few milliseconds a formula instead of 0.19 s.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from lecture import cpu_profile
from lecture.render.tex_batch import TEX_BATCH_ENV, split_source, typeset_batch
from lecture.render.tex_format import PreambleFormats, install_preamble_format

PATCHED_MANIM = "0.22.0"
"""The manim version whose ``VideoSegmentEncoder`` this module knows."""


FRAME_RATE_ENV = "NN_FRAME_RATE"
"""How the child encodes a still picture: ``variable`` (the build's default) or ``constant`` (manim's way).

``constant``, or unset: a still held for ``n`` frames is encoded ``n`` times, as manim does (30
identical 1080p pictures a second). ``variable``: it is encoded at its first and its last frame's
timestamps only; the MP4 shows the first until the second, so the video plays and lasts the same,
frame for frame, while the encoder does two pictures' work instead of ``n`` (see
:func:`_held_frames`). The build sets it from the preset's ``frame_rate``
(:attr:`lecture.settings.Preset.frame_rate`).
"""

VARIABLE = "variable"
CONSTANT = "constant"


def _held_frames(repeat: int, mode: str | None) -> range | tuple[int, int]:
    """Which of a still's ``repeat`` frames are encoded: every one, or (variable rate) the first and the last.

    The last is encoded too, not only the first, so that the still ends where it should: an MP4
    sample lasts until the next one, and the file's last sample one frame. A player, the stitcher,
    the deck's beat cuts and the GIF export then find a frame at every place a beat starts or ends.
    """
    return (0, repeat - 1) if mode == VARIABLE and repeat > 2 else range(repeat)


def _write_frame(self: Any, pixels: Any, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` without the per-frame copy and the per-repeat conversion.

    With ``$NN_FRAME_RATE=variable``, a still is encoded at two timestamps, not ``repeat``
    (:func:`_held_frames`).
    """
    import av

    self._validate_frame(pixels, repeat)  # C-contiguous uint8 (height, width, 4), repeat >= 1
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        with cpu_profile.measure("colour conversion"):
            picture = av.VideoFrame.from_numpy_buffer(pixels, format="rgba").reformat(format=self.spec.pixel_format)
        start = self._next_pts
        with cpu_profile.measure("encoding"):
            for k in _held_frames(repeat, os.environ.get(FRAME_RATE_ENV)):
                picture.pts = start + k
                picture.time_base = time_base
                for packet in self._stream.encode(picture):
                    self._container.mux(packet)
        self._next_pts = start + repeat
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def install() -> bool:
    """Replace ``VideoSegmentEncoder.write_frame`` if manim is the known version; return whether it did."""
    import manim
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    needed = ("_validate_frame", "_operation_error", "write_frame")
    if manim.__version__ != PATCHED_MANIM or not all(hasattr(VideoSegmentEncoder, n) for n in needed):
        return False
    VideoSegmentEncoder.write_frame = _write_frame  # type: ignore[method-assign]
    return True


def _convert_audio(input_path: Path, output_path: Any, codec_name: str) -> None:
    """Encode ``input_path`` as manim 0.22.0's ``convert_audio`` does, AAC with :data:`voice.audio.AAC_OPTIONS`.

    manim encodes a segment's sound (its mix of the spoken lines, as WAV) to AAC before muxing it
    with the video, with FFmpeg's default ``twoloop`` coder: the largest part of joining a
    segment (about 25 CPU-s of a narrated course build). The ``fast`` coder, which the lecture's
    own track uses, does it in a quarter of the time; the stitcher decodes every segment's sound
    and encodes the lecture's track once anyway, and the deck's clips copy it.
    """
    import av

    from voice.audio import AAC_OPTIONS

    with av.open(input_path) as source, av.open(output_path, "w") as target:
        stream = source.streams.audio[0]
        encoder: Any = target.add_stream(codec_name)  # an AudioStream: its codec names audio
        if codec_name == "aac":
            encoder.options = dict(AAC_OPTIONS)
        for frame in source.decode(stream):
            for packet in encoder.encode(frame):
                target.mux(packet)
        for packet in encoder.encode():
            target.mux(packet)


SEGMENT_AAC_ENV = "NN_SEGMENT_AAC"
"""``manim`` leaves a segment's sound to manim's own AAC encoding (:func:`install_fast_aac`): for benchmarks."""


def install_fast_aac() -> bool:
    """Make manim encode a segment's sound with :func:`_convert_audio` (its version only); return whether it did."""
    import manim
    from manim.scene import scene_file_writer

    if os.environ.get(SEGMENT_AAC_ENV) == "manim":
        return False
    if manim.__version__ != PATCHED_MANIM or not callable(getattr(scene_file_writer, "convert_audio", None)):
        return False
    scene_file_writer.convert_audio = _convert_audio
    return True


PATH_CACHE_ENV = "NN_PATH_CACHE"
"""``off`` turns the drawing's path cache off (:func:`install_path_cache`): for comparisons and benchmarks."""

_PATH_CACHE_OFF = "off"


class _PathRecorder:
    """Stands in for a ``cairo.Context`` in manim's ``set_cairo_context_path`` and writes down its calls.

    ``ops`` holds ``(call, arguments)`` pairs, ``call`` an index into :data:`_PATH_CALLS`; replayed on a
    context by :func:`_replay_path`, they give it the same path, argument for argument.
    """

    __slots__ = ("ops",)

    def __init__(self) -> None:
        self.ops: list[tuple[int, tuple[Any, ...]]] = []

    def new_path(self) -> None:
        self.ops.append((0, ()))

    def new_sub_path(self) -> None:
        self.ops.append((1, ()))

    def move_to(self, x: Any, y: Any) -> None:
        self.ops.append((2, (x, y)))

    def curve_to(self, *xy: Any) -> None:
        self.ops.append((3, xy))

    def close_path(self) -> None:
        self.ops.append((4, ()))


_PATH_CALLS = ("new_path", "new_sub_path", "move_to", "curve_to", "close_path")


def _replay_path(ctx: Any, ops: list[tuple[int, tuple[Any, ...]]]) -> None:
    """Make on ``ctx`` the calls a :class:`_PathRecorder` wrote down, with the same arguments."""
    calls = tuple(getattr(ctx, name) for name in _PATH_CALLS)
    for call, args in ops:
        calls[call](*args)


_SMALL_PATH = 64
"""Up to this many curves, :func:`_subpaths` splits a path in Python; above, manim's NumPy code does."""


def _subpaths(xy: list[float], n_pts: int, nppcc: int, atol: float) -> list[tuple[int, int]]:
    """``VMobject.get_subpath_split_indices_from_points(points, n_dims=2)`` of manim 0.22.0 for finite points.

    ``xy`` is ``[x0, y0, x1, y1, ...]`` of the ``n_pts`` points. A new subpath starts at a curve whose
    first anchor is not close to the last anchor of the curve before: ``abs(end - start) <= atol +
    rtol * abs(start)`` fails for x or y, with manim's ``rtol`` of ``1e-5``, the same double
    operations in the same order as its NumPy code. That code's handling of NaN and infinities is
    left out because these points are finite (``Camera.transform_points_pre_display`` replaces a
    path with any non-finite coordinate by a single point): an anchor difference that overflows to
    infinity is not close in either. Returns the ``(start, end)`` point ranges, end exclusive.
    """
    if n_pts < nppcc:
        return []
    rtol = 1.0e-5  # numpy.isclose's, as in manim
    starts = [0]
    for k in range(nppcc, n_pts, nppcc):
        ex, ey, sx, sy = xy[2 * k - 2], xy[2 * k - 1], xy[2 * k], xy[2 * k + 1]
        if not (abs(ex - sx) <= atol + rtol * abs(sx) and abs(ey - sy) <= atol + rtol * abs(sy)):
            starts.append(k)
    return list(zip(starts, [*starts[1:], n_pts], strict=True))


def _build_path(camera: Any, ctx: Any, vmobject: Any) -> None:
    """The path of manim 0.22.0's ``Camera.set_cairo_context_path``, from the points read as Python floats.

    The same calls in the same order as manim's (``ctx`` may be a :class:`_PathRecorder`), with the
    same values: manim reads each coordinate as a NumPy scalar, one index at a time; here the
    coordinates are turned into Python floats at once (``tolist``: the same doubles), which makes a
    path with many curves several times cheaper to build. A path of up to :data:`_SMALL_PATH`
    curves (a glyph, a bracket, a line) is split into subpaths by :func:`_subpaths`, in Python,
    which takes a fraction of the time of NumPy's dozen small array operations.
    """
    points = camera.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) == 0:
        return
    nppcc = vmobject.n_points_per_cubic_curve
    ctx.new_path()
    xy = points[:, :2].ravel().tolist()  # [x0, y0, x1, y1, ...]
    atol = vmobject.tolerance_for_point_equality
    # float64 points and a plain number: NumPy's arithmetic is then Python's (float32 would round)
    if len(points) <= _SMALL_PATH * nppcc and points.dtype.char == "d" and type(atol) in (float, int):
        split_indices = _subpaths(xy, len(points), nppcc, atol)
    else:
        split_indices = vmobject.get_subpath_split_indices_from_points(points, n_dims=2).tolist()  # (n_subpaths, 2)
    new_sub_path, move_to, curve_to = ctx.new_sub_path, ctx.move_to, ctx.curve_to
    for start, end in split_indices:
        if end - start < nppcc:
            continue
        new_sub_path()
        move_to(xy[2 * start], xy[2 * start + 1])
        for i in range(start, end - nppcc + 1, nppcc):  # anchor, handle, handle, anchor: from the first handle
            b = (i + 1) * 2
            curve_to(xy[b], xy[b + 1], xy[b + 2], xy[b + 3], xy[b + 4], xy[b + 5])
        if vmobject.consider_points_equals_2d(points[start], points[end - 1]):
            ctx.close_path()


def _path_key(vmobject: Any) -> tuple[Any, ...]:
    """Everything manim's ``set_cairo_context_path`` reads from ``vmobject`` (on the plain ``Camera``).

    The points' bytes, shape and dtype (bytes: two arrays that differ in a single bit differ here),
    the points per curve and the tolerance that decides where a subpath splits and whether it closes.
    """
    points = vmobject.points
    return (
        points.tobytes(),
        points.shape,
        points.dtype.str,
        vmobject.n_points_per_cubic_curve,
        vmobject.tolerance_for_point_equality,
    )


def install_path_cache() -> bool:
    """Let manim's Cairo camera reuse the path of a VMobject whose points did not change; return whether it did.

    Every frame, manim 0.22's ``Camera.set_cairo_context_path`` rebuilds the Cairo path of every
    VMobject it draws: it finds the subpaths (``get_subpath_split_indices_from_points``) and calls
    ``curve_to`` with NumPy scalars read one by one, even for the many mobjects that did not move
    (a scene with an updater redraws everything in front of it each frame). A path is built by
    :func:`_build_path`, manim's code reading the points as Python floats. Each VMobject
    keeps, weakly, the key of its last path (:func:`_path_key`: its points' bytes and the settings
    the path depends on) and the calls that built it: when the key is the same as last time, the
    calls are replayed on the context with the same arguments, so Cairo gets the same path and the
    pixels are the same. The path of a mobject whose points changed is built again, and its calls
    are written down only once its points have stayed the same for two frames, so a moving mobject
    costs no more than in manim (less: its path is built from Python floats). A camera or VMobject
    type that overrides what the path depends on (``ThreeDCamera``'s projection, a subclass's own
    subpath test) is drawn by manim.

    Installed only on manim 0.22.0 and unless ``$NN_PATH_CACHE`` is ``off``.
    """
    import weakref

    import manim
    from manim.camera.camera import Camera
    from manim.mobject.types.vectorized_mobject import VMobject

    if manim.__version__ != PATCHED_MANIM or os.environ.get(PATH_CACHE_ENV) == _PATH_CACHE_OFF:
        return False
    original: Callable[..., Any] = Camera.set_cairo_context_path
    original = getattr(original, "__wrapped__", original)  # installed twice: wrap manim's, not ours
    own = ("get_subpath_split_indices_from_points", "consider_points_equals_2d")
    plain: dict[tuple[Any, Any], bool] = {}  # (camera type, vmobject type) -> may the path be cached
    last: weakref.WeakKeyDictionary[Any, list[Any]] = weakref.WeakKeyDictionary()  # vmobject -> [key, ops]

    def may_cache(kinds: tuple[Any, Any]) -> bool:
        camera, vmobject = kinds
        plain[kinds] = camera.transform_points_pre_display is Camera.transform_points_pre_display and all(
            getattr(vmobject, name) is getattr(VMobject, name) for name in own
        )
        return plain[kinds]

    @functools.wraps(original)
    def set_cairo_context_path(self: Any, ctx: Any, vmobject: Any) -> Any:
        kinds = (type(self), type(vmobject))
        cacheable = plain.get(kinds)
        if not (may_cache(kinds) if cacheable is None else cacheable):
            return original(self, ctx, vmobject)
        key = _path_key(vmobject)
        try:
            seen = last.get(vmobject)
        except TypeError:  # a VMobject type that is not hashable
            return original(self, ctx, vmobject)
        if seen is None or seen[0] != key:
            last[vmobject] = [key, None]
            _build_path(self, ctx, vmobject)
            return self
        if seen[1] is None:  # the same points twice in a row: write its path down
            recorder = _PathRecorder()
            _build_path(self, recorder, vmobject)
            seen[1] = recorder.ops
        _replay_path(ctx, seen[1])
        return self

    Camera.set_cairo_context_path = set_cairo_context_path  # type: ignore[method-assign]
    return True


TEX_CACHE_ENV = "NN_TEX_CACHE"
"""The shared TeX cache's root folder (the build sets ``build/tex``).

Unset or ``off``: every render typesets its own TeX. ``NN_TEX_CACHE=off python -m lecture build``
builds as before the cache existed (the benchmark measures it so).
"""

TEX_CACHE_OFF = "off"

TEX_TOOLS_FILE = "tools.json"
"""In each cache folder: what its digest covers, for a reader wondering why a folder exists."""


@dataclass
class TexCacheStats:
    """What a render's TeX did: formulas copied from the shared cache, and compiled (then published)."""

    hits: int = 0
    compiled: int = 0
    batched: int = 0  # of those compiled, typeset together with others (:meth:`TexCache.typeset_many`)


def _tool_version(tool: str) -> str:
    """The first line of ``tool --version`` (``"missing"`` if it cannot be run)."""
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return "missing"
    return out.splitlines()[0].strip() if out.strip() else "unknown"


@functools.cache
def _tools(compilers: tuple[str, ...]) -> dict[str, str]:
    return {tool: _tool_version(tool) for tool in (*compilers, "dvisvgm")}


def tex_cache_key(tex_template: Any) -> dict[str, Any]:
    """What decides the SVG of a ``.tex`` source besides the source itself (the cache folder's digest covers it).

    Parameters
    ----------
    tex_template : manim.utils.tex.TexTemplate
        The template manim typesets with (its body is also part of every ``.tex`` source).

    Returns
    -------
    dict
        manim's version, the template's compiler(s), output format and body, and the first line of
        ``--version`` of each compiler and of dvisvgm.
    """
    import manim

    compiler = tex_template.tex_compiler
    compilers = (compiler,) if isinstance(compiler, str) else tuple(compiler)
    return {
        "manim": manim.__version__,
        "compilers": list(compilers),
        "output_format": tex_template.output_format,
        "template": tex_template.body,
        "tools": _tools(compilers),
    }


def tex_cache_folder(root: Path, tex_template: Any) -> Path:
    """The folder of the shared cache that holds SVGs typeset with ``tex_template`` by these tools.

    ``root / <16 hex digits of the SHA-256 of`` :func:`tex_cache_key` ``>``: a new TeX, dvisvgm,
    manim or template starts a new folder, and an old one is never read with new tools.
    """
    key = json.dumps(tex_cache_key(tex_template), sort_keys=True).encode()
    return root / hashlib.sha256(key).hexdigest()[:16]


def _replace_atomically(source: Path, target: Path, scratch: Path) -> None:
    """Copy ``source`` to ``target`` so that a reader of ``target`` sees the old file or the whole new one.

    The copy is written under a unique name in ``scratch`` (a folder on the same file system as
    ``target``, or ``target``'s own folder) and renamed over ``target``.
    """
    for folder in (scratch, target.parent):
        tmp = folder / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
            return
        except OSError as error:
            tmp.unlink(missing_ok=True)
            if folder == target.parent or error.errno != errno.EXDEV:  # another file system: try target's folder
                raise


class TexCache:
    """The shared TeX cache of one render process (see the module docstring).

    Parameters
    ----------
    root : Path
        ``build/tex``: one folder per :func:`tex_cache_folder` digest below it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stats = TexCacheStats()
        self.broken: str | None = None  # why the cache was given up for this render, if it was
        self.formats: PreambleFormats | None = None  # LaTeX's preamble preloaded (lecture.render.tex_format)
        self._folders: dict[tuple[Any, ...], Path] = {}

    def folder(self, tex_template: Any) -> Path:
        """The cache folder for ``tex_template`` (created, with its ``tools.json``, on first use)."""
        compiler = tex_template.tex_compiler
        key = (str(compiler), tex_template.output_format, tex_template.body)
        if key not in self._folders:
            folder = tex_cache_folder(self.root, tex_template)
            folder.mkdir(parents=True, exist_ok=True)
            tools = folder / TEX_TOOLS_FILE
            if not tools.is_file():
                scratch = folder / f".{TEX_TOOLS_FILE}.{os.getpid()}-{secrets.token_hex(4)}.part"
                scratch.write_text(json.dumps(tex_cache_key(tex_template), indent=2), encoding="utf-8")
                os.replace(scratch, tools)
            self._folders[key] = folder
        return self._folders[key]

    def entry(self, tex_file: Path, tex_template: Any) -> Path:
        """Where the SVG of ``tex_file`` (a ``.tex`` source manim wrote) is kept in the cache."""
        digest = hashlib.sha256(tex_file.read_bytes()).hexdigest()
        return self.folder(tex_template) / f"{digest}.svg"

    def tex_to_svg_file(
        self, original: Callable[..., Path], expression: str, environment: str | None = None, tex_template: Any = None
    ) -> Path:
        """Typeset like manim's ``tex_to_svg_file`` (``original``), reading from and publishing to the shared cache.

        Returns the SVG in the render's own ``tex_dir``, as manim does.
        """
        from manim import config, logger
        from manim.utils.tex_file_writing import generate_tex_file

        template = config["tex_template"] if tex_template is None else tex_template
        if self.broken is not None:
            return original(expression, environment, template)
        tex_file = generate_tex_file(expression, environment, template)
        local = tex_file.with_suffix(".svg")
        if local.exists():  # this render has typeset it already
            return local
        try:
            entry = self.entry(tex_file, template)
            if self._copy_hit(entry, local):
                return local
        except OSError as error:
            self._give_up(error, logger)
            return original(expression, environment, template)
        svg = original(expression, environment, template)  # compiled in the render's own folder
        self.stats.compiled += 1
        try:
            _replace_atomically(svg, entry, svg.parent)  # the render's folder: one rename into the cache
        except OSError as error:
            self._give_up(error, logger)
        return svg

    def _copy_hit(self, entry: Path, local: Path) -> bool:
        """Copy the cache's ``entry`` into the render's ``tex_dir`` as ``local``, if the cache holds it (a hit)."""
        if not (entry.is_file() and entry.stat().st_size > 0):
            return False
        _replace_atomically(entry, local, local.parent)
        self.stats.hits += 1
        return True

    def typeset_many(self, calls: list[tuple[str, str | None, Any]]) -> int:
        """Make sure every formula of ``calls`` is in this render's ``tex_dir``, those not cached typeset together.

        Parameters
        ----------
        calls : list of (expression, environment, tex_template)
            What manim would hand ``tex_to_svg_file`` for each formula, in order.

        Returns
        -------
        int
            How many formulas were typeset (:mod:`lecture.render.tex_batch`: one LaTeX and one
            dvisvgm run for all those with the same preamble), then published to the cache. The
            others were there already, or are left to be typeset one by one when manim asks for
            them (a template not compiled by ``latex`` to DVI, a batch that failed).
        """
        from manim import config, logger
        from manim.utils.tex_file_writing import generate_tex_file

        if self.broken is not None or os.environ.get(TEX_BATCH_ENV) == "off":
            return 0
        waiting: dict[str, list[tuple[Path, Path, str]]] = {}  # preamble -> (tex file, cache entry, body)
        try:
            for expression, environment, tex_template in calls:
                template = config["tex_template"] if tex_template is None else tex_template
                tex_file = generate_tex_file(expression, environment, template)
                local = tex_file.with_suffix(".svg")
                if local.exists():
                    continue
                entry = self.entry(tex_file, template)
                if self._copy_hit(entry, local):
                    continue
                parts = split_source(tex_file.read_text(encoding="utf-8"))
                if template.tex_compiler != "latex" or template.output_format != ".dvi" or parts is None:
                    continue
                if all(tex != tex_file for tex, _, _ in waiting.get(parts[0], [])):
                    waiting.setdefault(parts[0], []).append((tex_file, entry, parts[1]))
        except (OSError, UnicodeDecodeError) as error:
            if isinstance(error, OSError):
                self._give_up(error, logger)
            return 0
        typeset = 0
        for head, formulas in waiting.items():
            if len(formulas) < 2:  # one formula: manim typesets it when it is asked for
                continue
            fmt = self.formats.format_for(formulas[0][0]) if self.formats is not None else None
            pages = typeset_batch(head, [body for _, _, body in formulas], formulas[0][0].parent, fmt)
            if pages is None:
                continue
            try:
                for (tex_file, entry, _), page in zip(formulas, pages, strict=True):
                    local = tex_file.with_suffix(".svg")
                    os.replace(page, local)  # the same folder (tex_dir): one rename
                    _replace_atomically(local, entry, local.parent)
                    typeset += 1
            except OSError as error:
                self._give_up(error, logger)
            finally:
                shutil.rmtree(pages[0].parent, ignore_errors=True)
        self.stats.compiled += typeset
        self.stats.batched += typeset
        return typeset

    def _give_up(self, error: OSError, logger: Any) -> None:
        self.broken = f"{error.__class__.__name__}: {error}"
        logger.warning(f"shared TeX cache {self.root} not used by this render ({self.broken}); typesetting here")


_TEX_CACHE: TexCache | None = None


def install_tex_cache(root: Path | str | None = None) -> TexCache | None:
    """Make manim's ``Tex``/``MathTex`` use the shared TeX cache at ``root`` (default ``$NN_TEX_CACHE``).

    Returns
    -------
    TexCache or None
        The cache, or ``None`` when no folder is given (or ``off``) or this manim has no
        ``tex_to_svg_file`` to wrap.
    """
    global _TEX_CACHE
    root = root if root is not None else os.environ.get(TEX_CACHE_ENV)
    if not root or root == TEX_CACHE_OFF:
        return None
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing

    original = getattr(tex_file_writing, "tex_to_svg_file", None)
    if original is None or not hasattr(tex_file_writing, "generate_tex_file"):
        return None
    original = getattr(original, "__wrapped__", original)  # installed twice: wrap manim's, not ours
    cache = TexCache(Path(root).resolve())

    @functools.wraps(original)
    def tex_to_svg_file(expression: str, environment: str | None = None, tex_template: Any = None) -> Path:
        return cache.tex_to_svg_file(original, expression, environment, tex_template)

    tex_to_svg_file.typeset_many = cache.typeset_many  # type: ignore[attr-defined]  # scenes.common.tex.prefetch
    tex_file_writing.tex_to_svg_file = tex_to_svg_file
    tex_mobject.tex_to_svg_file = tex_to_svg_file  # imported by name there
    cache.formats = install_preamble_format(cache.root, _tools(("latex",)))
    _TEX_CACHE = cache
    return cache


def _report_tex_cache() -> None:
    """One line in the render's log: how much TeX came from the shared cache."""
    if _TEX_CACHE is not None and (_TEX_CACHE.stats.hits or _TEX_CACHE.stats.compiled):
        s = _TEX_CACHE.stats
        note = f"; not used: {_TEX_CACHE.broken}" if _TEX_CACHE.broken else ""
        formats = _TEX_CACHE.formats
        how = [f"{s.batched} together"] if s.batched else []
        how += [f"{formats.used} with the preamble preloaded"] if formats is not None and formats.used else []
        preloaded = f" ({', '.join(how)})" if how else ""
        done = f"{s.hits} from the cache, {s.compiled} typeset{preloaded}"
        print(f"TeX cache {_TEX_CACHE.root}: {done}{note}", flush=True)


def _measured(owner: Any, name: str, part: str, *, children: bool = False) -> None:
    """Replace ``owner.name`` by a wrapper that adds its CPU time to ``part`` (:mod:`lecture.cpu_profile`)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with cpu_profile.measure(part, children=children):
            return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def install_profile() -> bool:
    """With ``$NN_CPU_PROFILE`` set, measure this render's CPU time by part and write it at exit.

    The parts: drawing (Cairo), colour conversion and encoding (:func:`_write_frame`, the encoder's
    flush), TeX (with its LaTeX and dvisvgm processes), speech (Piper), loading the history,
    joining the partial movies and their sound, and start-up and imports (everything before the
    scene starts). Call it after :func:`install_tex_cache`, so that TeX from the cache is measured too.
    """
    if not cpu_profile.enabled():
        return False
    import atexit

    from manim.mobject.text import tex_mobject
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene import Scene
    from manim.scene.scene_file_writer import SceneFileWriter
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from scenes.common import history
    from voice.synthesis import Synthesiser

    _measured(CairoRenderer, "update_frame", "drawing")
    _measured(CairoRenderer, "get_frame", "drawing")
    _measured(VideoSegmentEncoder, "finish", "encoding")
    _measured(tex_mobject, "tex_to_svg_file", "TeX", children=True)
    _measured(Synthesiser, "synthesise", "speech")
    _measured(Synthesiser, "_load", "speech")
    _measured(history, "_load", "loading the history")
    _measured(SceneFileWriter, "combine_to_movie", "joining partial movies and sound")
    _measured(SceneFileWriter, "add_audio_segment", "joining partial movies and sound")
    render = Scene.render

    def render_measured(self: Any, *args: Any, **kwargs: Any) -> Any:
        cpu_profile.add("start-up and imports", cpu_profile.process_cpu())
        return render(self, *args, **kwargs)

    Scene.render = render_measured  # type: ignore[method-assign]
    atexit.register(lambda: cpu_profile.write("render", argv=sys.argv[1:]))
    return True


def main(argv: list[str] | None = None) -> None:
    """Run manim's command line (``argv`` without the program name) with :func:`install` applied.

    With ``$NN_TEX_CACHE`` set, the shared TeX cache too (:func:`install_tex_cache`).
    """
    import atexit

    install()
    install_fast_aac()
    install_path_cache()
    if install_tex_cache() is not None:
        atexit.register(_report_tex_cache)
    install_profile()
    from manim.__main__ import main as manim_main

    manim_main(args=sys.argv[1:] if argv is None else argv, prog_name="manim")


if __name__ == "__main__":
    main()
