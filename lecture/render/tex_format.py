"""LaTeX's preamble loaded once, not once a formula: a format file beside the shared TeX cache.

Every ``.tex`` source manim writes for a ``Tex``/``MathTex`` starts with its template's preamble
(``standalone``, ``babel``, ``amsmath``, ``amssymb``), and loading it is most of LaTeX's work for
one formula: 0.17 CPU-s a formula from scratch against 0.09 with the preamble preloaded, for
258 of the lecture's formulas (dvisvgm's 0.08 is the same either way). With the shared TeX cache
on (:func:`lecture.render.manim_child.install_tex_cache`), :func:`install_preamble_format` wraps
manim's ``compile_tex``: the first formula with a given preamble dumps it into a format with
``mylatexformat`` (TeX Live's ``texlive-latex-extra``), and every formula after it is compiled with
``latex -fmt=<that format>``.

The picture cannot change: before a format is used, the formula it was made from is typeset both
ways and the two SVGs must be the same bytes (they were for all 258 formulas tried); otherwise, or
if the format cannot be made, a marker says so and LaTeX runs as before. A formula the format
fails to compile is compiled as before too, so its error reads as manim's. The formats live in
``<TeX cache>/formats/<digest>.fmt``, the digest covering the preamble and the versions of LaTeX
and dvisvgm; one is published by a rename, so parallel renders making it at once all succeed.

``NN_TEX_FORMAT=off`` compiles every formula from scratch (the benchmark's comparison).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEX_FORMAT_ENV = "NN_TEX_FORMAT"
"""``off``: no preamble format, every formula compiled from scratch."""

BEGIN_DOCUMENT = r"\begin{document}"

FORMAT_NAME = "preamble"
"""The format's job name while it is made (``preamble.fmt`` in a scratch folder)."""


def preamble(tex_source: str) -> str | None:
    r"""The part of ``tex_source`` before ``\begin{document}`` (``None`` if it has none)."""
    head, found, _ = tex_source.partition(BEGIN_DOCUMENT)
    return head if found else None


def run_tool(command: list[str], cwd: Path, timeout: float = 120) -> bool:
    """Run a TeX tool quietly in ``cwd``; whether it succeeded (in time)."""
    try:
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _svg(folder: Path, name: str, fmt: Path | None) -> bytes | None:
    """Typeset ``folder/name.tex`` as manim does (with the format ``fmt`` if given); its SVG's bytes."""
    latex = ["latex", *([f"-fmt={fmt.with_suffix('')}"] if fmt else [])]
    if not run_tool([*latex, "-interaction=batchmode", "-output-format=dvi", "-halt-on-error", f"{name}.tex"], folder):
        return None
    svg = folder / f"{name}.svg"
    dvisvgm = ["dvisvgm", "--page=1", "--no-fonts", "--verbosity=0", f"--output={svg.name}", f"{name}.dvi"]
    if not run_tool(dvisvgm, folder):
        return None
    return svg.read_bytes() if svg.is_file() else None


