"""Command line of the lecture builder: ``python -m lecture build``.

``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]
[--segments A,B] [--render-config FILE] [--build-dir DIR]`` builds
``build/lecture/<quality>/lecture.mp4`` and its companions (see :mod:`lecture.build`). Bad input
and missing tools are one line on stderr and exit code 2; a failed render exits with 1; an
interrupted build (Ctrl-C, SIGTERM) with 130 and leaves the previous lecture as it was.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from lecture.build import BuildOptions, build
from lecture.errors import LectureError
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_CONFIG, DEFAULT_RENDER_CONFIG


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit 2, like every other bad input
        self.exit(2, f"{self.prog}: error: {message}\n")


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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m lecture``."""
    parser = _Parser(prog="python -m lecture", description="Build the lecture video, its chapters, captions and page.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    b = sub.add_parser("build", help="render what changed, stitch, and write build/lecture/<quality>/")
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
        help=f"presets and segment list (default {DEFAULT_RENDER_CONFIG})",
    )
    b.add_argument(
        "--build-dir", type=Path, default=DEFAULT_BUILD_DIR, help=f"output folder (default {DEFAULT_BUILD_DIR})"
    )
    return parser


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: stop the renders, keep the previous lecture."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    opts = BuildOptions(
        config=args.config,
        render_config=args.render_config,
        quality=args.quality,
        jobs=args.jobs,
        build_dir=args.build_dir,
        segments=args.segments,
    )
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        build(opts)
    except LectureError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted: the previous lecture is unchanged; run the build again to finish", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
