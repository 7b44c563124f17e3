"""Narrated's timing without Manim: a stand-in scene keeps the time, records waits, sounds and subcaptions.

Without a voice the waits are the reading-speed ones they always were; with one (a stub speaker,
no Piper), a line lasts its audio plus a pause, plays its audio at its start, and never starts
before the previous audio has ended.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from scenes.common.narration import Narrated
from voice.audio import AAC_FRAME, AAC_PRIMING, read_wav
from voice.pacing import MIN_BEAT_SECONDS, SPEECH_PAUSE, ReadingTiming, VoiceTiming, reading_time
from voice.speaker import Speaker, text_hash
from voice.spoken import MAX_CAPTION_CHARS, caption_parts, speak

FPS = 15


class Track:
    """What Narrated uses of pydub's ``AudioSegment`` (manim's audio track): 16-bit mono samples."""

    sample_width = frame_width = 2  # bytes a sample and a frame
    channels = 1

    def __init__(self, samples: np.ndarray, frame_rate: int) -> None:
        self.samples = samples.astype(np.int16)
        self.frame_rate = frame_rate

    def frame_count(self) -> float:
        return float(len(self.samples))

    def _spawn(self, data: bytes) -> Track:
        return Track(np.frombuffer(data, dtype=np.int16), self.frame_rate)

    def __add__(self, other: Track) -> Track:
        return Track(np.concatenate([self.samples, other.samples]), self.frame_rate)

    def get_sample_slice(self, start: int, end: int) -> Track:
        return Track(self.samples[start:end], self.frame_rate)


class Writer:
    """What Narrated uses of manim's file writer: sounds added, and the audio track to end with the video."""

    def __init__(self) -> None:
        self.sounds: list[tuple[str, float]] = []
        self.includes_sound = False
        self.output_spec = SimpleNamespace(is_video=True, segment_extension=".mp4")
        self.sections: list[Any] = []

    def add_sound(self, path: str, time: float) -> None:
        audio, rate = read_wav(Path(path))
        if not self.includes_sound:
            self.includes_sound = True
            self.audio_segment = Track(np.zeros(0), rate)
        at = int(round(time * rate))
        track = self.audio_segment.samples.astype(float)
        track = np.concatenate([track, np.zeros(max(at + len(audio) - len(track), 0))])
        track[at : at + len(audio)] += audio * 32768
        self.audio_segment = Track(track, rate)
        self.sounds.append((path, time))


