"""``python -m lecture build [--config FILE]... [--configs LIST] [--cluster ADDRESS] [--quality PRESET] ...``.

With one config (the default: ``media_config/lecture.toml``) the lecture goes to ``build/lecture/<quality>/``;
with several (``--config`` again, or a ``--configs`` file) each goes to ``build/lectures/<config's name>/<quality>/``
(:func:`lecture.pipeline.build_lectures`). ``--cluster`` renders on a Dask cluster (:mod:`lecture.cluster`).

And ``--constant-frame-rate``: every frame of a still picture encoded (see :attr:`lecture.settings.Preset.frame_rate`).

Renders what changed, stitches, and writes ``build/lecture/<quality>/`` (:func:`lecture.pipeline.build`).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from lecture.cli.options import add_lecture_options, build_options
from lecture.pipeline import build, build_lectures
from nncore.console import Command


def run(args: argparse.Namespace) -> int:
    """Run ``python -m lecture build`` with the parsed ``args``; return the exit code (0).

    Bad input (exit 2), a failed render (1) and interrupts are :func:`nncore.console.run_command`'s to report.
    """
    opts = replace(build_options(args), constant_frame_rate=args.constant_frame_rate)
    if opts.configs:
        build_lectures(opts)
    else:
        build(opts)
    return 0


def add_options(parser: argparse.ArgumentParser) -> None:
    """Every lecture command's options, and ``--constant-frame-rate``."""
    add_lecture_options(parser, several=True)
    parser.add_argument(
        "--constant-frame-rate",
        action="store_true",
        help='encode every frame of a still picture (the preset\'s frame_rate = "constant"), for a player or '
        "tool that needs a constant frame rate; by default a still is encoded once and shown until the next",
    )


COMMAND = Command(
    "build",
    "render what changed, stitch, and write build/lecture/<quality>/ (several: build/lectures/<name>/<quality>/)",
    add_options,
    run,
    "interrupted: the previous lecture is unchanged; run the build again to finish",
)
"""``build`` as a :class:`nncore.console.Subcommand` (its options are every lecture command's)."""
