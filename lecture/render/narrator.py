"""The build's side of the voice: which voice, what each render is told, what joins a segment's hash.

``python -m lecture build [--voice NAME|none]`` narrates the lecture with the voice of the render
settings' ``[voice]`` table (``joe`` unless it says otherwise; :class:`lecture.settings.VoiceSettings`).
The scenes do the speaking (:mod:`voice`, :mod:`scenes.common.narration`); the build

* resolves the voice before anything is written (:func:`resolve_voice`: an unknown one is one
  line naming the installed voices, exit code 2);
* tells every render about it through its environment (:meth:`Voice.environment`: the voice,
  its pace and pause, the speech cache ``<build dir>/speech`` that every render and build shares,
  the recordings folder and the segment's name, all as absolute paths);
* adds the speech to every segment's input hash (:meth:`Voice.components`): the voice's key
  (its model, pace and the lines' normalisation, :func:`voice.synthesis.voice_key`) with the
  pause, and the segment's recordings with their sidecars, by content. Changing the voice, the
  pace or a recording re-renders what it touches; a line whose words did not change is not
  synthesised again (the speech cache is keyed by voice and words);
* checks the recordings of the segments it is about to render before any render starts
  (:func:`check_recordings`: a recording that is not readable audio, is empty or silent, two
  recordings of one line, a recordings folder that is not a folder);
* reports, from the scene records once the renders are done, the recordings no line uses
  (:func:`unused_recordings`, warnings) and the stale ones (:func:`stale_recordings`, whose
  sidecar says other words than the line now says: the synthetic voice said the line instead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lecture.errors import LectureError
from lecture.render.inputs import digest_json, sha256_file
from lecture.settings import VoiceSettings
from nncore.paths import (
    SEGMENT_ENV,
    SPEECH_CACHE_ENV,
    SPEECH_CACHE_NAME,
    VOICE_DIR_ENV,
    VOICE_ENV,
    VOICE_LENGTH_SCALE_ENV,
    VOICE_NONE,
    VOICE_PAUSE_ENV,
)
from voice.cache import recorded_audio_path
from voice.errors import VoiceError
from voice.recordings import RECORDING_SUFFIXES, SIDECAR_SUFFIX, check_recording
from voice.synthesis import voice_key
from voice.voices import installed_voices

VOICE_ENVIRONMENT = (VOICE_ENV, SPEECH_CACHE_ENV, VOICE_DIR_ENV, VOICE_LENGTH_SCALE_ENV, VOICE_PAUSE_ENV, SEGMENT_ENV)
"""Every variable :meth:`Voice.environment` sets or removes in a render's environment."""


