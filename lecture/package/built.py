"""The lecture folder ``python -m lecture build`` published, as the packages read it.

:func:`read_lecture` checks ``build/lecture/<quality>/`` and lists what a package carries: the page
(``index.html``) and every file it links to (the video, its tracks, the manifest, the chapter
thumbnails), the poster, the question bank (``questions.json``) and its pictures. Nothing is
rendered or rebuilt here: a lecture that was never built is one line naming the command that
builds it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from html import unescape
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from lecture.errors import LectureError
from lecture.page.lecture_page import clock
from lecture.quiz.bank import BANK_FILE, Bank, Question, read_bank

PAGE = "index.html"
"""The lecture's page: the SCO the package launches."""
MANIFEST = "manifest.json"
VIDEO = "lecture.mp4"


class PackageError(LectureError):
    """A lecture that cannot be packaged as it is (not built, a file missing, an output not writable): exit code 2."""


@dataclass(frozen=True)
class BuiltLecture:
    """A built lecture folder and what its packages are made of.

    Attributes
    ----------
    folder : Path
        ``build/lecture/<quality>/``.
    quality : str
        The preset it was built at.
    title : str
        The page's ``<title>``.
    page : str
        ``index.html``'s text.
    manifest : dict
        ``manifest.json`` (its ``segments`` name the chapters).
    files : tuple of str
        Every file a package carries, relative to ``folder`` (POSIX paths, sorted; the page first).
    bank : Bank or None
        ``questions.json`` read and checked; ``None`` for a lecture built before it had questions.
    """

    folder: Path
    quality: str
    title: str
    page: str
    manifest: dict[str, Any]
    files: tuple[str, ...]
    bank: Bank | None

    def chapter_titles(self) -> dict[str, str]:
        """Each chapter's title by its segment name, in lecture order."""
        return {
            str(s["name"]): str(s.get("title") or s["name"])
            for s in self.manifest.get("segments", [])
            if isinstance(s, dict) and "name" in s
        }

    def where_taught(self, q: Question) -> str:
        """Where the lecture teaches ``q``: its chapter's title and the beat's time (``m:ss``); empty if unknown."""
        for s in self.manifest.get("segments", []):
            if isinstance(s, dict) and s.get("name") == q.teaches.segment:
                for b in s.get("beats", []):
                    if isinstance(b, dict) and b.get("name") == q.teaches.beat and "start" in b:
                        at = clock(float(b["start"]))
                        return f"The lecture teaches this in “{s.get('title', s['name'])}” at {at}."
        return ""

    def exported_bank(self) -> Bank:
        """The bank as the LMS formats carry it: each explanation followed by where the lecture teaches it."""
        assert self.bank is not None
        out = []
        for q in self.bank.questions:
            where = self.where_taught(q)
            out.append(replace(q, explanation=f"{q.explanation} {where}") if where else q)
        return replace(self.bank, questions=tuple(out))

    def digest(self) -> str:
        """What the packages are made from, as a SHA-256: the build's key and the bank's digest."""
        bank = self.bank.digest() if self.bank is not None else ""
        key = f"{self.manifest.get('build_key', '')}\n{bank}\n{hashlib.sha256(self.page.encode()).hexdigest()}"
        return hashlib.sha256(key.encode()).hexdigest()

    def questions(self) -> int:
        """How many questions a learner is asked (0 without a bank)."""
        return 0 if self.bank is None else len(self.bank.asked())

    def size(self) -> int:
        """The bytes of every file a package carries."""
        return sum((self.folder / f).stat().st_size for f in self.files)


class _Links(HTMLParser):
    """The ``src``, ``href`` and ``poster`` values of a page, and its ``<title>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title"
        for name, value in attrs:
            if name in ("src", "href", "poster") and value:
                self.links.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def local_file(link: str) -> str | None:
    """The file of the lecture folder that ``link`` names (``lecture.mp4#t=3`` → ``lecture.mp4``).

    ``None`` for a link that names none: in-page anchors, ``data:`` URLs, other sites, absolute paths.
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = PurePosixPath(unquote(parts.path))
    if ".." in path.parts:
        return None
    return path.as_posix()


def page_links(page: str) -> tuple[str, list[str]]:
    """The page's title and the files of its folder it links to (each once, in order)."""
    parser = _Links()
    parser.feed(page)
    parser.close()
    files: list[str] = []
    for link in parser.links:
        f = local_file(link)
        if f is not None and f not in files:
            files.append(f)
    return unescape(" ".join(parser.title.split())), files


def never_built(folder: Path, quality: str, missing: str) -> PackageError:
    """The error of a lecture folder without its page or manifest."""
    return PackageError(
        f"no built lecture in {folder} ({missing} is missing); run `python -m lecture build --quality {quality}` first"
    )


def read_lecture(folder: Path, quality: str) -> BuiltLecture:
    """Read and check the lecture ``folder`` built at ``quality``.

    Raises
    ------
    PackageError
        The lecture was never built there, or a file its page links to is missing.
    lecture.quiz.bank.QuestionBankError
        ``questions.json`` is not a valid bank (:func:`lecture.quiz.bank.read_bank`'s line).
    """
    for required in (PAGE, MANIFEST, VIDEO):
        if not (folder / required).is_file():
            raise never_built(folder, quality, required)
    try:
        page = (folder / PAGE).read_text(encoding="utf-8")
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PackageError(
            f"{folder}: the built lecture cannot be read ({e}); run `python -m lecture build --quality {quality}` again"
        ) from None
    if not isinstance(manifest, dict):
        raise never_built(folder, quality, f"a valid {MANIFEST}")
    title, linked = page_links(page)
    bank = read_bank(folder / BANK_FILE) if (folder / BANK_FILE).is_file() else None
    files = [PAGE, *linked]
    named = manifest.get("files", {})
    if isinstance(named, dict):
        files += [str(f) for f in named.values() if isinstance(f, str)]
    if bank is not None:
        files.append(BANK_FILE)
        for q in bank.questions:
            files += [p.file for p in (q.picture, *(c.picture for c in q.choices)) if p is not None]
    unique = list(dict.fromkeys(files))
    for f in unique:
        if not (folder / f).is_file():
            raise PackageError(
                f"{folder / f} is missing (the page or {MANIFEST} names it); "
                f"run `python -m lecture build --quality {quality}` again"
            )
    ordered = (PAGE, *sorted(f for f in unique if f != PAGE))
    return BuiltLecture(
        folder, quality, title or (bank.lecture if bank else "") or "Lecture", page, manifest, ordered, bank
    )
