r"""Many formulas typeset by one LaTeX run and one dvisvgm run: the shared TeX cache's batches.

Typesetting one formula costs about 0.19 CPU-s, and nearly all of it is starting the tools:
LaTeX loads its 6.5 MB kernel format (0.1 s) and dvisvgm starts Ghostscript (0.08 s); the
formula itself takes a few milliseconds. A matrix of 20 numbers is 20 formulas, so a scene that
knows which formulas it is about to make can have them typeset together
(:func:`scenes.common.tex.prefetch`): the shared cache's :meth:`TexCache.typeset_many
<lecture.render.manim_child.TexCache.typeset_many>` hands the ones it does not hold to
:func:`typeset_batch`, which writes one document with every formula on a page of its own and
converts every page in one dvisvgm run. 263 formulas of the lecture took 0.52 CPU-s so, against
about 50 one by one.

Every page is the formula's own ``standalone`` box: between two formulas the document does what
``\end{document}`` and ``\begin{document}`` do in the formula's own file (``standalone`` closes
its ``preview`` box, then opens the next), so each page has the extents the formula has alone.
The SVGs are not the same bytes as one-by-one ones (dvisvgm numbers the glyphs' ids by the fonts
of the whole document) but the same picture: the same view box, the same ``unique`` groups manim
splits a formula by, the same points once manim reads them (``tests/test_tex_cache.py`` compares
them). Anything unexpected (a formula that does not compile, a page too many or too few) leaves
the batch's formulas to be typeset one by one as before, so an error reads as manim's.

``NN_TEX_BATCH=off`` typesets every formula alone (the benchmark's comparison).
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from lecture.render.tex_format import run_tool

TEX_BATCH_ENV = "NN_TEX_BATCH"
"""``off``: no batches, every formula typeset alone when manim asks for it."""

BEGIN_DOCUMENT = r"\begin{document}"
END_DOCUMENT = r"\end{document}"

NEXT_PAGE = r"\ifhmode\unskip\fi\endstandalone\standalone\ignorespaces"
r"""What ``standalone`` runs at ``\end{document}`` and ``\begin{document}``: a box closed, the next opened."""

LATEX = ["latex", "-interaction=batchmode", "-output-format=dvi", "-halt-on-error"]
"""manim's LaTeX command for its default template (``make_tex_compilation_command``)."""

DVISVGM = ["dvisvgm", "--no-fonts", "--verbosity=0"]
"""manim's dvisvgm options (``convert_to_svg``); the pages are chosen per run."""


def split_source(source: str) -> tuple[str, str] | None:
    r"""A ``.tex`` source manim wrote, as its preamble and its body (between the document's begin and end).

    ``None`` when it is not one ``document`` with nothing after its end but white space.
    """
    head, found, rest = source.partition(BEGIN_DOCUMENT)
    body, ended, tail = rest.rpartition(END_DOCUMENT)
    if not found or not ended or tail.strip() or BEGIN_DOCUMENT in rest:
        return None
    return head, body


def batch_document(head: str, bodies: list[str]) -> str:
    """One document typesetting every body on a page of its own, as its own file would."""
    return f"{head}{BEGIN_DOCUMENT}{NEXT_PAGE.join(bodies)}{END_DOCUMENT}\n"


def typeset_batch(head: str, bodies: list[str], scratch_parent: Path, fmt: Path | None = None) -> list[Path] | None:
    r"""Typeset ``bodies`` (each a formula's body under the preamble ``head``) in one LaTeX and one dvisvgm run.

    Parameters
    ----------
    head : str
        The preamble every formula's source starts with (up to ``\begin{document}``).
    bodies : list of str
        Each formula's body, as :func:`split_source` gives it.
    scratch_parent : Path
        Where the batch's scratch folder is made (the render's ``tex_dir``).
    fmt : Path, optional
        A format of ``head`` (:mod:`lecture.render.tex_format`) to compile with.

    Returns
    -------
    list of Path or None
        One SVG per body, in order, in a scratch folder the caller removes (their common parent);
        ``None`` if the batch did not give exactly one page per body.
    """
    scratch = scratch_parent / f".batch-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        scratch.mkdir(parents=True)
        (scratch / "batch.tex").write_text(batch_document(head, bodies), encoding="utf-8")
    except OSError:
        return None
    latex = [LATEX[0], *([f"-fmt={fmt.with_suffix('')}"] if fmt is not None else []), *LATEX[1:]]
    if not run_tool([*latex, "batch.tex"], scratch, timeout=600):
        shutil.rmtree(scratch, ignore_errors=True)
        return None
    convert = [*DVISVGM, f"--page=1-{len(bodies) + 1}", "--output=page-%p.svg", "batch.dvi"]
    if not run_tool(convert, scratch, timeout=600):
        shutil.rmtree(scratch, ignore_errors=True)
        return None
    pages = sorted(scratch.glob("page-*.svg"), key=lambda p: int(p.stem.rpartition("-")[2]))
    if len(pages) != len(bodies):
        shutil.rmtree(scratch, ignore_errors=True)
        return None
    return pages
