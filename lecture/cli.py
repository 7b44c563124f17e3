"""Command line of the lecture builder: ``python -m lecture build|slides|gif|script`` (or the ``lecture`` script).

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]
[--segments A,B] [--render-config FILE] [--build-dir DIR] [--voice NAME|none]`` builds
``build/lecture/<quality>/lecture.mp4`` and its companions (see :mod:`lecture.build`);
``slides`` cuts it into a deck (:mod:`lecture.slides`), ``gif`` writes a loop of a segment
(:mod:`lecture.gif`), ``script`` the narration script to record it from (:mod:`lecture.script`);
``--version`` prints the version. Bad input and missing tools are one line on stderr and exit
code 2; a failed render exits with 1; an interrupted build exits with 130
(Ctrl-C) or 143 (``kill``) and leaves the previous lecture as it was.

:data:`COMMANDS` lists the subcommands (:class:`nncore.console.Subcommand`): ``build`` here, the
others from their own modules, each with ``add_parser(sub)`` (its options) and ``run(args)``. A
new one is written the same way and added to that tuple.
"""

from __future__ import annotations

import argparse

from lecture import gif, script, slides
from lecture.arguments import add_lecture_options, build_options
from lecture.build import build
from lecture.errors import LectureError
from nncore.console import Command, Subcommand, command_parser, program_name, run_command


def _build_arguments(b: argparse.ArgumentParser) -> None:
    add_lecture_options(b)


def _build(args: argparse.Namespace) -> int:
    build(build_options(args))
    return 0


BUILD = Command(
    "build",
    "render what changed, stitch, and write build/lecture/<quality>/",
    _build_arguments,
    _build,
    "interrupted: the previous lecture is unchanged; run the build again to finish",
)

COMMANDS: tuple[Subcommand, ...] = (BUILD, slides, gif, script)
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
