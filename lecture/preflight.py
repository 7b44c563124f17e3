"""Checks run before a build touches anything: a run the scenes can draw, TeX, Cairo/Pango, a writable folder.

``python -m lecture build`` runs them first; each failure is one line naming the problem and the
fix (the Debian/Ubuntu packages to install, the config key to change), exit code 2, and nothing
written or trained.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lecture.errors import LectureError
from nncore.config import TrainConfig

UNDRAWABLE: tuple[tuple[str, str, Callable[[TrainConfig], bool], str], ...] = (
    ("model", "hidden_layers", lambda c: c.hidden_layers is not None, "one hidden layer, given as hidden_units"),
    ("model", "activation", lambda c: c.activation != "tanh", "'tanh'"),
    ("train", "optimizer", lambda c: c.optimizer != "gd", "'gd'"),
    ("train", "batch_size", lambda c: c.batch_size is not None, "none (full-batch gradient descent)"),
    ("train", "l2", lambda c: c.l2 != 0, "0"),
    ("train", "keep_prob", lambda c: c.keep_prob != 1, "1"),
    ("train", "decay_rate", lambda c: c.decay_rate != 0, "0"),
    ("data", "features", lambda c: c.features != ("x1", "x2"), "['x1', 'x2']"),
)
"""What the lecture's scenes cannot draw yet, in one place: ``(table, key, refused(config), what is accepted)``.

The scenes draw week 3's network: one hidden tanh layer trained by full-batch gradient descent on
the points' two coordinates. Everything else ``nncore`` trains (deeper networks, other
activations and optimisers, mini-batches, L2, dropout, decay, feature crosses) is refused before
anything is trained or rendered, until the scenes learn to show it. Data and initialisation keys
(data sets, noise, factor, seeds, ``init``, a test set, which the scenes ignore) are allowed: the
scenes draw those runs.
"""


def check_drawable(cfg: TrainConfig, source: str) -> None:
    """Refuse a training config the scenes cannot draw yet (:data:`UNDRAWABLE`).

    Parameters
    ----------
    cfg : TrainConfig
    source : str
        Where it comes from, for the message (the config file, or a sweep of the sweeps file).

    Raises
    ------
    LectureError
        ``<source>: [table] key = value cannot be drawn by the lecture's scenes yet; the lecture
        accepts <what>``, exit code 2.
    """
    for table, key, refused, accepted in UNDRAWABLE:
        if refused(cfg):
            value: Any = getattr(cfg, key)
            shown = list(value) if isinstance(value, tuple) else value
            raise LectureError(
                f"{source}: [{table}] {key} = {shown!r} cannot be drawn by the lecture's scenes yet; "
                f"the lecture accepts {accepted} (`python -m nncore train` trains it)"
            )


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
