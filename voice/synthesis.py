"""The synthetic voice: Piper saying a line, at the lecture's pace, loaded once per process.

``python -c "from voice.voices import installed_voices; from voice.synthesis import Synthesiser;
print(Synthesiser(installed_voices()['joe']).synthesise('Hello.')[1])"`` says one line and prints
its sample rate.

The model is loaded when the first line not in the speech cache is synthesised, on one CPU thread
(the build renders segments in parallel, one per core). What a voice's lines sound like is named
by its key (:func:`voice_key`): ``<name>-<12 hex digits>`` of the SHA-256 of the model, its config,
the length scale, the respellings (:data:`voice.spoken.PRONUNCIATIONS`) and the audio format
(:data:`voice.audio.AUDIO_FORMAT`), so that another model, pace or normalisation starts a new
folder of the speech cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

import numpy as np

from voice.audio import AUDIO_FORMAT
from voice.spoken import PRONUNCIATIONS, pronounce
from voice.voices import VoicePackage

SENTENCE_PAUSE = 0.20
"""Silence between the sentences of a synthesised line (Piper says each sentence on its own)."""

LENGTH_SCALE = 0.87
"""Piper's phoneme length scale (``$NN_VOICE_LENGTH_SCALE``): the voice's pace, < 1 faster than its own.

``en_US-joe-medium`` at its own pace (1.0) says the lecture's lines at about 141 words a minute;
0.87 at about 151, the pace of a lecturer who has rehearsed the text (150-160 words a minute).
"""

LENGTH_SCALE_RANGE = (0.5, 2.0)
"""The length scales allowed: twice as fast to twice as slow as the voice's own pace."""


class Synthesiser:
    """One Piper voice, loaded on first use (once per process), on one CPU thread.

    Parameters
    ----------
    package : VoicePackage
        The voice.
    length_scale : float
        Piper's phoneme length scale (:data:`LENGTH_SCALE`).
    """

    def __init__(self, package: VoicePackage, length_scale: float = LENGTH_SCALE) -> None:
        self.package = package
        self.length_scale = length_scale
        self._voice: Any = None
        self.lines = 0  # lines synthesised by this process
        self.seconds = 0.0  # their audio's length

    def _load(self) -> Any:
        if self._voice is None:
            import onnxruntime  # piper's own ONNX runtime, run on one thread, not all cores
            from piper.config import PiperConfig
            from piper.voice import PiperVoice

            model, config = self.package.paths()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
            with open(config, encoding="utf-8") as fh:
                self._voice = PiperVoice(config=PiperConfig.from_dict(json.load(fh)), session=session)
        return self._voice

    def synthesise(self, text: str) -> tuple[np.ndarray, int]:
        """Say ``text`` (respelled by :func:`~voice.spoken.pronounce`): mono floats and their rate.

        Sentences are :data:`SENTENCE_PAUSE` apart.
        """
        from piper.config import SynthesisConfig

        voice = self._load()
        parts: list[np.ndarray] = []
        rate = int(voice.config.sample_rate)
        config = SynthesisConfig(length_scale=self.length_scale)
        for chunk in voice.synthesize(pronounce(text), syn_config=config):
            rate = int(chunk.sample_rate)
            if parts:
                parts.append(np.zeros(int(SENTENCE_PAUSE * rate)))
            parts.append(np.asarray(chunk.audio_float_array, dtype=np.float64))
        audio = np.concatenate(parts) if parts else np.zeros(0)
        self.lines += 1
        self.seconds += len(audio) / rate
        return audio, rate


@functools.cache
def _model_digest(package: VoicePackage) -> bytes:
    """SHA-256 of a voice's model and config (read once per process: the model is about 60 MB)."""
    h = hashlib.sha256()
    for path in package.paths():
        with open(path, "rb") as fh:
            h.update(hashlib.file_digest(fh, "sha256").digest())
    return h.digest()


def voice_key(package: VoicePackage, length_scale: float = LENGTH_SCALE) -> str:
    """``<name>-<12 hex digits>``: the folder of a voice's lines in the speech cache.

    It covers the model, its config, the length scale, :data:`~voice.spoken.PRONUNCIATIONS` and
    :data:`~voice.audio.AUDIO_FORMAT`.
    """
    h = hashlib.sha256(_model_digest(package))
    h.update(f"length_scale={length_scale!r}".encode())
    h.update(repr(PRONUNCIATIONS).encode())  # another respelling is another line's audio
    h.update(AUDIO_FORMAT.encode())
    return f"{package.name}-{h.hexdigest()[:12]}"
