"""The whole build: history, parallel segment renders, stitch, companions, atomic publish.

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N] [--voice NAME]``
calls :func:`build`. In order:

1. check the input (render settings, preset, segment names, scene files, training config, the
   voice and the recordings folders) and the tools (TeX, Cairo/Pango) and that the output folder
   is writable: nothing is written before;
2. take the per-preset lock, clean what an interrupted build left;
3. ensure the history of the config (trained only when no history of that config exists);
4. hash every segment's inputs (its speech included: :mod:`lecture.render.narrator`); re-use cached
   renders, check the recordings of the others, render them in ``--jobs`` parallel processes
   (longest first), each atomically into the cache, all sharing the TeX they typeset through
   ``build/tex/`` (see :mod:`lecture.render.manim_child`) and the lines they say through ``build/speech/``;
5. if anything changed, stitch (one audio track for a narrated lecture, :mod:`lecture.assemble.soundtrack`)
   and write the lecture and its companions into a staging folder and swap it in for
   ``build/lecture/<quality>/`` at once;
6. warn about recordings no line uses, and list the stale ones under the closing table.

With several configs (:func:`build_lectures`, ``--config`` again or ``--configs LIST``) step 1
checks them all, step 3 trains each one's history, step 4 renders every lecture's missing
renders as one set of jobs (each different render once) and step 5 publishes each lecture into
``build/lectures/<config's name>/<quality>/`` as soon as its renders are in. With ``--cluster``
the renders of step 4 run on a Dask cluster's workers (:mod:`lecture.cluster`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from lecture import __version__, cpu_profile, preflight
from lecture.assemble import publish
from lecture.assemble.companions import Chapter, lecture_facts, write_pictures, write_tracks
from lecture.assemble.stitch import StitchResult, stitch
from lecture.assemble.timeline import lecture_timeline, read_scene_record
from lecture.cluster import ClusterRenderer, open_renderer
from lecture.errors import LectureError, RenderFailed
from lecture.page.explorer import prepare_explorer
from lecture.page.lecture_page import page_footer, page_html
from lecture.page.quiz import quiz_view
from lecture.page.transcript import transcript
from lecture.progress import Progress, Row, fmt_seconds, table
from lecture.quiz.bank import BANK_FILE, PICTURES, Bank, check_chapters, merge, read_bank, write_bank
from lecture.quiz.bank import describe_stale as describe_stale_questions
from lecture.quiz.chapters import generate
from lecture.quiz.questions import RunInputs
from lecture.render.cache import RenderedSegment, clean_stale, last_render, load_cached, prune
from lecture.render.histories import KEEP_HISTORIES, ensure_lecture_history, histories_dir
from lecture.render.inputs import (
    NO_HISTORY,
    change_reason,
    digest_json,
    history_digest,
    input_hash,
    segment_components,
    sha256_file,
    tool_versions,
    tree_files,
)
from lecture.render.manim_child import TEX_CACHE_ENV, TEX_CACHE_OFF
from lecture.render.narrator import (
    Voice,
    check_folders,
    check_recordings,
    describe_stale,
    line_sources,
    resolve_voice,
    stale_recordings,
    unused_recordings,
)
from lecture.render.segment import ProcessRegistry, RenderJob, render_segment, thread_share, usable_cores
from lecture.render.sweeps import check_sweeps, ensure_sweeps, sweep_env, sweeps_dir
from lecture.settings import Preset, RenderSettings, Segment, check_scene, load_render_settings
from nncore import NNCoreError, TrainConfig, load_config
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_CONFIG, DEFAULT_RENDER_CONFIG

LECTURES_DIR = "lectures"
"""Where a build of several configs writes their lectures: ``build/lectures/<config's name>/<quality>/``."""
NO_HISTORY_FILE = "no-history.npz"
"""The history a render of a scene that reads none is pointed at (never written: reading it fails)."""
MANIFEST_FORMAT = 2
"""Version of ``manifest.json``'s layout (2: ``voice`` and ``audio``, and every line's id, spoken form and audio)."""
OUTPUT_FILES = (
    "lecture.mp4",
    "chapters.vtt",
    "captions.vtt",
    "captions.srt",
    "poster.png",
    "manifest.json",
    "index.html",
    BANK_FILE,
)


