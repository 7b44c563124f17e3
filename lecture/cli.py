"""Command line of the lecture builder: ``python -m lecture build|slides|gif`` (or the ``lecture`` script).

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]
[--segments A,B] [--render-config FILE] [--build-dir DIR] [--voice NAME|none]`` builds
``build/lecture/<quality>/lecture.mp4`` and its companions (see :mod:`lecture.build`);
``slides`` cuts it into a deck (:mod:`lecture.slides`), ``gif`` writes a loop of a segment
(:mod:`lecture.gif`); ``--version`` prints the version. Bad input and missing tools are one line
on stderr and exit code 2; a failed render exits with 1; an interrupted build exits with 130
(Ctrl-C) or 143 (``kill``) and leaves the previous lecture as it was.

:data:`COMMANDS` lists the subcommands (:class:`nncore.console.Subcommand`): ``build`` here, the
others from their own modules, each with ``add_parser(sub)`` (its options) and ``run(args)``. A
new one is written the same way and added to that tuple.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lecture import gif, slides
from lecture.build import BuildOptions, build
from lecture.errors import LectureError
from nncore.console import Command, Subcommand, command_parser, program_name, run_command
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_CONFIG, DEFAULT_RENDER_CONFIG


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of parallel renders, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 parallel render, got {value}")
    return value


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected segment names separated by commas")
    return names


def _build_arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help=f"training config (default {DEFAULT_CONFIG})")
    b.add_argument(
        "--quality",
        metavar="PRESET",
        help="preview (480p15), course (1080p30, the default) or hd60 (1080p60); presets live in the render config",
    )
    b.add_argument("--jobs", type=_jobs, help="segments rendered in parallel (default: the number of cores)")
    b.add_argument(
        "--segments",
        type=_names,
        metavar="A,B,...",
        help="build only these segments (in lecture order, enabled or not); the title and summary always frame them",
    )
    b.add_argument(
        "--render-config",
        type=Path,
        default=DEFAULT_RENDER_CONFIG,
        help=f"presets, segment list and voice (default {DEFAULT_RENDER_CONFIG})",
    )
    b.add_argument(
        "--build-dir", type=Path, default=DEFAULT_BUILD_DIR, help=f"output folder (default {DEFAULT_BUILD_DIR})"
    )
    b.add_argument(
        "--voice",
        metavar="NAME",
        help="who narrates: an installed voice (default: [voice] name in the render config, joe) or none (silent)",
    )


def _build(args: argparse.Namespace) -> int:
    build(
        BuildOptions(
            config=args.config,
            render_config=args.render_config,
            quality=args.quality,
            jobs=args.jobs,
            build_dir=args.build_dir,
            segments=args.segments,
            voice=args.voice,
        )
    )
    return 0


BUILD = Command(
    "build",
    "render what changed, stitch, and write build/lecture/<quality>/",
    _build_arguments,
    _build,
    "interrupted: the previous lecture is unchanged; run the build again to finish",
)

COMMANDS: tuple[Subcommand, ...] = (BUILD, slides, gif)
"""Every subcommand of ``python -m lecture``, in the order ``--help`` lists them."""


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``python -m lecture`` (``prog``: how the process was started)."""
    return command_parser("lecture", "Build the lecture video, its chapters, captions and page.", COMMANDS, prog)


def _exit_code(err: Exception) -> int | None:
    return err.exit_code if isinstance(err, LectureError) else None


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m lecture`` and the ``lecture`` script; returns the exit code."""
    args = build_parser(program_name("lecture") if argv is None else None).parse_args(argv)
    return run_command(args, _exit_code)
