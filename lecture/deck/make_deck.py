"""``python -m lecture slides``: the lecture as a deck that advances one beat at a time, to teach it live.

``python -m lecture slides [--quality preview|course|hd60] [--segments A,B] [--format html,pptx]``
writes ``build/slides/<quality>/``:

- ``index.html``, a reveal.js deck: every beat of every segment is one step that plays the beat's
  clip and stops on its last frame; → / space / a click go on, ← goes back, ``R`` replays the
  beat, ``K`` pauses or resumes it, ``S`` opens reveal.js's speaker view. The chapters are the
  deck's columns (``Esc`` shows them side by side) and an outline under the picture; each beat's
  speaker notes hold its chapter, its caption (its spoken line too, once the scene record's lines
  carry one) and where it is in the lecture; a chapter's first beat's notes and the outline say what
  the run is (:func:`lecture.deck.steps.run_words`: "a network with two hidden layers of 10 and 5
  units (ReLU), trained by full-batch gradient descent"). After a chapter's last beat come its
  "check your understanding" questions, one slide each (:mod:`lecture.deck.questions`): the
  prompt, its picture, the choices lettered A, B, C... (with their pictures for "which picture"
  questions) or "Your answer: ___"; the next step reveals the answer (the right choice framed,
  ticked and in bold, "Answer: B — ...", a number with its tolerance, the explanation), and the
  notes hold the answer, the explanation, what each wrong choice shows and where the lecture
  teaches it. It works opened from disk: reveal.js is copied into the deck from ``node_modules/``
  (vendored from npm by ``scripts/vendor.sh``), every path is relative, and the page makes no
  request outside its folder;
- ``lecture.pptx`` (:mod:`lecture.deck.powerpoint`): one slide per beat with its clip (playing as
  the slide appears) and its notes, each question after its chapter as a question slide then an
  answer slide, the chapters as PowerPoint sections;
- ``clips/`` (the page's videos and their first frames), ``questions/`` (the questions' pictures,
  with the page) and ``manifest.json`` (every step: its chapter, beat, lecture time, frames, clip,
  how the clip was cut, its notes; every question: its chapter, the step it follows, its answer).

The questions are the lecture folder's ``questions.json`` (:mod:`lecture.quiz.bank`: every asked
question of a chapter the deck has, in the bank's order) and the pictures it names under
``questions/``; a lecture without ``questions.json`` (built before there were questions) makes the
deck of its beats alone, and one whose ``questions.json`` is not valid stops the run with the
bank's one-line error (exit code 2) once the lecture is built, before the deck is touched.

It re-uses the lecture's renders: it first runs the lecture build for the same quality, config and
segments (:func:`lecture.pipeline.build`: nothing to do when the lecture is up to date, otherwise it
renders what is missing and publishes the lecture too), then cuts every render into one clip per
beat by copying its compressed frames (:mod:`lecture.deck.clips`, cached per render), so a deck costs
a fraction of the lecture. A deck whose inputs (the lecture's build key, its question bank and
pictures, the formats, this code, the vendored reveal.js) have not changed is left as it is. The
deck is assembled in ``build/slides/.staging-<quality>-<pid>/`` and swapped in at once
(:mod:`lecture.assemble.publish`), so an interrupted run leaves the previous deck whole; bad input
is one line and exit code 2 before anything is written.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import io
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

import av

from lecture import preflight
from lecture.assemble import publish
from lecture.assemble.timeline import read_scene_record
from lecture.deck import clips as cliplib
from lecture.deck.questions import Asked, asked_after, copy_pictures, questions_key, read_questions
from lecture.deck.reveal_page import deck_html
from lecture.deck.steps import Step, run_words
from lecture.errors import LectureError
from lecture.pipeline import BuildOptions, BuildReport, build
from lecture.progress import fmt_seconds
from lecture.quiz.bank import BANK_FILE
from lecture.render.cache import load_cached
from lecture.render.inputs import digest_json, sha256_file, tree_files
from lecture.settings import Preset, load_render_settings

FORMATS = ("html", "pptx")
"""What a deck can be written as: the reveal.js page and the PowerPoint file."""

DECK_FORMAT = 1
"""Version of the deck's ``manifest.json`` layout."""

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VENDOR_DIR = REPO / "node_modules" / "reveal.js"
"""Where ``scripts/vendor.sh`` installs reveal.js (``npm ci`` from ``package-lock.json``)."""