@dataclass
class BuildOptions:
    """What ``python -m lecture build`` was asked for (see :mod:`lecture.cli`)."""

    config: Path = DEFAULT_CONFIG
    render_config: Path = DEFAULT_RENDER_CONFIG
    quality: str | None = None
    jobs: int | None = None
    build_dir: Path = DEFAULT_BUILD_DIR
    segments: list[str] | None = None
    root: Path = field(default_factory=Path.cwd)
    voice: str | None = None
    """``--voice``: an installed voice's name or ``"none"``; ``None``: the render settings' ``[voice] name``."""
    constant_frame_rate: bool = False
    """``--constant-frame-rate``: encode every frame of a still (the preset's ``frame_rate = "constant"``)."""
    configs: list[Path] = field(default_factory=list)
    """Several lectures in one build (``--config`` more than once, or ``--configs FILE``): each config's
    lecture goes to ``build/lectures/<config's name>/<quality>/``; empty: the one lecture of :attr:`config`,
    in ``build/lecture/<quality>/``."""
    cluster: str | None = None
    """``--cluster tcp://HOST:PORT``: render on a Dask cluster (:mod:`lecture.cluster`); ``None``: the render
    settings' ``[cluster] address``, or here."""


@dataclass
class BuildReport:
    """What a build did (the benchmark and the tests read it)."""

    output: Path
    rows: list[Row]
    rendered: list[str]
    duration: Fraction
    wall: float
    up_to_date: bool
    trained: bool
    voice: str = "none"
    stale: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def tex_cache_dir(build_dir: Path) -> Path | None:
    """The TeX cache every render of every preset shares: ``<build dir>/tex`` (``None`` if ``$NN_TEX_CACHE=off``)."""
    return None if os.environ.get(TEX_CACHE_ENV) == TEX_CACHE_OFF else build_dir / "tex"


def default_jobs() -> int:
    """The cores this process may use: one render each."""
    return usable_cores()


def _up_to_date(out_dir: Path, manifest: dict[str, Any], build_key: str) -> bool:
    if manifest.get("build_key") != build_key:
        return False
    if not all((out_dir / f).is_file() for f in OUTPUT_FILES):
        return False
    video = manifest.get("video", {})
    if (out_dir / "lecture.mp4").stat().st_size != video.get("bytes"):
        return False
    # an author's edit of questions.json is published with a new page
    bank = (out_dir / BANK_FILE).read_bytes()
    return hashlib.sha256(bank).hexdigest() == (manifest.get("questions") or {}).get("digest")


def build(opts: BuildOptions, out: TextIO | None = None, err: TextIO | None = None) -> BuildReport:
    """Build the lecture of ``opts.config`` into ``build/lecture/<quality>/`` (see the module docstring).

    Raises
    ------
    LectureError
        Bad input or a missing tool (exit 2), a failed render or stitch (exit 1). The previous
        lecture is left as it was.
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after every render child is stopped and temporary files removed.
    """
    if len(opts.configs) > 1:
        raise LectureError("several configs make several lectures: use build_lectures()")
    config = opts.configs[0] if opts.configs else opts.config
    return _build_all(replace(opts, config=config, configs=[]), out, err)[0]


def build_lectures(opts: BuildOptions, out: TextIO | None = None, err: TextIO | None = None) -> list[BuildReport]:
    """Build the lecture of every config of ``opts.configs``, sharing every cache, one report each.

    Each lecture is written into ``build/lectures/<config file's name>/<quality>/``. Every history
    missing is trained first; then the renders of all the lectures run as one set of jobs (a
    segment that two configs draw the same, such as the course's pinned experiments, is rendered
    once), here or on the cluster, lecture by lecture; each lecture is stitched and published as
    soon as its own renders are in, while the others' go on.

    Raises
    ------
    LectureError, KeyboardInterrupt
        As :func:`build`; two configs with the same file name are bad input (their folders would be one).
    """
    return _build_all(opts, out, err)


