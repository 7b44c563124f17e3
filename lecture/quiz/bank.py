"""The question bank, ``questions.json`` in the lecture folder: its schema, reading, checking, merging.

``python -m lecture build`` writes ``build/lecture/<quality>/questions.json`` beside ``lecture.mp4``
(:func:`lecture.quiz.questions.generate` makes the questions from the run); the page, the deck and
``python -m lecture package`` read it. An author may edit it: change a question's wording, its
choices or its explanation, set ``"dropped": true`` to leave a question out, or add questions of
their own (``"origin": "author"``). The next build keeps every edit whose question the run still
generates the same (:func:`merge`); when the run changed what an edited question asks about, the
build writes the new question, keeps the edit under ``"stale"`` for the author to compare, and
says so. The schema is ``docs/questions.md``; in short::

    {"format": 1, "lecture": "<title>", "history": "<history digest>",
     "questions": [
       {"id": "matrix_algebra.w1_shape", "chapter": "matrix_algebra", "kind": "choice",
        "prompt": "...", "picture": null,
        "choices": [{"text": "4 × 2", "correct": true, "feedback": "...", "picture": null}, ...],
        "explanation": "...", "teaches": {"segment": "matrix_algebra", "beat": "stack"},
        "origin": "generated", "source": "<sha256 of the question as generated>", "dropped": false},
       {"id": "...", "kind": "numeric", "answer": -0.0071, "tolerance": 0.0005, "unit": "", ...}]}

A picture is ``{"file": "questions/<name>.png", "alt": "<what it shows, in words>"}``, relative to the
lecture folder. Every check names the file, the question and the key, and raises
:class:`QuestionBankError` (exit code 2).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from lecture.errors import LectureError

BANK_FORMAT = 1
"""The schema version :func:`read_bank` reads and :func:`write_bank` writes."""
BANK_FILE = "questions.json"
"""The bank's name in the lecture folder."""
PICTURES = "questions"
"""The folder of the questions' pictures, beside the bank."""
KINDS = ("choice", "numeric")
ORIGINS = ("generated", "author")
EDITABLE = ("chapter", "kind", "prompt", "picture", "choices", "answer", "tolerance", "unit", "explanation", "teaches")
"""The keys whose values make a question what it is: its ``source`` digest covers exactly these."""


class QuestionBankError(LectureError):
    """A question bank that is not valid: one line naming the file, the question and the key; exit code 2."""


@dataclass(frozen=True)
class Picture:
    """A picture of a question or a choice: a PNG beside the bank and its text alternative."""

    file: str
    alt: str

    def to_json(self) -> dict[str, str]:
        """The picture as the bank writes it."""
        return {"file": self.file, "alt": self.alt}


@dataclass(frozen=True)
class Choice:
    """One answer of a multiple-choice question, with the feedback a learner who picks it reads.

    A wrong choice is a mistake learners make (a transposed shape, a forgotten ``1/m``, a sign
    flipped...), and its feedback names that mistake.
    """

    text: str
    correct: bool
    feedback: str
    picture: Picture | None = None

    def to_json(self) -> dict[str, Any]:
        """The choice as the bank writes it."""
        return {
            "text": self.text,
            "correct": self.correct,
            "feedback": self.feedback,
            "picture": None if self.picture is None else self.picture.to_json(),
        }


@dataclass(frozen=True)
class Teaches:
    """Where the lecture teaches what a question asks: a segment and one of its beats."""

    segment: str
    beat: str


