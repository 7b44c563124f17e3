"""``python -m lecture gif SEGMENT [--from T] [--to T] [--width PX] [--fps N] [--quality PRESET]``: the loop command.

Writes a GIF and an animated WebP of a segment's cached render, or of a stretch of it
(:func:`lecture.loops.make_loop.make_loop`); nothing is rendered.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from lecture.cli.options import add_folder_options
from lecture.errors import LectureError
from lecture.loops.make_loop import DEFAULT_FPS, DEFAULT_WIDTH, LoopRequest, make_loop


def _positive_int(what: str) -> Any:
    def parse(text: str) -> int:
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what} as a whole number, got {text!r}") from None

    return parse


interrupted = "interrupted: no loop written (an older one with the same name is unchanged)"
"""What ``python -m lecture`` prints when Ctrl-C or ``kill`` stops ``gif`` (its temporary files are removed)."""


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``gif`` command to ``python -m lecture``'s subcommands (``sub``, from ``add_subparsers``)."""
    g: argparse.ArgumentParser = sub.add_parser(
        "gif",
        help="write a GIF and an animated WebP of a rendered segment (or a stretch of it) for a page",
        description="Write a palette-optimised GIF and an animated WebP of a segment's cached render.",
    )
    g.add_argument("segment", metavar="SEGMENT", help="a segment's name, as in the render config")
    g.add_argument(
        "--from",
        dest="start",
        metavar="T",
        help="start: seconds from the segment's start (31.3, 1:05) or a beat's name",
    )
    g.add_argument("--to", dest="end", metavar="T", help="end: seconds from the segment's start or a beat's name")
    g.add_argument(
        "--width",
        type=_positive_int("a width in pixels"),
        metavar="PX",
        help=f"width in pixels (default {DEFAULT_WIDTH}; at most the render's)",
    )
    g.add_argument(
        "--fps",
        type=_positive_int("a frame rate"),
        metavar="N",
        help=f"frames per second (default {DEFAULT_FPS}; at most the render's)",
    )
    g.add_argument("--quality", metavar="PRESET", help="whose render to use (default: the render config's default)")
    g.add_argument(
        "--output",
        type=Path,
        metavar="FILE.gif",
        help="the GIF's path, the WebP beside it (default <build dir>/loops/<quality>/<segment>...gif)",
    )
    add_folder_options(g, "presets and segment list", "build folder")
    return g


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``python -m lecture gif`` with the parsed ``args``; return the exit code (0, or 2 on bad input)."""
    out = out or sys.stdout
    err = err or sys.stderr
    request = LoopRequest(
        segment=args.segment,
        start=args.start,
        end=args.end,
        width=args.width,
        fps=args.fps,
        quality=args.quality,
        render_config=args.render_config,
        build_dir=args.build_dir,
        output=args.output,
    )
    try:
        loop = make_loop(request)
    except LectureError as error:
        print(f"error: {error}", file=err)
        return error.exit_code
    print(loop.describe(), file=out)
    return 0