def lecture_dirs(build_dir: Path, configs: list[Path], preset: str) -> dict[Path, Path]:
    """Where each of several lectures goes: ``<build_dir>/lectures/<config's stem>/<preset>``.

    Raises
    ------
    LectureError
        Two configs share a name (``a/x.toml`` and ``b/x.toml``), or one is given twice.
    """
    dirs: dict[Path, Path] = {}
    seen: dict[str, Path] = {}
    for config in configs:
        if config.stem in seen:
            raise LectureError(
                f"{config}: a lecture named {config.stem!r} is already built from {seen[config.stem]} "
                f"(both would be {build_dir / LECTURES_DIR / config.stem}); give each config its own file name"
            )
        seen[config.stem] = config
        dirs[config] = build_dir / LECTURES_DIR / config.stem / preset
    return dirs


@dataclass
class _Lecture:
    """One lecture's input, checked in step 1: its config and what the build makes of it."""

    config: Path
    cfg: TrainConfig
    sweeps: dict[str, Any]
    out_dir: Path
    previous_bank: Bank | None


def _build_all(opts: BuildOptions, out: TextIO | None, err: TextIO | None) -> list[BuildReport]:
    out = out or sys.stdout
    err = err or sys.stderr
    t0 = time.perf_counter()
    root = opts.root.resolve()

    # 1. Everything that can be wrong with the input, before anything is written.
    settings = load_render_settings(opts.render_config)
    preset = settings.preset(opts.quality)
    if opts.constant_frame_rate:
        preset = replace(preset, frame_rate="constant")
    segments = settings.lecture(opts.segments)
    for seg in segments:
        check_scene(settings, seg, root)
    build_dir = opts.build_dir
    many = bool(opts.configs)
    configs = opts.configs or [opts.config]
    dirs = lecture_dirs(build_dir, configs, preset.name) if many else {opts.config: build_dir / "lecture" / preset.name}
    lectures = []
    for config in configs:
        try:
            cfg = load_config(config)
        except NNCoreError as e:
            raise LectureError(str(e)) from None
        sweeps = check_sweeps(segments, settings.path, root, config)
        bank_file = dirs[config] / BANK_FILE
        lectures.append(
            _Lecture(config, cfg, sweeps, dirs[config], read_bank(bank_file) if bank_file.is_file() else None)
        )
    jobs = opts.jobs or default_jobs()
    if jobs < 1:
        raise LectureError(f"--jobs {jobs} is not allowed; use a number of parallel renders >= 1")
    voice = resolve_voice(settings.voice, opts.voice, settings.path, root, build_dir)
    check_folders(voice, [s.name for s in segments])
    preflight.check_tex()
    preflight.check_cairo_pango()
    address = opts.cluster or settings.cluster
    renderer = open_renderer(address, opts.cluster is not None, settings.path, err) if address else None
    with contextlib.ExitStack() as cleanup:
        if renderer is not None:
            cleanup.callback(renderer.close)  # however the build ends
        seg_dir = build_dir / "segments" / preset.name
        tex_dir = tex_cache_dir(build_dir)
        speech = [] if voice.silent else [voice.speech_cache]
        outputs = [build_dir / (LECTURES_DIR if many else "lecture")]
        for folder in (*outputs, seg_dir, histories_dir(build_dir), *([tex_dir] if tex_dir else []), *speech):
            preflight.check_writable(folder)

        # 2. One build per preset and folder at a time; undo what an interrupted one left.
        lock = publish.FolderLock(
            build_dir / ".locks" / f"{preset.name}.lock",
            f"another build of the {preset.name!r} lecture is running in {build_dir}; wait for it to finish",
        )
        try:
            for lec in lectures:
                publish.recover(lec.out_dir)
            clean_stale(seg_dir)
            builds = [
                _Build(
                    opts, settings, preset, segments, lec, jobs, root, out, err, voice, lec.config.stem if many else ""
                )
                for lec in lectures
            ]
            for b in builds:
                b.prepare()
            if len(builds) == 1:
                _render(builds, renderer, err)
                reports = [builds[0].finish(t0)]
            else:
                reports = _render_and_assemble(builds, renderer, err, t0)
            keep: dict[str, set[str]] = {}
            for b in builds:
                for name, key in b.keys.items():
                    keep.setdefault(name, set()).add(key)
            prune(seg_dir, keep)
            return reports
        finally:
            lock.release()


