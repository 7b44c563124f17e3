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

from lecture.errors import LectureError
from lecture.pipeline import BuildOptions
from lecture.settings import check_address
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


def address_arg(text: str) -> str:
    """``--cluster``: a Dask scheduler's address, ``tcp://HOST:PORT``."""
    try:
        return check_address(text, "--cluster")
    except LectureError as err:
        raise argparse.ArgumentTypeError(str(err).replace("--cluster = ", "")) from None


def read_config_list(path: Path) -> list[Path]:
    """The configs a ``--configs`` file lists: one path a line, ``#`` comments, relative to the file's folder.

    Raises
    ------
    LectureError
        The file cannot be read, lists nothing, or names a config that is not a file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise LectureError(
            f"--configs {path}: cannot read it ({err.__class__.__name__}); expected a text file"
        ) from None
    configs = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        config = Path(entry) if Path(entry).is_absolute() else path.parent / entry
        if not config.is_file():
            raise LectureError(f"{path}:{number}: {entry!r} is not a file; expected a training config's path")
        configs.append(config)
    if not configs:
        raise LectureError(f"--configs {path}: it lists no config; expected one training config's path a line")
    return configs


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
    several: bool = False,
) -> None:
    """Add ``--config --quality --jobs --segments --render-config --build-dir --voice`` to ``parser``.

    With ``several`` (``build``), ``--config`` may be given more than once, and ``--configs LIST``
    and ``--cluster ADDRESS`` are added.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        A subcommand's parser.
    jobs, segments, voice : str
        The help of those options, in the subcommand's words.
    several : bool
        Whether the command builds several lectures and renders on a cluster.
    """
    parser.add_argument(
        "--config",
        type=Path,
        action="append",
        metavar="FILE",
        help=f"training config (default {DEFAULT_CONFIG})" + ("; give it again for more lectures" if several else ""),
    )
    if several:
        parser.add_argument(
            "--configs",
            type=Path,
            metavar="LIST",
            help="a file listing training configs, one path a line (# comments; paths relative to the file): "
            "one lecture each, in build/lectures/<config's name>/<quality>/",
        )
        parser.add_argument(
            "--cluster",
            type=address_arg,
            metavar="tcp://HOST:PORT",
            help="render on the workers of this Dask scheduler (default: [cluster] address in the render config, "
            "or here); needs make setup-cluster",
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
    """The lecture build that the options of :func:`add_lecture_options` ask for.

    Raises
    ------
    LectureError
        Several configs given to a command that builds one lecture, or a bad ``--configs`` file.
    """
    configs = list(args.config or [])
    listed = getattr(args, "configs", None)
    if listed is not None:
        configs += read_config_list(listed)
    several = listed is not None or len(configs) > 1
    if several and not hasattr(args, "cluster"):
        raise LectureError(f"--config is given {len(configs)} times; this command makes one lecture from one config")
    return BuildOptions(
        config=configs[0] if len(configs) == 1 and not several else DEFAULT_CONFIG,
        configs=configs if several else [],
        cluster=getattr(args, "cluster", None),
        render_config=args.render_config,
        quality=args.quality,
        jobs=args.jobs,
        build_dir=args.build_dir,
        segments=args.segments,
        voice=args.voice,
    )
