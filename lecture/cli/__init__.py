"""Command line of the lecture builder: ``python -m lecture build|slides|gif|script|package`` (or ``lecture``).

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]
[--segments A,B] [--render-config FILE] [--build-dir DIR] [--voice NAME|none]`` builds
``build/lecture/<quality>/lecture.mp4`` and its companions (see :mod:`lecture.pipeline`);
``slides`` cuts it into a deck (:mod:`lecture.deck`), ``gif`` writes a loop of a segment
(:mod:`lecture.loops`), ``script`` the narration script to record it from
(:mod:`lecture.recording_script`), ``package`` a built lecture as a SCORM 1.2 zip and its
questions as Moodle GIFT and a Canvas QTI zip (:mod:`lecture.package`); ``--version`` prints the
version. Bad input and missing tools are one line on stderr and exit code 2; a failed render exits
with 1; an interrupted build exits with 130 (Ctrl-C) or 143 (``kill``) and leaves the previous
lecture as it was.

One module per command (a :class:`nncore.console.Subcommand`: ``add_parser(sub)``, its options, and
``run(args)``): :mod:`lecture.cli.build` (its ``COMMAND``), :mod:`lecture.cli.slides`,
:mod:`lecture.cli.gif`, :mod:`lecture.cli.script`, :mod:`lecture.cli.package`; the options the
commands that build the lecture share are :mod:`lecture.cli.options`. A new command is written the
same way and added to :data:`COMMANDS`.
"""

from __future__ import annotations

import argparse

from lecture.cli import build, gif, package, script, slides
from lecture.errors import LectureError
from nncore.console import Subcommand, command_parser, program_name, run_command

COMMANDS: tuple[Subcommand, ...] = (build.COMMAND, slides, gif, script, package)
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
