"""``python -m lecture script [--quality PRESET] [--segments A,B] [--voice NAME|none] [--out DIR]``: the script command.

Builds the lecture if needed and writes every spoken line, to record the lecture in your own voice
(:func:`lecture.recording_script.make_script`): ``build/script/script.md`` and ``script.json``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from lecture.cli.options import add_lecture_options, build_options
from lecture.recording_script import SCRIPT_DIR_NAME, ScriptOptions, make_script


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``script`` on the sub-command parsers ``sub`` of ``python -m lecture``; return its parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "script",
        help="the narration script to record the lecture from: build/script/ (script.md, script.json)",
        description="Build the lecture (if needed) and write every spoken line, to record in your own voice.",
    )
    add_lecture_options(
        p,
        jobs="segments rendered in parallel if any must be (default: the number of cores)",
        segments="only these segments (framed by the title and the summary); the lecture is built with the same ones",
        voice="the voice of the lecture the lines are read from (default: [voice] name in the render config)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"where script.md and script.json go (default <build dir>/{SCRIPT_DIR_NAME})",
    )
    return p


interrupted = "interrupted: the previous lecture and script are unchanged; run script again to finish"
"""What ``python -m lecture`` prints when Ctrl-C or ``kill`` stops ``script``."""


def run(args: argparse.Namespace) -> int:
    """Run ``python -m lecture script`` with the parsed ``args``; return the exit code (0).

    Bad input (exit 2), a failed render (1) and interrupts are :func:`nncore.console.run_command`'s to report.
    """
    make_script(ScriptOptions(build=build_options(args), out=args.out))
    return 0