@dataclass(frozen=True)
class Question:
    """One question of the bank (see the module docstring for its JSON form).

    ``kind`` is ``"choice"`` (``choices``, exactly one correct) or ``"numeric"`` (``answer``, right
    within ``tolerance``, in ``unit``). ``source`` is the digest of the question as generated
    (:func:`source_digest`); an author's own question has none.
    """

    id: str
    chapter: str
    kind: Literal["choice", "numeric"]
    prompt: str
    explanation: str
    teaches: Teaches
    choices: tuple[Choice, ...] = ()
    answer: float | None = None
    tolerance: float | None = None
    unit: str = ""
    picture: Picture | None = None
    origin: Literal["generated", "author"] = "generated"
    source: str | None = None
    dropped: bool = False
    stale: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def correct(self) -> Choice:
        """The right choice of a multiple-choice question."""
        return next(c for c in self.choices if c.correct)

    def content(self) -> dict[str, Any]:
        """The keys of :data:`EDITABLE` as JSON: what an author edits and what ``source`` digests."""
        d = self.to_json()
        return {k: d[k] for k in EDITABLE if k in d}

    def to_json(self) -> dict[str, Any]:
        """The question as the bank writes it."""
        d: dict[str, Any] = {
            "id": self.id,
            "chapter": self.chapter,
            "kind": self.kind,
            "prompt": self.prompt,
            "picture": None if self.picture is None else self.picture.to_json(),
        }
        if self.kind == "choice":
            d["choices"] = [c.to_json() for c in self.choices]
        else:
            d["answer"] = self.answer
            d["tolerance"] = self.tolerance
            d["unit"] = self.unit
        d["explanation"] = self.explanation
        d["teaches"] = {"segment": self.teaches.segment, "beat": self.teaches.beat}
        d["origin"] = self.origin
        if self.source is not None:
            d["source"] = self.source
        d["dropped"] = self.dropped
        if self.stale is not None:
            d["stale"] = self.stale
        return d

    def edited(self) -> bool:
        """Whether an author changed a generated question (its content no longer matches ``source``)."""
        return self.origin == "generated" and self.source != source_digest(self)


