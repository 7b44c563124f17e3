"""``python -m lecture package``: a built lecture and its questions as an LMS imports them.

``python -m lecture package [--quality preview|course|hd60] [--format scorm,gift,qti] [--out DIR]``
reads ``build/lecture/<quality>/`` (:func:`lecture.package.built.read_lecture`; it builds nothing)
and writes into ``build/package/<quality>/`` (or ``--out``):

- ``lecture-scorm12.zip``: the lecture as a SCORM 1.2 package (:mod:`lecture.package.scorm`), its
  quiz's score and pass or fail reported to the LMS;
- ``questions.gift.txt``: the questions as Moodle GIFT (:mod:`lecture.package.gift`);
- ``questions-qti.zip``: the questions as the QTI 1.2 zip Canvas imports (:mod:`lecture.package.qti`).

Every file is written under a temporary name beside its final one, and renamed only once all of
them are written: bad input (a lecture never built, an invalid ``questions.json``, an output folder
that cannot be written) is one line, exit code 2, and leaves the previous package as it was.
A lecture built before it had questions (no ``questions.json``) gets its SCORM package only,
unless GIFT or QTI is asked for by name, which is then an error.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from lecture.package.built import BuiltLecture, PackageError, read_lecture
from lecture.package.gift import gift_text
from lecture.package.qti import write_qti
from lecture.package.scorm import MASTERY, write_scorm
from lecture.quiz.bank import BANK_FILE
from lecture.settings import load_render_settings
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_RENDER_CONFIG

FORMATS = ("scorm", "gift", "qti")
"""What a package can be written as, in the order they are written."""
FILES = {"scorm": "lecture-scorm12.zip", "gift": "questions.gift.txt", "qti": "questions-qti.zip"}
"""Each format's file in the output folder."""
QUESTION_FORMATS = ("gift", "qti")
"""The formats made from ``questions.json`` alone."""


def parse_formats(text: str) -> tuple[str, ...]:
    """``"qti,scorm"`` → ``("scorm", "qti")``: each named format once, in :data:`FORMATS` order.

    Raises
    ------
    PackageError
        On an empty list or an unknown format.
    """
    names = [n.strip() for n in text.split(",") if n.strip()]
    allowed = ", ".join(FORMATS)
    if not names:
        raise PackageError(f"--format needs one or more of {allowed}, separated by commas")
    for n in names:
        if n not in FORMATS:
            raise PackageError(f"unknown format {n!r} in --format; use {allowed} (any of them, separated by commas)")
    return tuple(f for f in FORMATS if f in names)