@dataclass(frozen=True)
class Voice:
    """The voice a build narrates with, checked and resolved.

    Attributes
    ----------
    settings : VoiceSettings
        The ``[voice]`` table with ``--voice`` applied.
    key : str
        :func:`voice.synthesis.voice_key` (``"none"`` for a silent lecture).
    recordings : Path
        The authors' recordings folder, absolute.
    speech_cache : Path
        The speech cache every render and build shares (``<build dir>/speech``), absolute.
    """

    settings: VoiceSettings
    key: str
    recordings: Path
    speech_cache: Path

    @property
    def name(self) -> str:
        """The voice's name, or ``"none"``."""
        return self.settings.name

    @property
    def silent(self) -> bool:
        """Whether the lecture is silent (nothing is said, recordings are not used)."""
        return self.settings.silent

    def environment(self, segment: str) -> dict[str, str | None]:
        """What a render of ``segment`` is told: variables to set (a string) or remove (``None``)."""
        if self.silent:
            return {**dict.fromkeys(VOICE_ENVIRONMENT), VOICE_ENV: VOICE_NONE}
        return {
            VOICE_ENV: self.name,
            VOICE_LENGTH_SCALE_ENV: repr(self.settings.length_scale),
            VOICE_PAUSE_ENV: repr(self.settings.pause),
            SPEECH_CACHE_ENV: str(self.speech_cache),
            VOICE_DIR_ENV: str(self.recordings),
            SEGMENT_ENV: segment,
        }

    def folder(self, segment: str) -> Path:
        """The recordings folder of ``segment``."""
        return self.recordings / segment

    def components(self, segment: str) -> dict[str, str]:
        """The speech's part of ``segment``'s input hash: ``voice`` and, with a voice, ``recordings``.

        ``voice`` is the voice's key and the pause (``"none"`` for a silent lecture);
        ``recordings`` the digest of the segment's recordings and their sidecars, by name and content.
        """
        if self.silent:
            return {"voice": VOICE_NONE}
        entries = [(path.name, sha256_file(path)) for path in recorded_files(self.folder(segment))]
        return {"voice": f"{self.key} pause={self.settings.pause!r}", "recordings": digest_json(entries)}

    def entry(self) -> dict[str, Any]:
        """The manifest's ``voice`` entry (without the report of lines, added by the build)."""
        if self.silent:
            return {"name": VOICE_NONE}
        package = installed_voices()[self.name]
        return {
            "name": self.name,
            "package": package.distribution,
            "key": self.key,
            "length_scale": self.settings.length_scale,
            "pause": self.settings.pause,
            "recordings": str(self.settings.recordings),
            "speech_cache": str(self.speech_cache),
        }


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def resolve_voice(settings: VoiceSettings, requested: str | None, source: Path, root: Path, build_dir: Path) -> Voice:
    """The voice to narrate with: ``requested`` (``--voice``) or the settings' own, checked.

    Raises
    ------
    LectureError
        An unknown voice: one line naming the installed ones (and the file, when the settings
        named it).
    """
    name = (requested if requested is not None else settings.name).strip().lower()
    if name != VOICE_NONE:
        voices = installed_voices()
        if name not in voices:
            known = ", ".join(sorted(voices)) or "none installed"
            where = f"--voice {requested}" if requested is not None else f"{source}: [voice] name = {name!r}"
            raise LectureError(
                f"unknown voice {name!r} ({where}); installed: {known}; or {VOICE_NONE!r} for a silent lecture "
                "(a voice is a Python package named <name>-<lang>-piper-voice)"
            )
    resolved = VoiceSettings(name, settings.length_scale, settings.pause, settings.recordings)
    recordings = settings.recordings if settings.recordings.is_absolute() else root / settings.recordings
    key = VOICE_NONE if name == VOICE_NONE else voice_key(installed_voices()[name], settings.length_scale)
    return Voice(resolved, key, recordings.absolute(), (build_dir / SPEECH_CACHE_NAME).absolute())


def recording_files(folder: Path) -> dict[str, list[Path]]:
    """The recordings in ``folder`` by line id (``.wav`` and ``.flac``; empty if there is no folder)."""
    found: dict[str, list[Path]] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in RECORDING_SUFFIXES and path.is_file():
                found.setdefault(path.stem, []).append(path)
    return found


def recorded_files(folder: Path) -> list[Path]:
    """The recordings in ``folder`` and the sidecars of those recordings (other sidecars do not count)."""
    files: list[Path] = []
    for paths in recording_files(folder).values():
        files.extend(paths)
        sidecar = paths[0].with_suffix(SIDECAR_SUFFIX)
        if sidecar.is_file():
            files.append(sidecar)
    return sorted(files)


def check_folders(voice: Voice, segments: list[str]) -> None:
    """The recordings folder and each segment's folder in it must be folders; one recording per line.

    Raises
    ------
    LectureError
        One line naming the file and the fix.
    """
    if voice.silent:
        return
    if voice.recordings.exists() and not voice.recordings.is_dir():
        raise LectureError(
            f"{_display(voice.recordings)}: the voice recordings folder is not a folder; move it away, "
            "or set [voice] recordings in the render settings to a folder"
        )
    for name in segments:
        folder = voice.folder(name)
        if folder.exists() and not folder.is_dir():
            raise LectureError(
                f"{_display(folder)}: the recordings folder of segment {name!r} is not a folder; "
                "move it away, or make it a folder of <line id>.wav or .flac recordings"
            )
        for line, paths in recording_files(folder).items():
            if len(paths) > 1:
                raise LectureError(
                    f"{_display(paths[0])} and {_display(paths[1])}: two recordings of line {line!r}; delete one"
                )