REVEAL_FILES = {
    "reveal/reset.css": "dist/reset.css",
    "reveal/reveal.css": "dist/reveal.css",
    "reveal/theme/black.css": "dist/theme/black.css",
    "reveal/reveal.js": "dist/reveal.js",
    "reveal/plugin/notes.js": "dist/plugin/notes.js",
    "reveal/LICENSE": "LICENSE",
}
"""What a deck copies from the vendored reveal.js: its file in the deck → its file in the package."""

SPOKEN = "spoken"
"""The key of a scene record's line that holds its spoken form, when it has one (the narrated lecture)."""

CODE_SUFFIXES = (".py", ".html", ".js", ".css")
"""The deck's own code (this package, its templates, :mod:`lecture.templating`), part of its key."""


@dataclass
class DeckOptions:
    """What ``python -m lecture slides`` was asked for: the lecture build's options, and the formats."""

    build: BuildOptions = field(default_factory=BuildOptions)
    formats: tuple[str, ...] = FORMATS


@dataclass(frozen=True)
class DeckReport:
    """What a run did (tests and the benchmark read it)."""

    output: Path
    steps: int
    up_to_date: bool
    wall: float
    lecture: BuildReport
    clips_cut: int
    clips_reused: int


def deck_code() -> list[Path]:
    """The files of the deck's own code, in a fixed order: this package with its templates, and the templating."""
    files = [p for p in tree_files(HERE) if p.suffix in CODE_SUFFIXES]
    return [*files, REPO / "lecture" / "templating.py"]


# --- inputs ----------------------------------------------------------------------------------------


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html,pptx"`` → ``("html", "pptx")``, in that order, each once.

    Raises
    ------
    LectureError
        On an empty list or a format other than ``html`` and ``pptx``.
    """
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise LectureError("--format needs html, pptx or both (html,pptx)")
    for n in names:
        if n not in FORMATS:
            raise LectureError(f"unknown format {n!r} in --format; use html, pptx or both (html,pptx)")
    return tuple(f for f in FORMATS if f in names)


@dataclass(frozen=True)
class Vendored:
    """The vendored reveal.js: its version and the files a deck copies (deck path → installed file)."""

    version: str
    files: dict[str, Path]

    def digest(self) -> str:
        """Digest of the files a deck copies."""
        return digest_json({dest: sha256_file(src) for dest, src in sorted(self.files.items())})


def vendored_reveal(vendor_dir: Path = VENDOR_DIR) -> Vendored:
    """The reveal.js that ``scripts/vendor.sh`` installed, checked against ``package-lock.json``.

    Raises
    ------
    LectureError
        If it is missing or is not the locked version: the message names the command that installs it.
    """
    fix = "install it with: bash scripts/vendor.sh (make setup runs it)"
    try:
        lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
        want = lock["packages"]["node_modules/reveal.js"]["version"]
    except (OSError, ValueError, KeyError, TypeError):
        want = None
    try:
        have = json.loads((vendor_dir / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        raise LectureError(f"reveal.js is not vendored ({vendor_dir} is missing); {fix}") from None
    files = {dest: vendor_dir / src for dest, src in REVEAL_FILES.items()}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise LectureError(f"the vendored reveal.js is incomplete ({missing[0]} is missing); {fix}")
    if want is not None and have != want:
        raise LectureError(f"the vendored reveal.js is {have}, package-lock.json pins {want}; {fix}")
    return Vendored(str(have), files)


def check_pptx() -> str:
    """The installed python-pptx's version (without importing it).

    Raises
    ------
    LectureError
        If it is not installed.
    """
    try:
        return importlib.metadata.version("python-pptx")
    except importlib.metadata.PackageNotFoundError:
        raise LectureError(
            "python-pptx is not installed (the PowerPoint deck needs it); run make setup, "
            "or ask for the page only with --format html"
        ) from None


# --- the run -----------------------------------------------------------------------------------------


def make_deck(opts: DeckOptions, out: TextIO | None = None, err: TextIO | None = None) -> DeckReport:
    """Build the deck (see the module docstring).

    Raises
    ------
    LectureError
        Bad input or a missing tool (exit 2), a failed render, stitch or cut (exit 1). The previous
        deck is left as it was.
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after temporary files are removed.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    t0 = time.perf_counter()
    formats = parse_formats(",".join(opts.formats))

    # 1. What can be wrong before anything is written (the lecture build checks the rest).
    settings = load_render_settings(opts.build.render_config)
    preset = settings.preset(opts.build.quality)
    settings.lecture(opts.build.segments)
    reveal = vendored_reveal() if "html" in formats else None
    pptx_version = check_pptx() if "pptx" in formats else None
    slides_dir = opts.build.build_dir / "slides"
    clips_dir = opts.build.build_dir / "clips" / preset.name
    for folder in (slides_dir, clips_dir):
        preflight.check_writable(folder)

    # 2. One run per preset and folder; undo what an interrupted one left.
    lock = publish.FolderLock(
        opts.build.build_dir / ".locks" / f"slides-{preset.name}.lock",
        f"another slides run for the {preset.name!r} lecture is running in {opts.build.build_dir}; wait for it",
    )
    try:
        out_dir = slides_dir / preset.name
        publish.recover(out_dir)
        cliplib.clean_stale(clips_dir)
        deck = _Deck(opts, preset, formats, reveal, pptx_version, out_dir, clips_dir, out, err)
        return deck.run(t0)
    finally:
        lock.release()


