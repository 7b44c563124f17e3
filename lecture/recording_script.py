"""``python -m lecture script``: the narration script, to record the lecture in your own voice.

``python -m lecture script [--quality preview|course|hd60] [--segments A,B] [--voice NAME|none]
[--out DIR]`` writes ``build/script/``:

- ``script.md``, to read aloud from: chapter by chapter and beat by beat, every spoken line with
  its id, a short hash of its words, where its recording goes
  (``media_config/voice/<segment>/<line id>.wav``, or ``.flac``; any sample rate, mono or stereo)
  and whether a current recording says it already (*recorded*), a recording says what the line
  used to say (*STALE*, with the words the old recording says) or the synthetic voice says it;
- ``script.json``, the same for programs: per line its segment, chapter, beat, id, hash, spoken
  line, caption, lecture time, recording path and status (``synthetic``, ``recorded``, ``stale``).

It reads the lines from the lecture itself: it first runs the lecture build with the same options
(:func:`lecture.pipeline.build`: nothing to do when the lecture is up to date, otherwise it renders
what changed and publishes the lecture), then reads its ``manifest.json``. The script is what the
lecture says, numbers and all, for the history it was built from.

A recording is matched to its line by its sidecar ``<id>.txt``, the spoken line it says
(:mod:`voice.recordings`). A recording without one is taken as current, but could never be
found stale when its line changes; so for every recording without a sidecar whose line exists,
this command writes the sidecar (the line as it is now) and says so. The sidecar joins the
segment's input hash (:meth:`lecture.render.narrator.Voice.components`), so the next build renders that
segment again, once. Both files are written atomically (:func:`nncore.atomic.atomic_write`); bad
input is one line and exit code 2, as for the build.
"""

from __future__ import annotations

import io
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from lecture.errors import LectureError
from lecture.pipeline import BuildOptions, BuildReport, build
from lecture.preflight import check_writable
from lecture.progress import fmt_seconds
from lecture.render.narrator import recording_files, resolve_voice
from lecture.settings import load_render_settings
from nncore.atomic import atomic_write
from voice.recordings import SIDECAR_SUFFIX, same_line

SCRIPT_FORMAT = 1
"""Version of ``script.json``'s layout."""

STATUSES = ("synthetic", "recorded", "stale")
"""What says a line: the synthetic voice (no recording), a current recording, or the synthetic voice
because the recording says other words (stale)."""

SCRIPT_DIR_NAME = "script"
"""The script's folder in the build folder (``build/script/``) unless ``--out`` names another."""


@dataclass
class ScriptOptions:
    """What ``python -m lecture script`` was asked for: the lecture build's options and ``out``."""

    build: BuildOptions = field(default_factory=BuildOptions)
    out: Path | None = None
    """The script's folder; ``None``: ``<build dir>/script``."""


@dataclass(frozen=True)
class ScriptLine:
    """One spoken line of the lecture, as the script lists it.

    Attributes
    ----------
    segment, chapter : str
        The segment's name and its chapter's title.
    beat, id, hash : str
        The beat's name, the line's id and the first 12 hex digits of the SHA-256 of ``spoken``.
    spoken, text : str
        The line as said, and as captioned.
    start : float
        Where it starts in the lecture, seconds.
    recording : str
        Where its recording goes: the existing one, otherwise ``<recordings>/<segment>/<id>.wav``.
    status : str
        One of :data:`STATUSES`.
    said : str or None
        For a stale recording, the words its sidecar says it says.
    """

    segment: str
    chapter: str
    beat: str
    id: str
    hash: str
    spoken: str
    text: str
    start: float
    recording: str
    status: str
    said: str | None = None


def status_counts(lines: list[ScriptLine]) -> dict[str, int]:
    """How many of ``lines`` have each of :data:`STATUSES`."""
    return {s: sum(1 for ln in lines if ln.status == s) for s in STATUSES}