def check_recordings(voice: Voice, segments: list[str]) -> int:
    """Decode every recording of ``segments`` that the speech cache does not hold yet; how many were decoded.

    A recording the cache holds (normalised by an earlier render, by its content) was usable;
    any other is decoded and checked as a render would (:func:`voice.recordings.check_recording`),
    so that a bad one stops the build before any render starts.

    Raises
    ------
    LectureError
        A recording that is not readable audio, is empty or silent: one line naming it and the fix.
    """
    if voice.silent:
        return 0
    checked = 0
    for name in segments:
        for paths in recording_files(voice.folder(name)).values():
            try:
                if recorded_audio_path(voice.speech_cache, paths[0]).is_file():
                    continue
                check_recording(paths[0])
            except VoiceError as err:
                raise LectureError(str(err)) from None
            checked += 1
    return checked


def line_ids(record: dict[str, Any] | None) -> list[str]:
    """Every line id a scene record holds, in order."""
    if record is None:
        return []
    return [str(ln.get("id")) for b in record.get("beats", []) for ln in b.get("lines", []) if ln.get("id")]


def unused_recordings(voice: Voice, records: dict[str, dict[str, Any] | None], declared: list[str]) -> list[str]:
    """Warnings for recordings no line uses: one line each, naming the file and the fix.

    Parameters
    ----------
    voice : Voice
    records : dict
        Each built segment's scene record (``None``: the render kept none; its recordings are not judged).
    declared : list of str
        Every segment of the render settings, enabled or not: a folder named after none of them is
        reported too.
    """
    if voice.silent or not voice.recordings.is_dir():
        return []
    warnings = []
    for name, record in records.items():
        if record is None:
            continue
        ids = line_ids(record)
        known = set(ids)
        for line, paths in recording_files(voice.folder(name)).items():
            if line not in known:
                listed = ", ".join(ids) if len(ids) <= 12 else ", ".join(ids[:12]) + ", ..."
                warnings.append(
                    f"{_display(paths[0])}: segment {name!r} has no line {line!r}, so the recording is not used; "
                    f"rename it to a line's id ({listed or 'it has none'}; python -m lecture script lists them) "
                    "or delete it"
                )
    for folder in sorted(voice.recordings.iterdir()):
        if folder.is_dir() and folder.name not in declared and recording_files(folder):
            warnings.append(
                f"{_display(folder)}: no segment is called {folder.name!r}, so its recordings are not used; "
                f"rename the folder to a segment's name ({', '.join(declared)})"
            )
    return warnings


def stale_recordings(records: dict[str, dict[str, Any] | None]) -> list[dict[str, Any]]:
    """The lines whose recording was stale (its sidecar says other words): segment, id, file, the words.

    ``said`` is what the sidecar says the recording says; ``spoken`` what the line says now.
    """
    stale = []
    for name, record in records.items():
        for beat in (record or {}).get("beats", []):
            for line in beat.get("lines", []):
                path = (line.get("audio") or {}).get("stale")
                if not path:
                    continue
                sidecar = Path(path).with_suffix(SIDECAR_SUFFIX)
                try:
                    said = sidecar.read_text(encoding="utf-8").strip()
                except (OSError, UnicodeDecodeError):
                    said = None
                stale.append(
                    {
                        "segment": name,
                        "id": line.get("id"),
                        "file": _display(Path(path)),
                        "said": said,
                        "spoken": line.get("spoken"),
                        "hash": line.get("hash"),
                    }
                )
    return stale


def line_sources(records: dict[str, dict[str, Any] | None]) -> dict[str, int]:
    """How many lines each source said (``synthetic``, ``recorded``, ``none``), over every record."""
    counts = {"synthetic": 0, "recorded": 0, "none": 0}
    for record in records.values():
        for beat in (record or {}).get("beats", []):
            for line in beat.get("lines", []):
                source = (line.get("audio") or {}).get("source", "none")
                counts[source] = counts.get(source, 0) + 1
    return counts


def describe_stale(stale: list[dict[str, Any]]) -> str:
    """The closing table's note on stale recordings (empty without any)."""
    if not stale:
        return ""
    lines = [
        f"{len(stale)} stale recording(s): the line now says other words, so the synthetic voice said it; "
        "record it again (python -m lecture script writes what to say)"
    ]
    lines += [f"  {s['file']}: now {json.dumps(s['spoken'], ensure_ascii=False)}" for s in stale]
    return "\n".join(lines)