def parse_mastery(text: str) -> int:
    """``--mastery``: a whole percentage from 0 to 100.

    Raises
    ------
    PackageError
        Otherwise.
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100:
        raise PackageError(f"--mastery {text!r} is not allowed; use a whole percentage from 0 to 100")
    return value


@dataclass(frozen=True)
class PackageOptions:
    """What ``python -m lecture package`` was asked for.

    Attributes
    ----------
    quality : str or None
        The preset whose lecture is packaged (``None``: the render settings' default).
    formats : tuple of str or None
        Some of :data:`FORMATS`; ``None``: all that the lecture has the material for.
    out : Path or None
        The output folder (``None``: ``<build dir>/package/<quality>/``).
    mastery : int
        The SCORM package's mastery score, in percent of the questions right.
    render_config, build_dir : Path
        As for ``python -m lecture build``.
    """

    quality: str | None = None
    formats: tuple[str, ...] | None = None
    out: Path | None = None
    mastery: int = MASTERY
    render_config: Path = DEFAULT_RENDER_CONFIG
    build_dir: Path = DEFAULT_BUILD_DIR


@dataclass
class PackageReport:
    """What a run wrote."""

    lecture: Path
    out: Path
    written: dict[str, Path] = field(default_factory=dict)
    questions: int = 0
    skipped: list[str] = field(default_factory=list)
    why: str = ""

    def describe(self) -> str:
        """The closing line: what was written where (and what was not, and why)."""
        names = ", ".join(p.name for p in self.written.values())
        line = f"packaged {self.lecture} into {self.out}: {names}"
        if self.skipped:
            line += f" ({self.why}: {' and '.join(f.upper() for f in self.skipped)} not written)"
        return line


def temporary(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place (the same folder, so the rename is atomic)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def check_out(folder: Path) -> None:
    """Create the output folder if needed and prove it can take a new file.

    Raises
    ------
    PackageError
        Naming the folder, the system's reason and the fix.
    """
    probe = temporary(folder / ".write-test")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise PackageError(
            f"cannot write to the output folder {folder} ({err.strerror or err}); "
            "make it writable or choose another folder with --out"
        ) from None


def make_package(opts: PackageOptions, err: TextIO | None = None) -> PackageReport:
    """Write the packages of the built lecture ``opts`` names; see the module docstring.

    Raises
    ------
    LectureError
        Bad input, one line (exit code 2); nothing of the previous package is changed.
    """
    err = err or sys.stderr

    def say(text: str) -> None:
        err.write(f"package: {text}\n")
        err.flush()

    preset = load_render_settings(opts.render_config).preset(opts.quality)
    folder = opts.build_dir / "lecture" / preset.name
    lecture = read_lecture(folder, preset.name)
    formats = opts.formats or FORMATS
    skipped: list[str] = []
    have = f"no {BANK_FILE}" if lecture.bank is None else f"no question to ask in {BANK_FILE}"
    if lecture.questions() == 0:
        named = [f for f in QUESTION_FORMATS if opts.formats and f in opts.formats]
        if named:
            raise PackageError(
                f"{folder} has {have}, which {' and '.join(n.upper() for n in named)} is made of; "
                f"rebuild it with `python -m lecture build --quality {preset.name}`, or leave out --format"
            )
        skipped = [f for f in formats if f in QUESTION_FORMATS]
        formats = tuple(f for f in formats if f not in QUESTION_FORMATS)
    out = opts.out if opts.out is not None else opts.build_dir / "package" / preset.name
    check_out(out)
    say(
        f"{folder}: {lecture.title!r}, {len(lecture.files)} files ({lecture.size() / 1e6:.1f} MB), "
        f"{lecture.questions()} questions"
    )

    report = PackageReport(folder, out, questions=lecture.questions(), skipped=skipped, why=have)
    writers: dict[str, Callable[[Path], str]] = {
        "scorm": lambda tmp: _scorm(lecture, tmp, opts.mastery),
        "gift": lambda tmp: _gift(lecture, tmp),
        "qti": lambda tmp: _qti(lecture, tmp),
    }
    staged: dict[str, Path] = {}
    try:
        for f in formats:
            t0 = time.perf_counter()
            tmp = temporary(out / FILES[f])
            staged[f] = tmp
            what = writers[f](tmp)
            say(f"{FILES[f]}: {what} ({time.perf_counter() - t0:.1f} s)")
        for f, tmp in staged.items():  # every file is whole: only now does any replace the previous one
            os.replace(tmp, out / FILES[f])
            report.written[f] = out / FILES[f]
    except OSError as e:
        raise PackageError(
            f"cannot write {e.filename or out} ({e.strerror or e}); free some space or choose another folder with --out"
        ) from None
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
    return report


def _scorm(lecture: BuiltLecture, tmp: Path, mastery: int) -> str:
    files = write_scorm(lecture, tmp, mastery)
    return f"SCORM 1.2, {len(files)} files, mastery score {mastery} ({tmp.stat().st_size / 1e6:.1f} MB)"


def _gift(lecture: BuiltLecture, tmp: Path) -> str:
    assert lecture.bank is not None
    bank = lecture.exported_bank()
    tmp.write_text(gift_text(bank, lecture.folder, lecture.title, lecture.chapter_titles()), encoding="utf-8")
    return f"GIFT, {lecture.questions()} questions"


def _qti(lecture: BuiltLecture, tmp: Path) -> str:
    assert lecture.bank is not None
    pictures = write_qti(lecture.exported_bank(), lecture.folder, lecture.title, tmp, str(lecture.folder / BANK_FILE))
    return f"QTI 1.2 for Canvas, {lecture.questions()} questions, {pictures} pictures"