class PreambleFormats:
    """The preamble formats of one render process, kept in ``folder`` (``<TeX cache>/formats``).

    Parameters
    ----------
    folder : Path
        Where the formats and the markers of unusable ones are kept.
    tools : dict
        What else decides a format (LaTeX's and dvisvgm's versions): part of its digest.
    """

    def __init__(self, folder: Path, tools: dict[str, str]) -> None:
        self.folder = folder
        self.tools = tools
        self.known: dict[str, Path | None] = {}  # digest -> the format, or None when it cannot be used
        self.used = 0  # formulas compiled with a format

    def digest(self, head: str) -> str:
        """16 hex digits of the SHA-256 of a preamble and the tools."""
        key = json.dumps({"preamble": head, "tools": self.tools}, sort_keys=True).encode()
        return hashlib.sha256(key).hexdigest()[:16]

    def format_for(self, tex_file: Path) -> Path | None:
        """The format of ``tex_file``'s preamble, made (and checked) the first time; ``None`` if unusable."""
        try:
            source = tex_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        head = preamble(source)
        if head is None:
            return None
        digest = self.digest(head)
        if digest not in self.known:
            self.known[digest] = self._find_or_make(digest, source)
        return self.known[digest]

    def _find_or_make(self, digest: str, source: str) -> Path | None:
        fmt, off = self.folder / f"{digest}.fmt", self.folder / f"{digest}.off"
        if fmt.is_file():
            return fmt
        if off.is_file():
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            scratch = self.folder / f".{digest}.{os.getpid()}-{secrets.token_hex(4)}"
            scratch.mkdir()
        except OSError:
            return None
        try:
            why = self._make(scratch, source)
            if why is None:
                os.replace(scratch / f"{FORMAT_NAME}.fmt", fmt)
                return fmt
            tmp = scratch / "off"
            tmp.write_text(why + "\n", encoding="utf-8")
            os.replace(tmp, off)
            return None
        except OSError:
            return None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    @staticmethod
    def _make(scratch: Path, source: str) -> str | None:
        """Dump ``source``'s preamble into ``scratch/preamble.fmt`` and check it; why not, if it cannot be used."""
        (scratch / "probe.tex").write_text(source, encoding="utf-8")
        dump = ["etex", "-ini", "-interaction=batchmode", "-halt-on-error", f"-jobname={FORMAT_NAME}"]
        if not run_tool([*dump, "&latex", "mylatexformat.ltx", "probe.tex"], scratch):
            return "the format could not be made (etex -ini with mylatexformat.ltx failed)"
        fmt = scratch / f"{FORMAT_NAME}.fmt"
        if not fmt.is_file():
            return "etex -ini wrote no format"
        plain, fast = scratch / "plain", scratch / "fast"
        for folder in (plain, fast):
            folder.mkdir()
            shutil.copyfile(scratch / "probe.tex", folder / "probe.tex")
        expected, got = _svg(plain, "probe", None), _svg(fast, "probe", fmt)
        if expected is None:
            return "the formula it was made from does not typeset"
        if got != expected:
            return "a formula typeset with it gave another SVG than without it"
        return None


def install_preamble_format(cache_root: Path, tools: dict[str, str]) -> PreambleFormats | None:
    """Make manim's ``compile_tex`` use a preamble format kept under ``cache_root/formats``.

    Parameters
    ----------
    cache_root : Path
        The shared TeX cache's root (``build/tex``).
    tools : dict
        LaTeX's and dvisvgm's versions (part of each format's digest).

    Returns
    -------
    PreambleFormats or None
        The formats, or ``None`` with ``NN_TEX_FORMAT=off`` or a manim without ``compile_tex``.
    """
    if os.environ.get(TEX_FORMAT_ENV) == "off":
        return None
    from manim.utils import tex_file_writing

    original = getattr(tex_file_writing, "compile_tex", None)
    if original is None or not hasattr(tex_file_writing, "make_tex_compilation_command"):
        return None
    original = getattr(original, "__wrapped__", original)  # installed twice: wrap manim's, not ours
    formats = PreambleFormats(cache_root / "formats", tools)

    @functools.wraps(original)
    def compile_tex(tex_file: Path, tex_compiler: str | list[str], output_format: str) -> Path:
        return _compile(formats, original, tex_file, tex_compiler, output_format)

    tex_file_writing.compile_tex = compile_tex
    return formats


def _compile(
    formats: PreambleFormats, original: Callable[..., Path], tex_file: Path, tex_compiler: Any, output_format: str
) -> Path:
    """Manim's ``compile_tex``, with the preamble's format when the compiler is plain ``latex`` to DVI."""
    from manim import config
    from manim.utils.tex_file_writing import make_tex_compilation_command

    result = tex_file.with_suffix(output_format)
    if result.exists() or tex_compiler != "latex" or output_format != ".dvi":
        return original(tex_file, tex_compiler, output_format)
    fmt = formats.format_for(tex_file)
    if fmt is not None:
        command = make_tex_compilation_command(tex_compiler, output_format, tex_file, config.get_dir("tex_dir"))
        command.insert(1, f"-fmt={fmt.with_suffix('')}")
        try:
            ok = subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode == 0
        except OSError:
            ok = False
        if ok and result.is_file():
            formats.used += 1
            return result
        result.unlink(missing_ok=True)  # compiled again from scratch: its error, if any, as manim reports it
    return original(tex_file, tex_compiler, output_format)