class _Build:
    """Steps 3 to 5 of :func:`build`, run while the lock is held."""

    def __init__(
        self,
        opts: BuildOptions,
        settings: RenderSettings,
        preset: Preset,
        segments: list[Segment],
        lecture: _Lecture,
        jobs: int,
        root: Path,
        out: TextIO,
        err: TextIO,
        voice: Voice,
        label: str = "",
    ) -> None:
        self.opts, self.settings, self.preset, self.segments = opts, settings, preset, segments
        self.config, self.cfg = lecture.config, lecture.cfg
        self.voice = voice
        self.label = label  # the lecture's name when the build makes several ("" for one)
        self.jobs, self.root, self.out, self.err = jobs, root, out, err
        self.out_dir = lecture.out_dir
        self.seg_dir = opts.build_dir / "segments" / preset.name
        self.done: dict[str, RenderedSegment] = {}
        self.seconds: dict[str, float] = {}
        self.reasons: dict[str, str] = {}
        self.sweeps = lecture.sweeps  # name -> nncore.sweep.Sweep, for the segments that read one
        self.keep = max(KEEP_HISTORIES, len(opts.configs))  # every config this build makes a lecture of
        self.sweep_dir = sweeps_dir(opts.build_dir, self.config, self.cfg, self.keep)
        self.sweep_entries: dict[str, Any] = {}  # name -> its variations (nncore.sweep.SweepEntry), trained
        self.previous_bank = lecture.previous_bank  # questions.json as the author left it, checked
        self.stale_questions: list[str] = []

    def say(self, text: str) -> None:
        """One line of progress on stderr (with the lecture's name when the build makes several)."""
        self.err.write((f"[{self.label}] " if self.label else "") + text + "\n")
        self.err.flush()

    def prepare(self) -> None:
        """Steps 3 and 4 up to rendering: ensure the history, hash every segment, pick up the cached renders.

        Sets :attr:`to_render` (the segments the cache lacks) after checking their recordings.
        """

        def train_progress(done: int, total: int) -> None:
            if done == total or done % 2500 == 0:
                self.say(f"training: {done}/{total} iterations")

        self.history_file, self.history, self.trained = ensure_lecture_history(
            self.cfg, self.config, self.opts.build_dir, train_progress, self.keep
        )
        if self.trained:
            self.say(f"trained a new history for {self.config}: {self.history_file}")
        with cpu_profile.measure("planning (input hashes)"):
            self.plan()
        self.to_render = [s for s in self.segments if s.name not in self.done]
        if self.to_render or not _up_to_date(self.out_dir, self.previous, self.build_key):
            check_recordings(self.voice, [s.name for s in self.to_render])
        for s in self.to_render:
            old = self.prev_segments.get(s.name, {}).get("components")
            self.reasons[s.name] = change_reason(old, self.components[s.name])

    def finish(self, t0: float) -> BuildReport:
        """Step 5 once every render is in: assemble and publish (unless up to date); report."""
        if not self.to_render and _up_to_date(self.out_dir, self.previous, self.build_key):
            self.read_records()
            rows = self.rows()
            wall = time.perf_counter() - t0
            done = f"{self.out_dir / 'lecture.mp4'} is up to date: nothing to render"
            self.out.write(f"{done}\n\n{table(rows, wall)}\n{self.notes()}")
            return self.report(rows, [], _total(rows), wall, True, self.trained)
        self.read_records()

        # 5. Stitch and write everything into a staging folder, then swap it in.
        with cpu_profile.measure("captions, chapters, page and pictures"):
            result = self.assemble()
        rows = self.rows()
        wall = time.perf_counter() - t0
        said = "" if self.voice.silent else f", narrated by {self.voice.name}"
        self.out.write(
            f"wrote {self.out_dir / 'lecture.mp4'} ({fmt_seconds(result.duration)}, {result.frames} frames, "
            f"{len(self.segments)} chapters{said}) and its page {self.out_dir / 'index.html'}\n\n"
            f"{table(rows, wall)}\n{self.notes()}"
        )
        cpu_profile.write("build", duration=float(result.duration), frames=result.frames, pictures=result.pictures)
        return self.report(rows, list(self.seconds), result.duration, wall, False, self.trained)

    def read_records(self) -> None:
        """Every segment's scene record; warn about recordings no line uses; collect the stale ones."""
        self.records = {s.name: read_scene_record(self.done[s.name].record) for s in self.segments}
        self.stale = stale_recordings(self.records)
        self.warnings = unused_recordings(self.voice, self.records, [s.name for s in self.settings.all_segments()])
        for warning in self.warnings:
            self.say(f"warning: {warning}")

    def notes(self) -> str:
        """What the closing table says after its rows: the stale recordings (empty without any)."""
        text = "\n".join(t for t in (describe_stale(self.stale), describe_stale_questions(self.stale_questions)) if t)
        return f"\n{text}\n" if text else ""

    def report(
        self, rows: list[Row], rendered: list[str], duration: Fraction, wall: float, up_to_date: bool, trained: bool
    ) -> BuildReport:
        """The :class:`BuildReport` of this build."""
        return BuildReport(
            self.out_dir,
            rows,
            rendered,
            duration,
            wall,
            up_to_date,
            trained,
            self.voice.name,
            self.stale,
            self.warnings,
        )

    def plan(self) -> None:
        """Hash every segment's inputs and pick up the renders already in the cache."""
        tools = tool_versions()
        self.tools = tools
        self.history_hash = history_digest(self.history)
        sweep_digests = ensure_sweeps(self.sweeps, self.sweep_dir, self.say, self.sweep_entries)
        preset_key = self.preset.key()
        self.components = {}
        for s in self.segments:
            c = segment_components(s.file, s.cls, self.root, self.history_hash, preset_key, tools)
            if s.sweeps:
                c["sweeps"] = digest_json([sweep_digests[n] for n in s.sweeps])
            c.update(self.voice.components(s.name))
            self.components[s.name] = c
        self.keys = {name: input_hash(c) for name, c in self.components.items()}
        self.previous = publish.read_json_object(self.out_dir / "manifest.json")
        self.prev_segments = {s.get("name"): s for s in self.previous.get("segments", []) if isinstance(s, dict)}
        here = Path(__file__).parent
        lecture_code = digest_json(
            [
                (p.relative_to(here).as_posix(), sha256_file(p))
                for p in tree_files(here)
                if p.suffix in (".py", ".html", ".js", ".css")  # the page is written from lecture/page/templates/
            ]
        )
        self.build_key = digest_json(
            {
                "segments": [[s.name, s.title, self.keys[s.name]] for s in self.segments],
                "preset": preset_key,
                "lecture_code": lecture_code,
                "config": self.cfg.to_dict(),
            }
        )
        for s in self.segments:
            cached = load_cached(self.seg_dir, s.name, self.keys[s.name])
            if cached is not None:
                self.done[s.name] = cached
                os.utime(cached.folder / "segment.json")  # recently used: kept by prune()

    def job(self, s: Segment, threads: int) -> RenderJob:
        """What rendering ``s`` needs: its inputs, the history, its sweeps, the folders, its share of the cores."""
        return RenderJob(
            segment=s,
            preset=self.preset,
            key=self.keys[s.name],
            components=self.components[s.name],
            segments_dir=self.seg_dir,
            root=self.root,
            history=self.history_file
            if self.components[s.name]["history"] != NO_HISTORY
            else self.seg_dir / NO_HISTORY_FILE,
            sweep_env=sweep_env(self.root, self.sweep_dir, self.config) if s.sweeps else {},
            threads=threads,
            tex_cache=tex_cache_dir(self.opts.build_dir),
            voice_env=self.voice.environment(s.name),
        )

    def assemble(self) -> StitchResult:
        """Stitch the segments and write the companions and the page into a staging folder, then publish it."""
        h, cfg = self.history, self.cfg
        staging = publish.staging_path(self.out_dir)
        staging.mkdir(parents=True)
        try:
            rendered = [self.done[s.name] for s in self.segments]
            facts = lecture_facts(h)
            shape = "-".join(str(n) for n in h.sizes)
            title = f"Explainable training: a {shape} network learns the {cfg.dataset} data set"
            self.say(f"stitching {len(rendered)} segments into {self.out_dir / 'lecture.mp4'}")
            with cpu_profile.measure("stitching and the lecture's sound"):
                result = stitch(
                    [r.video for r in rendered],
                    staging / "lecture.mp4",
                    names=[s.name for s in self.segments],
                    metadata={"title": title, "comment": "; ".join(facts)},
                )
            chs = [
                Chapter(s, r, start, i + 1)
                for i, (s, r, start) in enumerate(zip(self.segments, rendered, result.starts, strict=True))
            ]
            manifest = self.manifest(result, chs, (staging / "lecture.mp4").stat().st_size)
            with cpu_profile.measure("questions"):
                bank = self.questions(title, manifest, staging)
            manifest["questions"] = {
                "file": BANK_FILE,
                "asked": len(bank.asked()),
                "digest": bank.digest(),
                "stale": self.stale_questions,
            }
            # The page's run explorer: exported from the history, cached by its digest in build/explorer/.
            explorer = prepare_explorer(h, self.history_hash, manifest, self.opts.build_dir / "explorer")
            tracks = write_tracks(staging, chs)
            write_pictures(staging, chs)
            manifest["tracks"] = tracks.counts()
            size = (self.preset.width, self.preset.height)
            page = page_html(
                title,
                facts,
                chs,
                tracks.chapters_vtt,
                tracks.captions_vtt,
                size,
                page_footer(manifest),
                explorer.data,
                transcript(manifest),
                quiz=quiz_view(bank, manifest),
            )
            manifest["explorer"] = {**explorer.entry, "page_bytes": len(page.encode())}
            (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            (staging / "index.html").write_text(page, encoding="utf-8")
            publish.publish(staging, self.out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return result

    def questions(self, title: str, manifest: dict[str, Any], staging: Path) -> Bank:
        """Make the questions from the run, keep the author's edits, write ``questions.json`` into ``staging``.

        Pictures that a kept question names (an author's own) and the build did not draw again are
        copied from the previous lecture folder.
        """
        beats = {s["name"]: [b["name"] for b in s["beats"]] for s in manifest["segments"]}
        run = RunInputs(self.history, self.sweep_entries, staging / PICTURES, beats)
        merged = merge(generate(title, self.history_hash, run, list(beats)), self.previous_bank)
        self.stale_questions = merged.stale
        check_chapters(merged.bank, str(self.out_dir / BANK_FILE), beats)
        for q in merged.bank.questions:
            for pic in [q.picture, *(c.picture for c in q.choices)]:
                if pic is not None and not (staging / pic.file).is_file() and (self.out_dir / pic.file).is_file():
                    (staging / PICTURES).mkdir(exist_ok=True)
                    shutil.copyfile(self.out_dir / pic.file, staging / pic.file)
        write_bank(merged.bank, staging)
        return merged.bank

    def manifest(self, result: StitchResult, chs: list[Chapter], size: int) -> dict[str, Any]:
        """``manifest.json``: what was built, from what, with which tools; each segment's beats in lecture time."""
        h, p = self.history, self.preset
        return {
            "format": MANIFEST_FORMAT,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_key": self.build_key,
            "quality": p.name,
            "preset": {"width": p.width, "height": p.height, "fps": p.fps},
            "video": {
                "file": "lecture.mp4",
                "duration": round(float(result.duration), 6),
                "frames": result.frames,
                "bytes": size,
            },
            "files": {
                "chapters": "chapters.vtt",
                "captions_vtt": "captions.vtt",
                "captions_srt": "captions.srt",
                "poster": "poster.png",
                "page": "index.html",
            },
            "config": {"file": str(self.config), "values": self.cfg.to_dict()},
            "voice": {
                **self.voice.entry(),
                "lines": line_sources(self.records),
                "stale": self.stale,
                "unused": self.warnings,
            },
            "audio": None if result.audio is None else result.audio.entry(),
            "history": {
                "file": str(self.history_file),
                "digest": self.history_hash,
                "iterations": h.iterations,
                "hidden_units": h.hidden_units,
                "sizes": list(h.sizes),
                "final_cost": float(h.cost[-1]),
                "final_accuracy": float(h.accuracy[-1]),
            },
            "render_settings": str(self.settings.path),
            "segments": [
                {
                    "name": c.segment.name,
                    "title": c.segment.title,
                    "file": c.segment.file.as_posix(),
                    "class": c.segment.cls,
                    "start": round(float(c.start), 6),
                    "duration": round(float(c.rendered.duration), 6),
                    "frames": c.rendered.frames,
                    "input_hash": c.rendered.key,
                    "components": c.rendered.components,
                    "rendered": c.segment.name in self.seconds,
                    "reason": self.reasons.get(c.segment.name, "reused"),
                    "render_seconds": c.rendered.render_seconds,
                    "thumbnail": c.thumb_name,
                    **lecture_timeline(self.records[c.segment.name], c.start, c.rendered.duration),
                }
                for c in chs
            ],
            "tools": {**self.tools, "lecture": __version__},
        }

    def rows(self) -> list[Row]:
        """The final table's rows, in lecture order."""
        return [
            Row(s.name, self.done[s.name].duration, f"rendered ({self.reasons[s.name]})", self.seconds[s.name])
            if s.name in self.seconds
            else Row(s.name, self.done[s.name].duration, "reused", None)
            for s in self.segments
        ]


def _render_and_assemble(
    builds: list[_Build], cluster: ClusterRenderer | None, err: TextIO, t0: float
) -> list[BuildReport]:
    """Render what several lectures lack and assemble each one as soon as its own renders are in.

    Assembly (stitching, the page, the questions) runs on one thread of its own while the other
    lectures' renders go on, here or on the cluster, so the lectures are published one after the
    other during the renders instead of all after them. A failed render stops no lecture that
    does not need it; the build still fails (exit code 1) once every other is done.
    """
    assembled: dict[int, Future[BuildReport]] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="assemble") as assembler:

        def ready(b: _Build) -> None:
            assembled[id(b)] = assembler.submit(b.finish, t0)

        try:
            _render(builds, cluster, err, ready)
        except BaseException:
            for f in assembled.values():
                f.cancel()  # those not started; the one assembling finishes (it publishes atomically)
            raise
        failed = [e for f in assembled.values() if (e := f.exception()) is not None]
        if failed:
            raise failed[0]
    return [assembled[id(b)].result() for b in builds]


def _render(
    builds: list[_Build],
    cluster: ClusterRenderer | None,
    err: TextIO,
    ready: Callable[[_Build], None] | None = None,
) -> None:
    """Render what the lectures lack, each different render once, lecture by lecture; raise after all if any failed.

    Here, ``--jobs`` at a time in child processes (:func:`render_segment`); with a cluster, every
    render is a job for its workers (:class:`lecture.cluster.ClusterRenderer`), which the scheduler
    runs as they have room. A render two lectures share (same segment, same input hash) is made
    once and used by both. With several lectures, a line after each event counts every lecture's
    renders queued, running and done; with a cluster, each line names the worker. ``ready`` is
    called with each lecture once every render it needs is in (at once for one that needs none).
    """
    wanted: dict[tuple[str, str], list[_Build]] = {}
    segment: dict[tuple[str, str], Segment] = {}
    for b in builds:
        for s in b.to_render:
            wanted.setdefault((s.name, b.keys[s.name]), []).append(b)
            segment[(s.name, b.keys[s.name])] = s
    handed: set[int] = set()

    def hand_over() -> None:  # every lecture whose renders are all in, once
        if ready is None:
            return
        for b in builds:
            if id(b) not in handed and all((s.name, b.keys[s.name]) in done for s in b.to_render):
                handed.add(id(b))
                ready(b)

    done: set[tuple[str, str]] = set()
    hand_over()
    if not wanted:
        return
    first, many = builds[0], len(builds) > 1
    seg_dir, jobs = first.seg_dir, first.jobs
    last = {name: last_render(seg_dir, name) for name, _ in wanted}
    # Lecture by lecture (each is assembled as soon as its renders are in, while the next ones render),
    # and within a lecture longest first (by the last render of each), unknown ones first: the
    # renders running at once end together.
    lecture = {id(b): i for i, b in enumerate(builds)}
    order = sorted(
        wanted, key=lambda item: (lecture[id(wanted[item][0])], -float(last[item[0]].get("render_seconds", 1e9)))
    )
    shown = {
        item: ("+".join(b.label for b in wanted[item]) + "/" if many else "") + item[0] for item in order
    }  # unique: two lectures' different renders of one segment are told apart by who wants them
    at_once = min(jobs, len(order))
    where = cluster.describe() if cluster is not None else f"{at_once} at a time"
    what = (
        f"{len(order)} renders for {len(builds)} lectures ({sum(len(b.to_render) for b in builds) - len(order)} shared)"
        if many
        else f"{len(order)} of {len(first.segments)} segments to render"
    )
    err.write(f"{what} at {first.preset.name} {first.preset.describe()}, {first.voice.settings.describe()}, {where}\n")
    err.flush()
    registry = ProcessRegistry()
    progress = Progress(len(order), err)
    threads = thread_share(at_once)
    state: dict[tuple[str, str], str] = dict.fromkeys(order, "queued")
    failures: list[str] = []

    def counts() -> None:  # with several lectures: each one's renders queued, running and done
        if many:
            parts = []
            for b in builds:
                mine = [state[(s.name, b.keys[s.name])] for s in b.to_render]
                said = [f"{mine.count(k)} {k}" for k in ("queued", "running", "failed") if mine.count(k)]
                parts.append(", ".join([*said, f"{mine.count('done')}/{len(mine)} done"]))
            progress.note("lectures: " + "; ".join(f"{b.label} {p}" for b, p in zip(builds, parts, strict=True)))

    def run(item: tuple[str, str]) -> RenderedSegment:  # in a worker thread
        owner, s, name = wanted[item][0], segment[item], shown[item]

        def started(worker: str = "") -> None:
            state[item] = "running"
            progress.started(name, last[s.name].get("animations"), worker)
            counts()

        t = time.perf_counter()
        try:
            if cluster is None:
                started()
                r = render_segment(owner.job(s, threads), registry, lambda n: progress.animations(name, n))
                worker = ""
            else:
                r, worker = cluster.render(owner.job(s, 0), started, lambda n: progress.animations(name, n))
        except LectureError as e:
            state[item] = "failed"
            progress.failed(name, str(e))
            counts()
            raise
        # on a cluster, the time the worker took (not the wait in the scheduler's queue)
        seconds = time.perf_counter() - t if cluster is None else r.render_seconds
        for b in wanted[item]:
            b.seconds[s.name] = seconds
        state[item] = "done"
        progress.finished(name, seconds, r.duration, worker)
        counts()
        return r

    try:
        with ThreadPoolExecutor(max_workers=at_once if cluster is None else len(order)) as pool:
            futures = {pool.submit(run, item): item for item in order}
            pending = set(futures)
            try:
                while pending:
                    finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                    for f in finished:
                        item, exc = futures[f], f.exception()
                        if exc is None:
                            for b in wanted[item]:
                                b.done[item[0]] = f.result()
                            done.add(item)
                            hand_over()
                        elif isinstance(exc, LectureError):
                            failures.append(str(exc))
                        else:
                            raise exc
            except BaseException:
                registry.cancel()  # stop every child before the pool waits for its threads
                if cluster is not None:
                    cluster.cancel()
                for f in futures:
                    f.cancel()
                raise
    finally:
        progress.close()
    if failures:
        more = f" (and {len(failures) - 1} more failed segment(s), listed above)" if len(failures) > 1 else ""
        raise RenderFailed(failures[0] + more)


def _total(rows: list[Row]) -> Fraction:
    return sum((r.duration for r in rows), Fraction(0))
