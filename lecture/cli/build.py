"""``python -m lecture build [--config FILE] [--quality PRESET] [--jobs N] [--segments A,B] [--voice NAME|none]``.

Renders what changed, stitches, and writes ``build/lecture/<quality>/`` (:func:`lecture.pipeline.build`).
"""

from __future__ import annotations

import argparse

from lecture.cli.options import add_lecture_options, build_options
from lecture.pipeline import build
from nncore.console import Command


def run(args: argparse.Namespace) -> int:
    """Run ``python -m lecture build`` with the parsed ``args``; return the exit code (0).

    Bad input (exit 2), a failed render (1) and interrupts are :func:`nncore.console.run_command`'s to report.
    """
    build(build_options(args))
    return 0


COMMAND = Command(
    "build",
    "render what changed, stitch, and write build/lecture/<quality>/",
    add_lecture_options,
    run,
    "interrupted: the previous lecture is unchanged; run the build again to finish",
)
"""``build`` as a :class:`nncore.console.Subcommand` (its options are every lecture command's)."""