@dataclass
class ScriptReport:
    """What ``python -m lecture script`` wrote (the tests read it)."""

    folder: Path
    lines: list[ScriptLine]
    sidecars: list[Path]
    lecture: BuildReport

    def counts(self) -> dict[str, int]:
        """How many lines have each status."""
        return status_counts(self.lines)

    def describe(self) -> str:
        """The one summary line ``python -m lecture script`` prints."""
        c = self.counts()
        sidecars = f"; wrote {len(self.sidecars)} missing sidecar(s)" if self.sidecars else ""
        return (
            f"wrote {self.folder / 'script.md'} and script.json: {len(self.lines)} lines, "
            f"{c['recorded']} recorded, {c['stale']} stale, {c['synthetic']} synthetic{sidecars}"
        )


def _display(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it is inside it (the script names files as the author sees them)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise LectureError(f"{path}: cannot read the lecture's manifest ({err}); build the lecture again") from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise LectureError(f"{path}: not a lecture manifest; build the lecture again")
    return data


def script_lines(
    manifest: dict[str, Any], recordings: Path, root: Path
) -> tuple[list[ScriptLine], list[tuple[Path, str]]]:
    """Every spoken line of ``manifest`` with its recording's status, and the sidecars missing.

    Parameters
    ----------
    manifest : dict
        The lecture's ``manifest.json``.
    recordings : Path
        The authors' recordings folder (``[voice] recordings``), absolute.
    root : Path
        The folder paths are shown relative to (the repository).

    Returns
    -------
    lines : list of ScriptLine
        In lecture order.
    missing : list of (Path, str)
        Each recording of a line that has no sidecar, and the line it says (its sidecar's text).
    """
    lines: list[ScriptLine] = []
    missing: list[tuple[Path, str]] = []
    for seg in manifest["segments"]:
        name, title = str(seg.get("name")), str(seg.get("title", seg.get("name")))
        found = recording_files(recordings / name)
        for beat in seg.get("beats", []):
            for line in beat.get("lines", []):
                if not line.get("id"):
                    continue  # a line of an older render, without an id, cannot be recorded
                text = str(line.get("text", ""))
                spoken = str(line.get("spoken", text))
                paths = found.get(line["id"], [])
                status, said = _recording_status(paths, spoken, missing)
                where = paths[0] if paths else recordings / name / f"{line['id']}.wav"
                lines.append(
                    ScriptLine(
                        segment=name,
                        chapter=title,
                        beat=str(beat.get("name", "")),
                        id=str(line["id"]),
                        hash=str(line.get("hash", "")),
                        spoken=spoken,
                        text=text,
                        start=float(line.get("start", beat.get("start", 0.0))),
                        recording=_display(where, root),
                        status=status,
                        said=said,
                    )
                )
    return lines, missing


def _recording_status(paths: list[Path], spoken: str, missing: list[tuple[Path, str]]) -> tuple[str, str | None]:
    """A line's status (``synthetic``, ``recorded`` or ``stale``) and, when stale, what its recording says.

    ``paths`` are the line's recordings (the first is used); a recording without a sidecar counts as
    recorded and is added to ``missing`` with the line it says.
    """
    if not paths:
        return "synthetic", None
    sidecar = paths[0].with_suffix(SIDECAR_SUFFIX)
    try:
        said = sidecar.read_text(encoding="utf-8").strip() if sidecar.is_file() else None
    except (OSError, UnicodeDecodeError):
        said = ""  # unreadable: the render stopped on it, or will; take it as other words
    if said is None:
        missing.append((sidecar, spoken))
        return "recorded", None
    if same_line(said, spoken):
        return "recorded", None
    return "stale", said


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d}"


def _quote(text: str) -> str:
    """``text`` as a Markdown block quote (one ``>`` per line; nothing in it is read as markup)."""
    escaped = text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")
    return "\n".join(f"> {part}" for part in escaped.splitlines() or [""])


