"""Every environment variable and default path the project's packages share, named once.

``python -c "import nncore.paths as p; print(p.DEFAULT_CONFIG)"``. ``nncore`` (training and
sweeps), ``lecture`` (the build) and ``scenes`` (what a render reads) all import these names, so
that the build and a scene rendered on its own agree on where things are. Paths are relative to
the repository root, the folder every command runs from.
"""

from __future__ import annotations

from pathlib import Path

# --- environment variables ------------------------------------------------------------------------

HISTORY_ENV = "NN_HISTORY"
"""Names a history file that every scene reads instead of the lecture's (tests, previews, the build)."""

CONFIG_ENV = "NN_CONFIG"
"""Names the training config a scene trains its history from (default :data:`DEFAULT_CONFIG`)."""

SWEEPS_ENV = "NN_SWEEPS"
"""Names the sweeps file :func:`nncore.sweep.load_sweep` reads (default :data:`DEFAULT_SWEEPS`)."""

SWEEP_DIR_ENV = "NN_SWEEP_DIR"
"""Names the folder :func:`nncore.sweep.load_sweep` reads and writes (default :data:`DEFAULT_SWEEP_DIR`)."""

SWEEP_BASE_ENV = "NN_SWEEP_BASE"
"""Names the config file the sweeps are based on instead of the sweeps file's own ``base`` (the build
sets it to its ``--config``, so a lecture's sweeps vary the lecture's own run)."""

SCENE_RECORD_ENV = "NN_SCENE_RECORD"
"""Names a JSON file a narrated scene writes its beats' times (and recorded series) to when it ends."""

BEAT_MARK = "narrated beat: "
"""With :data:`SCENE_RECORD_ENV` set, a narrated scene prints this and the beat's name as each beat
starts, so that a render that fails can be said to have failed in that beat (``lecture/render/segment.py``)."""

VOICE_ENV = "NN_VOICE"
"""The voice a narrated scene speaks with: an installed voice's name (``joe``) or :data:`VOICE_NONE`.

Unset means :data:`VOICE_NONE`, so a plain ``manim render scenes/x.py`` stays silent and as fast as
before; the build sets it for every render (``voice.voices`` lists the installed voices).
"""

VOICE_NONE = "none"
"""The value of ``$NN_VOICE`` for a silent render: captions timed by reading speed, no audio."""

SPEECH_CACHE_ENV = "NN_SPEECH_CACHE"
"""Names the folder of synthesised and normalised lines every render shares (default :data:`DEFAULT_SPEECH_CACHE`)."""

VOICE_DIR_ENV = "NN_VOICE_DIR"
"""Names the folder of the authors' recordings, ``<segment>/<line id>.wav`` (default :data:`DEFAULT_VOICE_DIR`).

A recording may be ``.wav`` or ``.flac``; ``voice.recordings`` says how they are used.
"""

VOICE_LENGTH_SCALE_ENV = "NN_VOICE_LENGTH_SCALE"
"""The synthetic voice's pace: Piper's phoneme length scale, < 1 faster (``voice.synthesis.LENGTH_SCALE``).

The build passes ``[voice] length_scale`` of ``media_config/render.toml``.
"""

VOICE_PAUSE_ENV = "NN_VOICE_PAUSE"
"""Seconds of silence after each spoken line before the next starts; default ``voice.pacing.SPEECH_PAUSE``.

The build passes ``[voice] pause`` of ``media_config/render.toml``.
"""

SEGMENT_ENV = "NN_SEGMENT"
"""The name of the segment being rendered (``media_config/render.toml``); its recordings: ``$NN_VOICE_DIR/<name>/``.

Unset (a scene rendered on its own): no recording is looked up, every line has the synthetic voice.
"""

# --- default paths ---------------------------------------------------------------------------------

DEFAULT_CONFIG = Path("media_config/lecture.toml")
"""The lecture's training config: every hyperparameter, with its default written down."""

DEFAULT_SWEEPS = Path("media_config/sweeps.toml")
"""The declared sweeps (variations of the lecture's config)."""

DEFAULT_RENDER_CONFIG = Path("media_config/render.toml")
"""The lecture's quality presets and its segments in order."""

DEFAULT_BUILD_DIR = Path("build")
"""Everything the tools write (``python -m lecture build --build-dir`` chooses another)."""

HISTORY_NAME = "history.npz"
"""The history of :data:`DEFAULT_CONFIG` inside a build folder."""

SWEEP_DIR_NAME = "sweeps"
"""The sweeps' histories and indexes inside a build folder."""

DEFAULT_HISTORY = DEFAULT_BUILD_DIR / HISTORY_NAME
"""The history of :data:`DEFAULT_CONFIG`, which a scene rendered on its own reads (``build/history.npz``)."""

DEFAULT_SWEEP_DIR = DEFAULT_BUILD_DIR / SWEEP_DIR_NAME
"""Where the sweeps' histories and indexes are written (``build/sweeps``)."""

SPEECH_CACHE_NAME = "speech"
"""The shared cache of spoken lines inside a build folder."""

DEFAULT_SPEECH_CACHE = DEFAULT_BUILD_DIR / SPEECH_CACHE_NAME
"""Where spoken lines are cached when ``$NN_SPEECH_CACHE`` is unset (``build/speech``)."""

DEFAULT_VOICE_DIR = Path("media_config/voice")
"""The authors' recordings, one folder per segment, one file per line (``media_config/voice``)."""
