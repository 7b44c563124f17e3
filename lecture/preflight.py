"""Checks run before a build touches anything: TeX, Cairo/Pango, a writable folder.

``python -m lecture build`` runs them first; each failure is one line naming the problem and the
fix (the Debian/Ubuntu packages to install), exit code 2, and nothing written or trained. Every
configuration ``nncore`` accepts is one the scenes draw (deeper networks, every activation and
optimiser, mini-batches, L2, dropout, decay, feature crosses, test sets), so the training config
needs no check here beyond ``nncore``'s own.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from lecture.errors import LectureError

TEX_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended dvisvgm"
CAIRO_PACKAGES = "libcairo2-dev libpango1.0-dev pkg-config"


def check_tex() -> None:
    """Manim's ``Tex``/``MathTex`` need ``latex``, ``dvisvgm`` and the ``standalone`` class.

    Raises
    ------
    LectureError
        Naming what is missing and the apt packages that provide it.
    """
    for exe in ("latex", "dvisvgm"):
        if shutil.which(exe) is None:
            raise LectureError(
                f"TeX is not installed: no `{exe}` on PATH (manim typesets formulas with it); "
                f"install it with: sudo apt-get install {TEX_PACKAGES}"
            )
    kpsewhich = shutil.which("kpsewhich")
    found = ""
    if kpsewhich is not None:
        try:
            found = subprocess.run(
                [kpsewhich, "standalone.cls"], capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
    if not found:
        raise LectureError(
            "the LaTeX class standalone.cls is missing (manim's formulas need it); "
            "install it with: sudo apt-get install texlive-latex-extra"
        )


def check_cairo_pango() -> None:
    """Manim draws with Cairo and sets text with Pango; their Python bindings must load.

    Raises
    ------
    LectureError
        With the import error and the apt packages to install.
    """
    try:
        import cairo  # noqa: F401
        import manimpango  # noqa: F401
    except ImportError as err:
        raise LectureError(
            f"Cairo/Pango cannot be loaded ({err}); install them with: sudo apt-get install {CAIRO_PACKAGES}, "
            "then rebuild the environment: rm -rf .venv && make lecture"
        ) from None


def check_writable(folder: Path, flag: str = "--build-dir") -> None:
    """Create ``folder`` if needed and prove a file can be written in it (then remove it).

    Raises
    ------
    LectureError
        Naming the folder, the system's reason and the fix.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as err:
        raise LectureError(
            f"cannot write to the output folder {folder} ({err.strerror or err}); "
            f"make it writable or choose another folder with {flag}"
        ) from None
