r"""The question bank as Moodle GIFT text: ``questions.gift.txt``.

GIFT is Moodle's plain-text question format (Question bank → Import → GIFT format). This writer
follows what Moodle's own GIFT exporter writes (``question/format/gift/format.php``):

- each chapter's questions after a ``$CATEGORY: <lecture>/<chapter>`` line (a ``/`` in a name is
  written ``//``, as Moodle's category paths escape it), so the import files them by chapter;
- each question ``::<id>::[html]<prompt>{...}``, its id from ``questions.json`` as its name;
- a multiple-choice question ``{=right#its feedback ~wrong#its feedback ####explanation}``;
- a numeric one ``{#=answer:tolerance ####explanation}`` (its unit, which GIFT cannot carry, said in the
  prompt: "Answer in <unit>.");
- ``\ ~ = # { } :`` escaped with a backslash and line breaks written ``\n``, as Moodle's exporter does.

Every text is HTML (``[html]``, which Moodle gives the answers and feedback too), so that
pictures can be shown: a question's or a choice's picture is an ``<img>`` whose ``src`` is the PNG
itself as a ``data:`` URL and whose ``alt`` is its text alternative from the bank. Moodle shows a
question's HTML without cleaning it, so the pictures appear in the question bank and in quizzes;
a site that cleans all content ("forceclean") removes ``data:`` URLs, and a learner then reads the
alternative text instead. GIFT has no way to carry picture files themselves (the "GIFT with media"
plugin does, but is not part of Moodle).
"""

from __future__ import annotations

import base64
import html
from decimal import Decimal
from pathlib import Path

from lecture.quiz.bank import Bank, Picture, Question

GIFT_SPECIAL = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}
"""What GIFT reserves, and how Moodle's exporter escapes it (``repchar``)."""


def escape(text: str) -> str:
    r"""``text`` with GIFT's reserved characters escaped (``\r`` dropped, as Moodle's exporter does)."""
    return "".join(GIFT_SPECIAL.get(ch, ch) for ch in text.replace("\r", ""))


def number(x: float) -> str:
    """A number as GIFT reads it: plain decimal digits, never an exponent (``1e-05`` → ``0.00001``)."""
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def category(*names: str) -> str:
    """A ``$CATEGORY:`` line: the path of ``names``, a ``/`` inside a name doubled (Moodle's escape).

    Moodle reads the rest of the line as it is (GIFT escapes are not undone there), so reserved
    characters are left as they are and line breaks become spaces.
    """
    return "$CATEGORY: " + "/".join(" ".join(n.split()).replace("/", "//") for n in names)


def html_text(text: str) -> str:
    """Plain text as HTML: ``& < >`` escaped, line breaks as ``<br>``."""
    return html.escape(text, quote=False).replace("\n", "<br>\n")


def picture_html(folder: Path, picture: Picture) -> str:
    """An ``<img>`` of a bank picture: the PNG inline as a ``data:`` URL, with its text alternative."""
    data = base64.b64encode((folder / picture.file).read_bytes()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(picture.alt)}">'


def prompt_html(folder: Path, q: Question) -> str:
    """A question's prompt (and unit, and picture) as HTML."""
    out = f"<p>{html_text(q.prompt)}</p>"
    if q.kind == "numeric" and q.unit:
        out += f"<p>Answer in {html_text(q.unit)}.</p>"
    if q.picture is not None:
        out += f"<p>{picture_html(folder, q.picture)}</p>"
    return out


def question_gift(folder: Path, q: Question) -> str:
    """One question in GIFT (pictures read from ``folder``, the lecture folder)."""
    lines = [f"::{escape(q.id)}::[html]{escape(prompt_html(folder, q))}{{"]
    if q.kind == "choice":
        for c in q.choices:
            text = html_text(c.text)
            if c.picture is not None:
                text = f"{picture_html(folder, c.picture)} {text}"
            mark = "=" if c.correct else "~"
            feedback = f"#{escape(html_text(c.feedback))}" if c.feedback.strip() else ""
            lines.append(f"\t{mark}{escape(text)}{feedback}")
    else:
        assert q.answer is not None and q.tolerance is not None  # read_bank guarantees both
        lines.append(f"\t#={number(q.answer)}:{number(q.tolerance)}")
    lines.append(f"\t####{escape(html_text(q.explanation))}")
    lines.append("}")
    return "\n".join(lines)


def gift_text(bank: Bank, folder: Path, title: str, chapters: dict[str, str]) -> str:
    """The asked questions of ``bank`` as a GIFT file, by chapter (``chapters``: titles by segment name).

    Chapters are taken in lecture order, then any the lecture does not name, in the bank's order.
    """
    by_chapter: dict[str, list[Question]] = {}
    for q in bank.asked():
        by_chapter.setdefault(q.chapter, []).append(q)
    order = [c for c in chapters if c in by_chapter] + [c for c in by_chapter if c not in chapters]
    blocks = [
        f"// {' '.join(title.split())}: {len(bank.asked())} questions, from questions.json\n"
        "// Moodle: Question bank > Import > GIFT format (docs/package.md)"
    ]
    for chapter in order:
        blocks.append(category(title, chapters.get(chapter, chapter)))
        blocks += [question_gift(folder, q) for q in by_chapter[chapter]]
    return "\n\n".join(blocks) + "\n"
