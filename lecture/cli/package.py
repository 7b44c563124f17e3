"""``python -m lecture package [--quality PRESET] [--format scorm,gift,qti] [--out DIR]``: the LMS command.

Packages an already built lecture (:func:`lecture.package.make_package.make_package`): a SCORM 1.2
zip of the page and video that reports the quiz to the LMS, and the questions as Moodle GIFT and
as a Canvas QTI zip, in ``build/package/<quality>/``. It builds nothing: a lecture never built is
one line naming the command that builds it. ``docs/package.md`` says how to import each file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from lecture.cli.options import QUALITY_HELP, add_folder_options
from lecture.package.make_package import FILES, PackageOptions, make_package, parse_formats, parse_mastery
from lecture.package.scorm import MASTERY

interrupted = "interrupted: the previous package is unchanged; run package again"
"""What Ctrl-C or ``kill`` prints (the temporary files are removed; nothing was renamed into place)."""


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add ``package`` to ``python -m lecture``'s subcommands (``sub``, from ``add_subparsers``); return its parser."""
    p: argparse.ArgumentParser = sub.add_parser(
        "package",
        help="package a built lecture for an LMS: build/package/<quality>/ (SCORM 1.2 zip, GIFT, Canvas QTI zip)",
        description=(
            "Write a built lecture as a SCORM 1.2 package that reports its quiz to the LMS, and its "
            "questions as Moodle GIFT and as a QTI 1.2 zip for Canvas. Nothing is built: run "
            "`python -m lecture build` first."
        ),
    )
    p.add_argument("--quality", metavar="PRESET", help=QUALITY_HELP)
    p.add_argument(
        "--format",
        dest="formats",
        metavar="scorm,gift,qti",
        help=f"what to write (default: all three; {', '.join(f'{k}: {v}' for k, v in FILES.items())})",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="the output folder (default <build dir>/package/<quality>/)",
    )
    p.add_argument(
        "--mastery",
        default=str(MASTERY),
        metavar="PERCENT",
        help=f"the SCORM mastery score: the percentage of right answers that passes (default {MASTERY})",
    )
    add_folder_options(p, "presets", "build folder the lecture was built in")
    return p


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``python -m lecture package`` with parsed ``args``; return the exit code (0).

    Bad input is :func:`nncore.console.run_command`'s to report: one line, exit code 2.
    """
    opts = PackageOptions(
        quality=args.quality,
        formats=None if args.formats is None else parse_formats(args.formats),
        out=args.out,
        mastery=parse_mastery(args.mastery),
        render_config=args.render_config,
        build_dir=args.build_dir,
    )
    report = make_package(opts)
    print(report.describe(), file=out or sys.stdout)
    return 0
