r"""The question bank as the QTI 1.2 zip Canvas imports: ``questions-qti.zip``.

text2qti (a maintained library; its own text format, Markdown inside) writes the zip: one quiz
whose title is the lecture's, one question per asked question of the bank, each titled by its id.
A multiple-choice question marks its right choice (``*a)``) and carries every choice's feedback
(``...`` after the choice); the explanation is the question's general feedback (``...`` after the
question). A numeric question is an exact answer with a margin, its unit said in the prompt
("Answer in <unit>."). Pictures are Markdown images: text2qti puts each PNG in the zip's
``images/`` folder and points the question's ``<img>`` at it, with the bank's text alternative as
its ``alt``. Canvas: Settings → Import Course Content → QTI .zip file.

Every text of the bank is escaped for Markdown (``\*``, ``&lt;``...) so that it reads as it was
written. Two things text2qti does are undone: it would read and create ``~/.text2qti.bespon``
(``Config.load``; not called: the defaults are all a package needs, and no LaTeX is written), and
it rounds a numeric answer's range to four decimals and refuses values under 0.0001 in magnitude;
the bank's exact range is written instead (Canvas reads any decimal).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from text2qti.config import Config  # type: ignore[import-untyped]
from text2qti.err import Text2qtiError  # type: ignore[import-untyped]
from text2qti.qti import QTI  # type: ignore[import-untyped]
from text2qti.quiz import Question as QtiQuestion  # type: ignore[import-untyped]
from text2qti.quiz import Quiz

from lecture.package.built import PackageError
from lecture.quiz.bank import Bank, Picture, Question

MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|\"'$")
"""Characters Markdown (with text2qti's extensions: smarty quotes, tables, ``$`` maths) gives a meaning;
each is written with a backslash before it."""
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def md_escape(text: str) -> str:
    """Plain text as Markdown that renders as that text: ``& < >`` as entities, the rest backslashed.

    Each line is stripped (an indented line would be code) and a line break starts a new paragraph.
    """
    out = []
    for line in text.splitlines():
        line = line.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append("".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in line))
    return "\n\n".join(line for line in out if line)


def decimal(x: float) -> Decimal:
    """``x`` as the decimal it was written as (``0.1`` is ``Decimal('0.1')``, not its binary value)."""
    return Decimal(repr(float(x)))


def plain(d: Decimal) -> str:
    """A decimal in plain digits, no exponent."""
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def image(folder: Path, picture: Picture) -> str:
    """A bank picture as a Markdown image (absolute path, in ``<>`` so that spaces are allowed)."""
    return f"![{md_escape(picture.alt)}](<{(folder / picture.file).resolve()}>)"


def indented(text: str, width: int) -> str:
    """``text``'s lines after the first indented by ``width`` spaces (text2qti's continuation lines)."""
    return text.replace("\n", "\n" + " " * width)


def question_text(folder: Path, q: Question, n: int) -> str:
    """One question in text2qti's format (``n``: its number)."""
    body = md_escape(q.prompt)
    if q.kind == "numeric" and q.unit:
        body += f"\n\nAnswer in {md_escape(q.unit)}\\."
    if q.picture is not None:
        body += "\n\n" + image(folder, q.picture)
    head = f"{n}.  "
    lines = [f"Title: {q.id}", head + indented(body, len(head)), "... " + indented(md_escape(q.explanation), 4)]
    if q.kind == "choice":
        for letter, c in zip(LETTERS, q.choices, strict=False):
            text = md_escape(c.text)
            if c.picture is not None:
                text = f"{image(folder, c.picture)} {text}"
            mark = f"{'*' if c.correct else ''}{letter}) "
            lines.append(mark + indented(text, len(mark)))
            if c.feedback.strip():
                lines.append("... " + indented(md_escape(c.feedback), 4))
    else:
        assert q.answer is not None and q.tolerance is not None  # read_bank guarantees both
        lines.append("=   1 +- 0.5")  # a placeholder text2qti accepts: numeric_range() writes the bank's range
    return "\n".join(lines)


def quiz_text(bank: Bank, folder: Path, title: str) -> tuple[str, list[Question]]:
    """The whole quiz in text2qti's format, and the questions in it (the asked ones, in order)."""
    asked = bank.asked()
    head = [
        f"Quiz title: {' '.join(title.split())}",
        f"Quiz description: {md_escape(f'Check your understanding of {title}: {len(asked)} questions.')}",
    ]
    parts = ["\n".join(head)] + [question_text(folder, q, i + 1) for i, q in enumerate(asked)]
    return "\n\n".join(parts) + "\n", asked


def numeric_range(item: QtiQuestion, q: Question) -> None:
    """Set a parsed numeric question's answer and range to the bank's, exactly.

    text2qti formats them with four decimals (``-0.00714`` would be read back as ``-0.0071``) and
    refuses values under 0.0001 in magnitude; Canvas reads the ``varequal``, ``vargte`` and
    ``varlte`` it writes them into as any decimal.
    """
    assert q.answer is not None and q.tolerance is not None
    answer, tolerance = decimal(q.answer), decimal(q.tolerance)
    item.numerical_exact = float(answer)
    item.numerical_min, item.numerical_max = float(answer - tolerance), float(answer + tolerance)
    item.numerical_exact_html_xml = plain(answer)
    item.numerical_min_html_xml = plain(answer - tolerance)
    item.numerical_max_html_xml = plain(answer + tolerance)


def make_qti(bank: Bank, folder: Path, title: str, source: str) -> QTI:
    """The QTI package of ``bank``'s asked questions (pictures read from ``folder``).

    Raises
    ------
    PackageError
        If text2qti refuses a question: one line naming ``source``, the question and why.
    """
    text, asked = quiz_text(bank, folder, title)
    try:
        quiz = Quiz(text, config=Config(), source_name=source)
    except Text2qtiError as e:
        raise PackageError(_refusal(str(e), text, asked, source)) from None
    items = [x for x in quiz.questions_and_delims if isinstance(x, QtiQuestion)]
    for item, q in zip(items, asked, strict=True):
        if q.kind == "numeric":
            numeric_range(item, q)
    return QTI(quiz)


def _refusal(message: str, text: str, asked: list[Question], source: str) -> str:
    """text2qti's error as one line, naming the question its line number falls in."""
    lines = [m.strip() for m in message.splitlines() if m.strip()]
    found = re.search(r"on line (\d+)", message)
    where = ""
    if found:
        upto = text.splitlines()[: int(found.group(1))]
        titles = [line.removeprefix("Title: ") for line in upto if line.startswith("Title: ")]
        where = f"question {titles[-1]!r}: " if titles else ""
    why = lines[-1] if lines else message
    return f"{source}: {where}cannot be written as QTI for Canvas (text2qti: {why})"


def write_qti(bank: Bank, folder: Path, title: str, path: Path, source: str) -> int:
    """Write the QTI zip to ``path``; return how many pictures it holds."""
    qti = make_qti(bank, folder, title, source)
    qti.save(path)
    return len(qti.quiz.images)