class _Deck:
    """Steps 3 to 6 of :func:`make_deck`, run while the lock is held."""

    def __init__(
        self,
        opts: DeckOptions,
        preset: Preset,
        formats: tuple[str, ...],
        reveal: Vendored | None,
        pptx_version: str | None,
        out_dir: Path,
        clips_dir: Path,
        out: TextIO,
        err: TextIO,
    ) -> None:
        self.opts, self.preset, self.formats, self.reveal, self.pptx_version = (
            opts,
            preset,
            formats,
            reveal,
            pptx_version,
        )
        self.out_dir, self.clips_dir, self.out, self.err = out_dir, clips_dir, out, err

    def say(self, text: str) -> None:
        """One line of progress on stderr."""
        self.err.write(text + "\n")
        self.err.flush()

    def run(self, t0: float) -> DeckReport:
        """Ensure the lecture, decide whether the deck is up to date, cut the clips, write and publish."""
        # 3. The lecture of this quality, config and segments: rendered and published by its own build.
        table = io.StringIO()
        options = dataclasses.replace(self.opts.build, quality=self.preset.name)
        lecture = build(options, out=table, err=self.err)
        if lecture.up_to_date:
            self.say(f"lecture: {lecture.output / 'lecture.mp4'} is up to date ({len(lecture.rows)} segments)")
        else:
            self.say(table.getvalue().rstrip())
        self.lecture = lecture
        self.manifest = publish.read_json_object(lecture.output / "manifest.json")
        segments = self.manifest.get("segments")
        if not isinstance(segments, list) or not segments:
            raise LectureError(f"{lecture.output / 'manifest.json'} lists no segments; rebuild the lecture")
        self.bank = read_questions(lecture.output)  # the bank the build published; an invalid one stops here

        # 4. Up to date?
        self.key = self.deck_key(segments)
        previous = publish.read_json_object(self.out_dir / "manifest.json")
        if self.up_to_date(previous):
            wall = time.perf_counter() - t0
            self.out.write(f"{self.out_dir} is up to date: {previous.get('steps_count', '?')} steps ({wall:.1f} s)\n")
            return DeckReport(self.out_dir, int(previous.get("steps_count", 0)), True, wall, lecture, 0, 0)

        # 5. The clips of every render (cached), the steps, the files; 6. publish.
        t_clips = time.perf_counter()
        steps, cut, reused = self.steps(segments)
        self.clip_seconds = time.perf_counter() - t_clips
        asked = asked_after(self.bank, steps)
        files = self.assemble(steps, asked)
        cliplib.prune(self.clips_dir, {s["name"]: cliplib.clips_key(s["input_hash"]) for s in segments})
        wall = time.perf_counter() - t0
        written = " and ".join(f for f in ("index.html", "lecture.pptx") if f in files)
        plural = "s" if len(asked) != 1 else ""
        questions = f" and {len(asked)} question{plural}" if asked else ""
        self.out.write(
            f"wrote {self.out_dir}: {written}, {len(steps)} steps in {len(segments)} chapters{questions} "
            f"({cut} clip sets cut, {reused} reused; {fmt_seconds(wall)}, of which the lecture "
            f"{fmt_seconds(lecture.wall)})\n"
        )
        return DeckReport(self.out_dir, len(steps), False, wall, lecture, cut, reused)

    def deck_key(self, segments: list[dict[str, Any]]) -> str:
        """Everything the deck is made from: the lecture's build key and renders, the formats, the code, reveal.js."""
        return digest_json(
            {
                "format": DECK_FORMAT,
                "lecture": self.manifest.get("build_key"),
                "questions": questions_key(self.bank, self.lecture.output),
                "segments": [[s.get("name"), s.get("title"), s.get("input_hash")] for s in segments],
                "formats": list(self.formats),
                "code": [sha256_file(p) for p in deck_code()],
                "reveal": self.reveal.digest() if self.reveal else None,
                "pptx": self.pptx_version,
            }
        )

    def up_to_date(self, previous: dict[str, Any]) -> bool:
        """Whether the published deck was made from the same inputs and is complete."""
        if previous.get("deck_key") != self.key:
            return False
        files = previous.get("files", {})
        if not isinstance(files, dict):
            return False
        for name, size in files.items():
            try:
                if (self.out_dir / name).stat().st_size != size:
                    return False
            except OSError:
                return False
        return bool(files)

    def steps(self, segments: list[dict[str, Any]]) -> tuple[list[Step], int, int]:
        """Every beat of the lecture as a step, its clip from the cache or cut now."""
        seg_dir = self.opts.build.build_dir / "segments" / self.preset.name
        steps: list[Step] = []
        cut = reused = 0
        for chapter, s in enumerate(segments, start=1):
            name, key = str(s["name"]), str(s["input_hash"])
            rendered = load_cached(seg_dir, name, key)
            if rendered is None:
                raise LectureError(
                    f"the render of segment {name!r} that {self.lecture.output / 'manifest.json'} names is not "
                    f"in {seg_dir}; run python -m lecture slides again"
                )
            record = read_scene_record(rendered.record)
            fps = Fraction(self.preset.fps)
            cuts = cliplib.beat_cuts(record, rendered.frames, fps)
            made = cliplib.ensure_clips(self.clips_dir, name, key, rendered.video, cuts, self.preset)
            if made.reused:
                reused += 1
            else:
                cut += 1
                methods, count = [c.method for c in made.clips], len(made.clips)
                self.say(
                    f"clips: {name}: {count} beat{'s' if count != 1 else ''} cut in {made.seconds:.1f} s "
                    f"({methods.count('remux')} copied, {methods.count('re-encode')} re-encoded)"
                )
            beats = (record or {}).get("beats") or []
            start = Fraction(str(s.get("start", 0)))
            for n, clip in enumerate(made.clips, start=1):
                lines = beats[clip.index].get("lines", []) if clip.index < len(beats) else []
                captions = tuple(str(ln.get("text", "")) for ln in lines if ln.get("text"))
                spoken = tuple(
                    str(ln[SPOKEN])
                    for ln in lines
                    if isinstance(ln.get(SPOKEN), str) and ln[SPOKEN] and ln[SPOKEN] != ln.get("text")
                )
                steps.append(
                    Step(
                        number=len(steps) + 1,
                        chapter=chapter,
                        segment=name,
                        title=str(s.get("title", name)),
                        beat=clip.beat,
                        beat_number=n,
                        beats=len(made.clips),
                        start=start + Fraction(clip.first) / fps,
                        clip=clip,
                        folder=made.folder,
                        captions=captions,
                        spoken=spoken,
                    )
                )
        return steps, cut, reused

    def title_and_facts(self) -> tuple[str, list[str]]:
        """The lecture's title and facts, as its video's metadata holds them."""
        try:
            with av.open(str(self.lecture.output / "lecture.mp4")) as c:
                meta = dict(c.metadata)
        except (av.FFmpegError, OSError):
            meta = {}
        title = meta.get("title") or "The lecture"
        facts = [f for f in meta.get("comment", "").split("; ") if f]
        return title, facts

    def assemble(self, steps: list[Step], asked: list[Asked]) -> dict[str, int]:
        """Write the deck into a staging folder and swap it in; return its files and their sizes."""
        staging = publish.staging_path(self.out_dir)
        staging.mkdir(parents=True)
        title, facts = self.title_and_facts()
        run = run_words(str((self.manifest.get("history") or {}).get("file", "")))
        size = (self.preset.width, self.preset.height)
        try:
            files: dict[str, int] = {}
            timings: dict[str, float] = {"clips": round(self.clip_seconds, 3)}
            if "html" in self.formats:
                assert self.reveal is not None
                t = time.perf_counter()
                (staging / "clips").mkdir()
                for st in steps:
                    for src, ext in ((st.clip.file, ".mp4"), (st.clip.poster, ".jpg")):
                        dest = f"clips/{st.stem}{ext}"
                        _link_or_copy(st.folder / src, staging / dest)
                        files[dest] = (staging / dest).stat().st_size
                for dest, vendored in self.reveal.files.items():
                    (staging / dest).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(vendored, staging / dest)
                    files[dest] = (staging / dest).stat().st_size
                files.update(copy_pictures(asked, self.lecture.output, staging))
                page = deck_html(title, facts, steps, size, self.reveal.version, run, asked)
                (staging / "index.html").write_text(page, encoding="utf-8")
                files["index.html"] = (staging / "index.html").stat().st_size
                timings["html"] = round(time.perf_counter() - t, 3)
            if "pptx" in self.formats:
                from lecture.deck.powerpoint import write_pptx  # imports python-pptx only when asked for

                t = time.perf_counter()
                self.say(f"writing lecture.pptx ({len(steps) + 2 * len(asked)} slides)")
                write_pptx(staging / "lecture.pptx", title, facts, steps, size, run, asked, self.lecture.output)
                files["lecture.pptx"] = (staging / "lecture.pptx").stat().st_size
                timings["pptx"] = round(time.perf_counter() - t, 3)
            manifest = self.deck_manifest(steps, asked, files, timings)
            (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            publish.publish(staging, self.out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return files

    def deck_manifest(
        self, steps: list[Step], asked: list[Asked], files: dict[str, int], timings: dict[str, float]
    ) -> dict[str, Any]:
        """The deck's ``manifest.json``: what it was made from, every step and every question."""
        m, p = self.manifest, self.preset
        chapters = []
        for st in steps:
            if st.beat_number == 1:
                chapters.append(
                    {"number": st.chapter, "segment": st.segment, "title": st.title, "first_step": st.number}
                )
            chapters[-1]["steps"] = st.beat_number
        for c in chapters:
            c["questions"] = sum(a.chapter == c["number"] for a in asked)
        return {
            "format": DECK_FORMAT,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "deck_key": self.key,
            "quality": p.name,
            "preset": {"width": p.width, "height": p.height, "fps": p.fps},
            "formats": list(self.formats),
            "lecture": {
                "folder": str(self.lecture.output),
                "build_key": m.get("build_key"),
                "seconds": round(self.lecture.wall, 3),
                "up_to_date": self.lecture.up_to_date,
            },
            "config": m.get("config"),
            "history": m.get("history"),
            "reveal": {"version": self.reveal.version, "from": "node_modules/reveal.js"} if self.reveal else None,
            "python_pptx": self.pptx_version,
            "steps_count": len(steps),
            "questions_file": str(self.lecture.output / BANK_FILE) if self.bank is not None else None,
            "questions_count": len(asked),
            "chapters": chapters,
            "steps": [
                {
                    "step": st.number,
                    "chapter": st.chapter,
                    "segment": st.segment,
                    "beat": st.beat,
                    "start": round(float(st.start), 6),
                    "duration": round(float(st.duration), 6),
                    "frames": st.clip.frames,
                    "first_frame": st.clip.first,
                    "clip": f"clips/{st.stem}.mp4" if "html" in self.formats else None,
                    "cut": st.clip.method,
                    "captions": list(st.captions),
                    "spoken": list(st.spoken),
                    "notes": st.notes(),
                }
                for st in steps
            ],
            "questions": [
                {
                    "id": a.question.id,
                    "chapter": a.chapter,
                    "segment": a.after.segment,
                    "number": a.number,
                    "after_step": a.after.number,
                    "kind": a.question.kind,
                    "answer": a.answer(),
                    "teaches": {"segment": a.question.teaches.segment, "beat": a.question.teaches.beat},
                    "pictures": [pic.file for pic in a.pictures()],
                    "notes": a.notes(),
                }
                for a in asked
            ],
            "timings": timings,
            "files": files,
        }


def _link_or_copy(src: Path, dest: Path) -> None:
    """A hard link to the cached file (no copy, no space), or a copy across file systems."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copyfile(src, dest)
