"""What both command lines share: subcommands, one-line usage errors, ``--version``, and interrupts.

``python -m nncore`` (:mod:`nncore.cli`) and ``python -m lecture`` (:mod:`lecture.cli`), or their
console scripts ``nncore`` and ``lecture``, are each a list of subcommands (:class:`Subcommand`)
parsed by :func:`command_parser` and run by :func:`run_command`. Exit codes, as shells expect
them: 0 done, 1 a failed step, 2 bad input (one line on stderr), 130 Ctrl-C (128 + SIGINT), 143
``kill`` (128 + SIGTERM).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any, NoReturn, Protocol

DISTRIBUTION = "nn-lecture"
"""The distribution both packages ship in; its version is written once, in ``pyproject.toml``."""

EXIT_USAGE = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


def distribution_version() -> str:
    """The installed version of :data:`DISTRIBUTION` (``0+unknown`` when run from an uninstalled tree)."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def program_name(module: str) -> str:
    """How this process was started, for usage lines and errors: ``python -m lecture`` or ``lecture``.

    ``python -m MODULE`` when ``__main__`` is the package's own ``__main__`` (the interpreter's name
    as it was run, as Python 3.14's argparse does), otherwise the console script's name.
    """
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and spec.name.removesuffix(".__main__") == module:
        return f"{os.path.basename(sys.executable) or 'python'} -m {module}"
    script = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return script if script and script != "-c" else f"python -m {module}"


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit code 2, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE`` and exit with code 2 (argparse prints the usage too)."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class Subcommand(Protocol):
    """A subcommand: a :class:`Command`, or a module with these two functions.

    ``add_parser(sub)`` adds it to the subcommand parsers ``sub`` (from ``add_subparsers``) with
    its options and returns its parser; ``run(args)`` runs it and returns the exit code. An
    ``interrupted`` attribute, if any, is the line printed when Ctrl-C or ``kill`` stops it.
    """

    def add_parser(self, sub: Any) -> argparse.ArgumentParser:
        """Add the subcommand and its options to ``sub``; return its parser."""
        ...

    def run(self, args: argparse.Namespace) -> int:
        """Run it with the parsed arguments; return the exit code."""
        ...


@dataclass(frozen=True)
class Command:
    """A subcommand written as its name, its arguments and what it runs (a :class:`Subcommand`).

    Attributes
    ----------
    name, help : str
        As ``--help`` lists it.
    add_arguments : callable
        Adds the subcommand's options to its parser.
    run : callable
        Runs it with the parsed arguments; returns the exit code.
    interrupted : str
        The line printed when Ctrl-C or ``kill`` stops it (a ``KeyboardInterrupt`` raised with a
        message replaces it).
    """

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    interrupted: str = "interrupted"

    def add_parser(self, sub: Any) -> argparse.ArgumentParser:
        """Add this subcommand and its options to ``sub``; return its parser."""
        parser: argparse.ArgumentParser = sub.add_parser(self.name, help=self.help, description=self.help)
        self.add_arguments(parser)
        return parser


def command_parser(module: str, description: str, commands: Sequence[Subcommand], prog: str | None) -> OneLineParser:
    """The parser of a command line made of ``commands``, with ``--version``.

    ``prog`` defaults to ``python -m MODULE``; :func:`program_name` gives how the process was started.
    """
    parser = OneLineParser(prog=prog or f"python -m {module}", description=description)
    parser.add_argument("--version", action="version", version=f"%(prog)s {distribution_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for command in commands:
        command.add_parser(sub).set_defaults(_subcommand=command)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C's ``KeyboardInterrupt`` would be, so that ``kill`` cleans up as Ctrl-C does."""


class Interrupts:
    """While entered, SIGTERM raises :class:`Terminated` (once: clean-up is not interrupted again).

    :attr:`exit_code` then tells a ``kill`` (143) from Ctrl-C (130), whichever ``KeyboardInterrupt``
    reaches the caller. Outside the main thread signals cannot be handled, and nothing changes.
    """

    def __init__(self) -> None:
        self.terminated = False
        self._previous: Any = None
        self._installed = False

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        if not self.terminated:
            self.terminated = True
            raise Terminated

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._on_sigterm)
            self._installed = True
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        if self._installed:
            signal.signal(signal.SIGTERM, self._previous)
            self._installed = False

    @property
    def exit_code(self) -> int:
        """143 after a SIGTERM, otherwise 130."""
        return EXIT_TERMINATED if self.terminated else EXIT_INTERRUPTED


def run_command(args: argparse.Namespace, errors: Callable[[Exception], int | None]) -> int:
    """Run the parsed subcommand: ``errors`` turns an exception into an exit code (None: not ours).

    An error it recognises is printed as ``error: <message>``, one line; Ctrl-C and ``kill`` print
    the subcommand's ``interrupted`` line and exit with 130 and 143.
    """
    command: Subcommand = args._subcommand
    interrupts = Interrupts()
    try:
        with interrupts:
            return command.run(args)
    except KeyboardInterrupt as stop:
        print(str(stop) or getattr(command, "interrupted", "interrupted"), file=sys.stderr)
        return interrupts.exit_code
    except Exception as err:
        code = errors(err)
        if code is None:
            raise
        print(f"error: {err}", file=sys.stderr)
        return code
