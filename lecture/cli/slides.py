"""``python -m lecture slides [--quality PRESET] [--format html,pptx] [--segments A,B]``: the deck command.

Builds the lecture if needed and cuts it into a deck that advances one beat at a time, each
chapter's "check your understanding" questions after its last beat (when the lecture folder has a
``questions.json``), each answer on the next step (:func:`lecture.deck.make_deck.make_deck`):
``build/slides/<quality>/`` holds ``index.html`` (the reveal.js page) and ``lecture.pptx``.
"""

from __future__ import annotations

import argparse
from typing import Any

from lecture.cli.options import add_lecture_options, build_options
from lecture.deck.make_deck import FORMATS, DeckOptions, make_deck, parse_formats

interrupted = "interrupted: the previous deck is unchanged; run slides again to finish"
"""What Ctrl-C or ``kill`` prints (:func:`nncore.console.run_command` handles both, with exit codes 130 and 143)."""


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``slides`` on the sub-command parsers ``sub`` of ``python -m lecture``; return its parser."""
    p = sub.add_parser(
        "slides",
        help=(
            "the lecture as a deck, one beat per step, each chapter's questions after it: "
            "build/slides/<quality>/ (index.html, lecture.pptx)"
        ),
        description=(
            "Build the lecture (if needed) and cut it into a deck that advances beat by beat. After each "
            "chapter come its check-your-understanding questions (the lecture's questions.json, when it has "
            "one), one slide each whose next step reveals the answer (in the PPTX: a question slide, then an "
            "answer slide); the speaker notes hold the answers."
        ),
    )
    add_lecture_options(
        p,
        jobs="segments rendered in parallel if any must be (default: the cores)",
        segments="only these segments (framed by the title and the summary); the lecture is built with the same ones",
        voice="the voice of the lecture the deck is cut from (default: [voice] name in the render config; none)",
    )
    p.add_argument(
        "--format",
        dest="formats",
        default=",".join(FORMATS),
        metavar="html,pptx",
        help="what to write: html (the reveal.js page), pptx (PowerPoint) or both (the default)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``python -m lecture slides`` with parsed ``args``; return the exit code (0).

    Bad input, a missing tool, a failed step and interrupts are :func:`nncore.console.run_command`'s
    to report: one line, exit code 2 or 1; 130 on Ctrl-C and 143 on ``kill``, the previous deck unchanged.
    """
    opts = DeckOptions(build_options(args), parse_formats(args.formats))
    make_deck(opts)
    return 0