def script_markdown(
    lines: list[ScriptLine], manifest: dict[str, Any], recordings: str, source: str, sidecars: list[str]
) -> str:
    """``script.md``: the lines to read aloud, by chapter and beat, each with its id, hash, file and status."""
    voice = (manifest.get("voice") or {}).get("name", "none")
    counts = status_counts(lines)
    out = [
        "# Narration script",
        "",
        f"Every line the lecture says, from `{source}` ({manifest.get('quality', '?')} build of "
        f"{manifest.get('built_at', '?')}, voice {voice}): {len(lines)} lines, {counts['recorded']} recorded, "
        f"{counts['stale']} stale, {counts['synthetic']} said by the synthetic voice.",
        "",
        f"To say a line yourself, record it as the file named under it (`{recordings}/<segment>/<line id>.wav`, "
        "or `.flac`; any sample rate, mono or stereo) and keep beside it `<line id>.txt` holding the line as "
        "written here. When the line changes (a new run changes its numbers), the build finds the recording "
        "stale, says the line with the synthetic voice and lists it; record it again.",
    ]
    if sidecars:
        out += ["", f"Written by this script for recordings that had none: {', '.join(f'`{s}`' for s in sidecars)}."]
    chapter, beat = None, None
    number = 0
    for ln in lines:
        if ln.segment != chapter:
            chapter, beat = ln.segment, None
            number += 1
            out += ["", f"## {number}. {ln.chapter} (`{ln.segment}`)"]
        if ln.beat != beat:
            beat = ln.beat
            out += ["", f"### Beat `{ln.beat}` · {_clock(ln.start)}"]
        mark = {
            "recorded": f"✓ recorded: `{ln.recording}`",
            "stale": f"**STALE**, record again: `{ln.recording}`",
            "synthetic": f"record as `{ln.recording}`",
        }[ln.status]
        out += ["", f"**`{ln.id}`** · `{ln.hash}` · {mark}", "", _quote(ln.spoken)]
        if ln.status == "stale":
            out += ["", "The old recording says:", "", _quote(ln.said or "")]
    return "\n".join(out) + "\n"


def script_json(lines: list[ScriptLine], manifest: dict[str, Any], recordings: str, source: str) -> dict[str, Any]:
    """``script.json``: the lines, with what the script was made from."""
    return {
        "format": SCRIPT_FORMAT,
        "lecture": source,
        "build_key": manifest.get("build_key"),
        "quality": manifest.get("quality"),
        "voice": (manifest.get("voice") or {}).get("name", "none"),
        "recordings": recordings,
        "counts": status_counts(lines),
        "lines": [asdict(ln) for ln in lines],
    }


def make_script(opts: ScriptOptions, out: TextIO | None = None, err: TextIO | None = None) -> ScriptReport:
    """Build the lecture if needed, then write the script and the missing sidecars (see the module docstring).

    Raises
    ------
    LectureError
        Bad input (exit 2) or a failed render (exit 1), as for the build; nothing is written.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    t0 = time.perf_counter()
    b = opts.build
    root = b.root.resolve()
    folder = opts.out if opts.out is not None else b.build_dir / SCRIPT_DIR_NAME

    # What can be wrong before the build: the settings and the voice (the build checks the rest), the folder.
    settings = load_render_settings(b.render_config)
    voice = resolve_voice(settings.voice, b.voice, settings.path, root, b.build_dir)
    check_writable(folder, "--out")

    table = io.StringIO()
    lecture = build(opts.build, out=table, err=err)
    if not lecture.up_to_date:
        err.write(table.getvalue().rstrip() + "\n")
    manifest_path = lecture.output / "manifest.json"
    manifest = _read_manifest(manifest_path)

    lines, missing = script_lines(manifest, voice.recordings, root)
    sidecars = []
    for sidecar, spoken in missing:
        with atomic_write(sidecar, "w", encoding="utf-8") as fh:
            fh.write(spoken + "\n")
        sidecars.append(sidecar)
        err.write(f"wrote {_display(sidecar, root)}: the line its recording says, so a change of it shows as stale\n")
    recordings = _display(voice.recordings, root)
    source = _display(manifest_path, root)
    shown = [_display(p, root) for p in sidecars]
    with atomic_write(folder / "script.md", "w", encoding="utf-8") as fh:
        fh.write(script_markdown(lines, manifest, recordings, source, shown))
    with atomic_write(folder / "script.json", "w", encoding="utf-8") as fh:
        fh.write(json.dumps(script_json(lines, manifest, recordings, source), indent=2, ensure_ascii=False) + "\n")
    report = ScriptReport(folder, lines, sidecars, lecture)
    out.write(f"{report.describe()} ({fmt_seconds(time.perf_counter() - t0)})\n")
    return report