class Stage:
    """A stand-in for manim's Scene: time advances by whole frames, as a render's does."""

    def __init__(self) -> None:
        self.time = 0.0
        self.waits: list[float] = []
        self.sections: list[str] = []
        self.subcaptions: list[tuple[str, float, float]] = []
        self.renderer = SimpleNamespace(file_writer=Writer(), _original_skipping_status=False)
        self.camera = SimpleNamespace(frame_rate=FPS)

    def wait(self, duration: float) -> None:
        self.waits.append(duration)
        self.time += int(duration * FPS) / FPS

    def play(self, seconds: float) -> None:
        self.time += -(-seconds * FPS // 1) / FPS

    def next_section(self, name: str) -> None:
        self.sections.append(name)

    def add_subcaption(self, text: str, duration: float, offset: float) -> None:
        self.subcaptions.append((text, self.time + offset, self.time + offset + duration))

    def tear_down(self) -> None:
        pass


class Silent(Narrated, Stage):
    pass


def stub(text: str) -> tuple[np.ndarray, int]:
    """50 ms of a 200 Hz tone per character of the spoken line."""
    t = np.arange(int(0.05 * len(text) * 16000)) / 16000
    return 0.3 * np.sin(2 * np.pi * 200 * t), 16000


@pytest.fixture
def speaker(tmp_path: Path) -> Speaker:
    return Speaker("joe", tmp_path / "cache", tmp_path / "voice", None, synthesiser=stub)


def voiced(speaker: Speaker) -> Any:
    class Voiced(Narrated, Stage):
        timing = VoiceTiming(speaker)

    return Voiced()


LONG = "A long caption that takes far more than four seconds to read at fifteen characters a second."


def play_lesson(scene: Any) -> None:
    with scene.beat("one", "Short."):
        scene.play(0.5)
    with scene.beat("two"):
        with scene.line("First of two."):
            scene.play(0.3)
        with scene.line("Second, held.", hold=0.5):
            pass
    with scene.beat("three", LONG, min_seconds=2.0):
        scene.play(1.0)
    scene.tear_down()


def test_without_a_voice_the_waits_are_the_reading_times_they_always_were(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NN_VOICE", raising=False)
    scene = Silent()
    play_lesson(scene)
    assert scene.voiced is False and isinstance(scene.timing, ReadingTiming)
    beats = {b.name: b for b in scene.beats}
    # the times the code before the voice gave: a beat waits until start + max(4 s, reading time)
    assert beats["one"].seconds == MIN_BEAT_SECONDS
    assert beats["three"].seconds == reading_time(LONG)
    r1 = len("First of two.") / 15
    r2 = len("Second, held.") / 15 + 0.5
    # each wait: what remains of the time after the animations (0.5 s and 0.3 s played as 8 and 5 frames)
    assert scene.waits == pytest.approx([MIN_BEAT_SECONDS - 8 / FPS, r1 - 5 / FPS, r2, reading_time(LONG) - 1.0])
    assert scene.renderer.file_writer.sounds == []
    lines = [ln for b in scene.beats for ln in b.lines]
    assert [ln.id for ln in lines] == ["one", "two", "two-2", "three"]
    for ln in lines:
        assert ln.spoken == speak(ln.text) and ln.hash == text_hash(ln.spoken)
        assert ln.audio == {"source": "none", "voice": "none", "file": None, "seconds": 0.0, "stale": None}
    assert scene.speech_seconds(LONG) == 0.0
    assert scene.fit_to_speech({"three": (LONG, 10.0)}) == 1.0


def test_with_a_voice_a_line_lasts_its_audio_and_a_pause_and_plays_it_at_its_start(speaker: Speaker) -> None:
    scene = voiced(speaker)
    play_lesson(scene)
    lines = [ln for b in scene.beats for ln in b.lines]
    sounds = scene.renderer.file_writer.sounds
    assert [t for _, t in sounds] == [ln.start for ln in lines]
    for ln, (path, _) in zip(lines, sounds, strict=True):
        assert ln.audio["source"] == "synthetic" and ln.audio["file"] == path
        assert ln.needs == pytest.approx(ln.audio["seconds"] + SPEECH_PAUSE)
        assert ln.end - ln.start >= ln.needs - 1 / FPS
    # the beat of a short line keeps its 4 s; the long one lasts its speech, not its reading time
    beats = {b.name: b for b in scene.beats}
    assert beats["one"].seconds == MIN_BEAT_SECONDS
    assert beats["three"].seconds == pytest.approx(beats["three"].speech + SPEECH_PAUSE)
    assert beats["three"].speech == pytest.approx(0.05 * len(speak(LONG)), abs=0.01)
    # the audio ends with the video (to within half an AAC frame once encoded)
    audio = scene.renderer.file_writer.audio_segment
    encoded = -(-(audio.frame_count() + AAC_PRIMING) // AAC_FRAME) * AAC_FRAME / audio.frame_rate
    assert abs(encoded - scene.time) <= AAC_FRAME / 2 / audio.frame_rate + 1e-9


def test_a_line_inside_a_captioned_beat_waits_for_the_beats_audio(speaker: Speaker) -> None:
    scene = voiced(speaker)
    with scene.beat("both", "The beat's own caption, said first."):
        with scene.line("Then this."):
            pass
    scene.tear_down()
    first, second = scene.beats[0].lines
    assert second.start >= first.start + first.audio["seconds"]
    assert [ln.id for ln in scene.beats[0].lines] == ["both", "both-2"]


def test_free_run_times_are_fitted_to_the_speech_with_one_factor(speaker: Speaker) -> None:
    scene = voiced(speaker)
    early, late = "Early: the cost falls fast.", "Late: the remaining iterations pass, the picture hardly changes."
    s_early, s_late = scene.speech_seconds(early, "early"), scene.speech_seconds(late, "late")
    assert s_early == pytest.approx(0.05 * len(speak(early)), abs=0.01)
    factor = scene.fit_to_speech({"early": (early, 12.0), "late": (late, 24.0)})
    assert factor == pytest.approx(min((s_early + 1.9) / 12.0, (s_late + 1.9) / 24.0))
    # no run outlasts its speech and pause by more than the slack; one of them by exactly that
    assert 12.0 * factor <= s_early + SPEECH_PAUSE + 1.5 + 1e-9
    assert 24.0 * factor <= s_late + SPEECH_PAUSE + 1.5 + 1e-9


def test_a_render_that_writes_no_video_adds_no_sound(speaker: Speaker) -> None:
    scene = voiced(speaker)
    scene.renderer._original_skipping_status = True  # manim render -s
    with scene.beat("one", "Short."):
        pass
    scene.tear_down()
    assert scene.renderer.file_writer.sounds == []
    assert scene.beats[0].lines[0].audio["source"] == "synthetic"  # timed by its speech all the same


def test_a_caption_longer_than_a_line_is_said_in_turn_at_sentence_ends() -> None:
    # One sentence per run of a sweep can outgrow a subtitle: it is cut after sentences, never inside one.
    sentence = "At 50 the steps are far too large: the cost jumps from 0.693 to 20.1 and keeps jumping."
    caption = " ".join([sentence] * 5)
    parts = caption_parts(caption)
    assert len(parts) > 1 and " ".join(parts) == caption
    assert all(len(p) <= MAX_CAPTION_CHARS and p.endswith(".") for p in parts)
    assert caption_parts(sentence) == [sentence]
    # A sentence longer than a line is cut after its clause (a colon or a semicolon).
    long_one = "All of them: " + ", ".join(["a run that ends at 0.693"] * 9) + "."
    assert [len(p) <= MAX_CAPTION_CHARS for p in caption_parts(long_one)][0]
    assert caption_parts(long_one)[0] == "All of them:"