def source_digest(q: Question) -> str:
    """The SHA-256 of the question's :meth:`~Question.content`, as canonical JSON."""
    text = json.dumps(q.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def generated(q: Question) -> Question:
    """``q`` stamped as generated, with the digest of its content as its ``source``."""
    return replace(q, origin="generated", source=source_digest(q), dropped=False, stale=None)


@dataclass(frozen=True)
class Bank:
    """A question bank: the lecture's title, the digest of the history it was made from, its questions."""

    lecture: str
    history: str
    questions: tuple[Question, ...]

    def asked(self) -> list[Question]:
        """The questions a learner sees: every one not dropped, in the bank's order."""
        return [q for q in self.questions if not q.dropped]

    def by_chapter(self, chapters: Sequence[str]) -> dict[str, list[Question]]:
        """The asked questions of each of ``chapters`` (every chapter a key, in order)."""
        out: dict[str, list[Question]] = {c: [] for c in chapters}
        for q in self.asked():
            if q.chapter in out:
                out[q.chapter].append(q)
        return out

    def to_json(self) -> dict[str, Any]:
        """The bank as ``questions.json`` holds it."""
        return {
            "format": BANK_FORMAT,
            "lecture": self.lecture,
            "history": self.history,
            "questions": [q.to_json() for q in self.questions],
        }

    def digest(self) -> str:
        """The SHA-256 of the bank as written: what the page was made from."""
        return hashlib.sha256(bank_text(self).encode()).hexdigest()


def bank_text(bank: Bank) -> str:
    """The bank as ``questions.json``'s text."""
    return json.dumps(bank.to_json(), indent=2, ensure_ascii=False) + "\n"


def write_bank(bank: Bank, folder: Path) -> Path:
    """Write ``folder/questions.json`` (the folder is a staging folder; the build publishes it whole)."""
    path = folder / BANK_FILE
    path.write_text(bank_text(bank), encoding="utf-8")
    return path


# --- reading and checking ----------------------------------------------------------------------


class _Reader:
    """Checks of one question's keys, each failure one line naming the file, the question and the key."""

    def __init__(self, source: str, where: str) -> None:
        self.source, self.where = source, where

    def fail(self, key: str, allowed: str) -> QuestionBankError:
        return QuestionBankError(f"{self.source}: {self.where}: key {key!r} must be {allowed}")

    def text(self, d: Mapping[str, Any], key: str, empty: bool = False) -> str:
        v = d.get(key)
        if not isinstance(v, str) or (not empty and not v.strip()):
            raise self.fail(key, "a string" if empty else "a non-empty string")
        return v

    def number(self, d: Mapping[str, Any], key: str, minimum: float | None = None) -> float:
        v = d.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise self.fail(key, "a finite number")
        if minimum is not None and v < minimum:
            raise self.fail(key, f"a number >= {minimum:g}")
        return float(v)

    def flag(self, d: Mapping[str, Any], key: str, default: bool | None = None) -> bool:
        v = d.get(key, default)
        if not isinstance(v, bool):
            raise self.fail(key, "true or false")
        return v

    def picture(self, d: Mapping[str, Any], key: str, folder: Path | None) -> Picture | None:
        v = d.get(key)
        if v is None:
            return None
        if not isinstance(v, dict) or set(v) != {"file", "alt"}:
            raise self.fail(key, 'null or {"file": "questions/<name>.png", "alt": "<text>"}')
        pic = Picture(self.text(v, "file"), self.text(v, "alt"))
        rel = Path(pic.file)
        if rel.is_absolute() or ".." in rel.parts or rel.parts[:1] != (PICTURES,):
            raise self.fail(key, f"a file under {PICTURES}/ beside the bank (got {pic.file!r})")
        if folder is not None and not (folder / rel).is_file():
            raise self.fail(key, f"an existing picture ({folder / rel} is missing)")
        return pic


def read_question(d: Any, source: str, index: int, folder: Path | None = None) -> Question:
    """One question of a bank's ``questions`` list, checked (``folder``: where its pictures must be)."""
    where = f"question {index + 1}"
    r = _Reader(source, where)
    if not isinstance(d, dict):
        raise QuestionBankError(f"{source}: {where} must be an object with the keys of docs/questions.md")
    qid = r.text(d, "id")
    r.where = f"question {qid!r}"
    known = {"id", "origin", "source", "dropped", "stale", *EDITABLE}
    unknown = sorted(set(d) - known)
    if unknown:
        raise r.fail(unknown[0], f"left out: not a key of a question (allowed: {', '.join(sorted(known))})")
    kind = d.get("kind")
    if kind not in KINDS:
        raise r.fail("kind", " or ".join(f'"{k}"' for k in KINDS))
    origin = d.get("origin", "author")
    if origin not in ORIGINS:
        raise r.fail("origin", " or ".join(f'"{o}"' for o in ORIGINS))
    teaches = d.get("teaches")
    if not isinstance(teaches, dict) or set(teaches) != {"segment", "beat"}:
        raise r.fail("teaches", '{"segment": "<chapter>", "beat": "<beat of it>"}')
    tr = _Reader(source, f"{r.where}, teaches")
    q = Question(
        id=qid,
        chapter=r.text(d, "chapter"),
        kind=kind,
        prompt=r.text(d, "prompt"),
        explanation=r.text(d, "explanation"),
        teaches=Teaches(tr.text(teaches, "segment"), tr.text(teaches, "beat")),
        picture=r.picture(d, "picture", folder),
        origin=origin,
        source=d.get("source") if isinstance(d.get("source"), str) else None,
        dropped=r.flag(d, "dropped", False),
        stale=d.get("stale") if isinstance(d.get("stale"), dict) else None,
    )
    if origin == "generated" and q.source is None:
        raise r.fail("source", 'the digest the build wrote (or set "origin": "author" for a question of your own)')
    if kind == "choice":
        raw = d.get("choices")
        if not isinstance(raw, list) or not 2 <= len(raw) <= 6:
            raise r.fail("choices", "a list of 2 to 6 choices")
        choices = []
        for i, c in enumerate(raw):
            cr = _Reader(source, f"{r.where}, choice {i + 1}")
            if not isinstance(c, dict):
                raise cr.fail("choices", 'an object {"text", "correct", "feedback"}')
            choices.append(
                Choice(
                    cr.text(c, "text"),
                    cr.flag(c, "correct"),
                    cr.text(c, "feedback", empty=True),
                    cr.picture(c, "picture", folder),
                )
            )
        if sum(c.correct for c in choices) != 1:
            raise r.fail("choices", "a list with exactly one choice whose 'correct' is true")
        if len({c.text for c in choices}) != len(choices):
            raise r.fail("choices", "a list of different texts (two choices read the same)")
        q = replace(q, choices=tuple(choices))
    else:
        if "choices" in d:
            raise r.fail("choices", 'left out of a "numeric" question')
        unit = r.text(d, "unit", empty=True) if "unit" in d else ""
        q = replace(q, answer=r.number(d, "answer"), tolerance=r.number(d, "tolerance", minimum=0.0), unit=unit)
    return q


def read_bank(path: Path, check_pictures: bool = True) -> Bank:
    """Read and check ``questions.json``.

    Raises
    ------
    QuestionBankError
        Not JSON, another format, or a question that breaks the schema (one line: the file, the
        question, the key and what is allowed).
    """
    source = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise QuestionBankError(f"{source}: cannot be read ({e.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        why = f"not valid JSON ({e}); fix it, or delete it to have it generated again"
        raise QuestionBankError(f"{source}: {why}") from None
    if not isinstance(data, dict) or data.get("format") != BANK_FORMAT:
        raise QuestionBankError(f"{source}: key 'format' must be {BANK_FORMAT} (a question bank written by this build)")
    questions = data.get("questions")
    if not isinstance(questions, list):
        raise QuestionBankError(f"{source}: key 'questions' must be a list of questions")
    folder = path.parent if check_pictures else None
    qs = [read_question(q, source, i, folder) for i, q in enumerate(questions)]
    seen: set[str] = set()
    for q in qs:
        if q.id in seen:
            raise QuestionBankError(f"{source}: question {q.id!r}: key 'id' must be unique (it appears twice)")
        seen.add(q.id)
    return Bank(str(data.get("lecture", "")), str(data.get("history", "")), tuple(qs))


def check_chapters(bank: Bank, source: str, beats: Mapping[str, Iterable[str]]) -> None:
    """Every asked question's chapter and ``teaches`` name a chapter (and a beat of it) of the lecture.

    ``beats`` maps each chapter of the lecture to its beats' names.
    """
    for q in bank.asked():
        if q.chapter not in beats:
            raise QuestionBankError(
                f"{source}: question {q.id!r}: key 'chapter' must be a chapter of the lecture "
                f"({', '.join(beats)}); got {q.chapter!r}"
            )
        names = list(beats.get(q.teaches.segment, ()))
        if q.teaches.segment not in beats or q.teaches.beat not in names:
            raise QuestionBankError(
                f"{source}: question {q.id!r}: key 'teaches' must name a chapter and one of its beats "
                f"(got {q.teaches.segment!r}, {q.teaches.beat!r})"
            )


# --- merging a new run's questions with an author's edits -----------------------------------------


@dataclass(frozen=True)
class Merge:
    """What :func:`merge` did: the bank to write, and the edited questions the run changed under."""

    bank: Bank
    kept: list[str]
    stale: list[str]


def merge(new: Bank, old: Bank | None) -> Merge:
    """The bank a rebuild writes: ``new`` (just generated) with the author's edits of ``old`` kept.

    - A generated question the author did not edit is replaced by its new version.
    - An edited or dropped one is kept as the author left it when the run generates it the same
      (same ``source``); when the run changed it, the new version is written, the edit is kept
      under ``"stale"`` (and a drop stays a drop).
    - The author's own questions are kept, after the generated questions of their chapter.
    - A generated question the run no longer asks is left out.
    """
    if old is None:
        return Merge(new, [], [])
    previous = {q.id: q for q in old.questions}
    out: list[Question] = []
    kept: list[str] = []
    stale: list[str] = []
    for q in new.questions:
        p = previous.get(q.id)
        if p is None or p.origin != "generated" or (not p.edited() and not p.dropped):
            out.append(q)
        elif p.source == q.source:
            out.append(replace(p, stale=None) if p.stale is None else p)
            kept.append(q.id)
        else:
            was = p.to_json()
            was.pop("stale", None)
            out.append(replace(q, dropped=p.dropped, stale=was if p.edited() else None))
            if p.edited():
                stale.append(q.id)
    authored = [q for q in old.questions if q.origin == "author"]
    for a in authored:
        at = max((i for i, q in enumerate(out) if q.chapter == a.chapter), default=len(out) - 1)
        out.insert(at + 1, a)
    return Merge(Bank(new.lecture, new.history, tuple(out)), kept, stale)


def describe_stale(stale: Sequence[str]) -> str:
    """What the build says of edited questions the run changed under (empty without any)."""
    if not stale:
        return ""
    return (
        f"{len(stale)} edited question(s) changed with the run and were generated again: {', '.join(stale)}; "
        f'your edits are under "stale" in {BANK_FILE}'
    )
