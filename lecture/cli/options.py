"""The options every lecture command that builds the lecture shares, declared once.

``python -m lecture build``, ``slides`` and ``script`` each build the lecture (reusing what is
cached) before doing their own part, so they take the same options with the same meaning:
:func:`add_lecture_options` adds them to a subcommand's parser and :func:`build_options` turns the
parsed arguments into the :class:`lecture.pipeline.BuildOptions` of that build. Each command words
its own help for ``--jobs``, ``--segments`` and ``--voice``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from lecture.pipeline import BuildOptions
from nncore.paths import DEFAULT_BUILD_DIR, DEFAULT_CONFIG, DEFAULT_RENDER_CONFIG

QUALITY_HELP = "preview (480p15), course (1080p30, the default) or hd60 (1080p60); presets live in the render config"


def jobs_arg(text: str) -> int:
    """``--jobs``: a whole number of parallel renders, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of parallel renders, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 parallel render, got {value}")
    return value


def names_arg(text: str) -> list[str]:
    """``--segments``: segment names separated by commas (at least one)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected segment names separated by commas")
    return names


def add_lecture_options(
    parser: argparse.ArgumentParser,
    *,
    jobs: str = "segments rendered in parallel (default: the number of cores)",
    segments: str = "build only these segments (in lecture order, enabled or not); the title and summary frame them",
    voice: str = "who narrates: an installed voice (default: [voice] name in the render config, joe) or none (silent)",
) -> None:
    """Add ``--config --quality --jobs --segments --render-config --build-dir --voice`` to ``parser``.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A subcommand's parser.
    jobs, segments, voice : str
        The help of those options, in the subcommand's words.
    """
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help=f"training config (default {DEFAULT_CONFIG})"
    )
    parser.add_argument("--quality", metavar="PRESET", help=QUALITY_HELP)
    parser.add_argument("--jobs", type=jobs_arg, help=jobs)
    parser.add_argument("--segments", type=names_arg, metavar="A,B,...", help=segments)
    add_folder_options(parser, "presets, segment list and voice", "output folder")
    parser.add_argument("--voice", metavar="NAME", help=voice)


def add_folder_options(parser: argparse.ArgumentParser, render_config: str, build_dir: str) -> None:
    """Add ``--render-config`` and ``--build-dir``, with their defaults, described in the command's words.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    render_config, build_dir : str
        What each is to this command (the default is appended).
    """
    parser.add_argument(
        "--render-config",
        type=Path,
        default=DEFAULT_RENDER_CONFIG,
        help=f"{render_config} (default {DEFAULT_RENDER_CONFIG})",
    )
    parser.add_argument(
        "--build-dir", type=Path, default=DEFAULT_BUILD_DIR, help=f"{build_dir} (default {DEFAULT_BUILD_DIR})"
    )


def build_options(args: argparse.Namespace) -> BuildOptions:
    """The lecture build that the options of :func:`add_lecture_options` ask for."""
    return BuildOptions(
        config=args.config,
        render_config=args.render_config,
        quality=args.quality,
        jobs=args.jobs,
        build_dir=args.build_dir,
        segments=args.segments,
        voice=args.voice,
    )
