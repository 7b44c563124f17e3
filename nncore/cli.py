"""Command line of nncore: ``python -m nncore`` (or ``nncore``) ``train``, ``info PATH`` and ``sweep``.

``python -m nncore train [--config FILE] [--out PATH] [--dataset NAME] [--hidden-units N]
[--learning-rate F] [--iterations N] [--data-seed N] [--init-seed N] [--set TABLE.KEY=VALUE ...]``
trains with the config file (default ``media_config/lecture.toml``), flags overriding it (``--set``
any key, its value written as in TOML: ``--set model.hidden_layers=[10,5]``), prints the course's
"Cost after iteration N" lines and writes the history (default ``build/history.npz``).
``python -m nncore sweep [--config FILE] [--sweep NAME]
[--out-dir DIR]`` trains the variations declared in ``media_config/sweeps.toml`` (see
:mod:`nncore.sweep`). ``--version`` prints the version. Bad input is one line on stderr and exit
code 2; Ctrl-C exits with 130 and ``kill`` with 143, with nothing half-written.
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

from nncore.config import DATASETS, TABLES, TrainConfig, config_from_tables, load_config
from nncore.console import Command, command_parser, program_name, run_command
from nncore.errors import NNCoreError
from nncore.history import History
from nncore.paths import DEFAULT_CONFIG, DEFAULT_HISTORY, DEFAULT_SWEEP_DIR, DEFAULT_SWEEPS
from nncore.sweep import INDEX_NAME, SweepEntry, run_sweep, sweep_dir
from nncore.sweeps_file import load_sweeps
from nncore.train import train


class ProgressBar:
    """A one-line progress bar on stderr that appears only once a run takes more than a moment."""

    def __init__(self, label: str, delay: float = 0.3, width: int = 30, unit: str = "iterations") -> None:
        self.label, self.delay, self.width, self.unit = label, delay, width, unit
        self.start = time.perf_counter()
        self.shown = False
        self.tty = sys.stderr.isatty()
        self._last_quarter = -1

    def __call__(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` iterations."""
        elapsed = time.perf_counter() - self.start
        if elapsed < self.delay and done < total:
            return
        if elapsed < self.delay and not self.shown:
            return  # finished before it was worth showing
        frac = done / max(total, 1)
        if self.tty:
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            end = "\n" if done >= total else ""
            sys.stderr.write(f"\r{self.label} [{bar}] {done}/{total} {elapsed:5.1f}s{end}")
            sys.stderr.flush()
        else:
            quarter = int(frac * 4)
            if quarter > self._last_quarter:
                self._last_quarter = quarter
                sys.stderr.write(f"{self.label}: {done}/{total} {self.unit} ({elapsed:.1f}s)\n")
        self.shown = True


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None


def _train_arguments(t: argparse.ArgumentParser) -> None:
    t.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help=f"TOML config (default {DEFAULT_CONFIG})")
    t.add_argument(
        "--out", type=Path, default=DEFAULT_HISTORY, help=f"history file to write (default {DEFAULT_HISTORY})"
    )
    t.add_argument("--dataset", choices=DATASETS, help="data set, overrides [data] dataset")
    t.add_argument("--hidden-units", type=_integer, help="overrides [model] hidden_units")
    t.add_argument("--learning-rate", type=_number, help="overrides [train] learning_rate")
    t.add_argument("--iterations", type=_integer, help="overrides [train] iterations")
    t.add_argument("--data-seed", type=_integer, help="overrides [data] seed")
    t.add_argument("--init-seed", type=_integer, help="overrides [train] init_seed")
    t.add_argument(
        "--set",
        action="append",
        type=_setting,
        default=[],
        metavar="TABLE.KEY=VALUE",
        help="overrides any key, its value as in TOML (a bare word is a string; repeatable): "
        "--set train.optimizer=adam --set model.hidden_layers=[10,5]",
    )


def _setting(text: str) -> tuple[str, str, Any]:
    """``TABLE.KEY=VALUE`` with a TOML value (a bare word is a string): ``(table, key, value)``."""
    name, sep, raw = text.partition("=")
    table, dot, key = name.strip().partition(".")
    if not sep or not dot or table not in TABLES:
        raise argparse.ArgumentTypeError(
            f"expected TABLE.KEY=VALUE with TABLE one of {', '.join(TABLES)}, got {text!r}"
        )
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # a bare word: the string itself (--set model.activation=relu)
    return table, key, value


def _with_settings(cfg: TrainConfig, settings: list[tuple[str, str, Any]]) -> TrainConfig:
    """``cfg`` with the ``--set`` values, checked as a config file's would be (source: the command line)."""
    if not settings:
        return cfg
    tables = cfg.to_toml_tables()
    for table, key, value in settings:
        if (table, key) in (("model", "hidden_units"), ("model", "hidden_layers")):
            tables.get("model", {}).pop("hidden_layers" if key == "hidden_units" else "hidden_units", None)
        tables.setdefault(table, {})[key] = value
    return config_from_tables(tables, "command line --set")


def _info_arguments(i: argparse.ArgumentParser) -> None:
    i.add_argument("path", type=Path, help="history file (.npz)")


def _sweep_arguments(w: argparse.ArgumentParser) -> None:
    w.add_argument("--config", type=Path, default=DEFAULT_SWEEPS, help=f"sweeps file (default {DEFAULT_SWEEPS})")
    w.add_argument(
        "--sweep", action="append", metavar="NAME", help="run only this sweep (repeatable; default: every sweep)"
    )
    w.add_argument(
        "--out-dir", type=Path, default=DEFAULT_SWEEP_DIR, help=f"output directory (default {DEFAULT_SWEEP_DIR})"
    )


def cmd_train(args: argparse.Namespace) -> int:
    """Train with the config file and flags, print the course's cost lines, write the history, print a summary."""
    cfg = load_config(args.config)
    cfg = _with_settings(cfg, args.set).replace(
        dataset=args.dataset,
        hidden_units=args.hidden_units,
        learning_rate=args.learning_rate,
        iterations=args.iterations,
        data_seed=args.data_seed,
        init_seed=args.init_seed,
    )
    if args.out.exists() and args.out.is_dir():
        raise NNCoreError(f"{args.out}: --out is a directory; give a file path such as {DEFAULT_HISTORY}")
    history = train(cfg, ProgressBar("training", unit="iterations" if cfg.batch_size is None else "epochs"))
    try:
        history.save(args.out)
    except OSError as err:
        raise NNCoreError(f"{args.out}: cannot write history ({err.strerror or err})") from None
    size_mb = args.out.stat().st_size / 1e6
    for line in cost_lines(history):
        print(line)
    test = ""
    if cfg.test_points:
        test = f", test accuracy {100 * history.test_accuracy[-1]:.2f} %"
    print(
        f"wrote {args.out} ({size_mb:.1f} MB): {cfg.dataset}, {_network(cfg)}, "
        f"learning rate {cfg.learning_rate:g}, {cfg.iterations} {_unit(cfg, cfg.iterations)}; "
        f"final cost {history.cost[-1]:.6f}, accuracy {100 * history.accuracy[-1]:.2f} %{test}"
    )
    return 0


def cost_lines(history: History, every: int = 1000) -> list[str]:
    """The course's progress lines for ``history``, every ``every`` epochs from 0.

    Full batch, as week 1's notebooks print them: ``Cost after iteration 1000: 0.6879825919728063``;
    mini-batches, as week 2's: ``Cost after epoch 1000: 0.668101`` (the epoch's average).
    """
    mini = history.config.batch_size is not None
    lines = []
    for e in range(0, history.epochs, every):
        c = history.course_cost(e)
        lines.append(f"Cost after epoch {e}: {c:f}" if mini else f"Cost after iteration {e}: {c!r}")
    return lines


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    """``noun`` as a count of ``n`` says it: ``1 iteration``, ``2 iterations``."""
    return noun if n == 1 else plural or noun + "s"


def _network(cfg: TrainConfig) -> str:
    units = "-".join(map(str, cfg.layers))
    if cfg.hidden_layers is None and cfg.activation == "tanh":
        return f"{cfg.hidden_units} hidden {_plural(cfg.hidden_units, 'unit')}"
    return f"{units} {cfg.activation} hidden {_plural(sum(cfg.layers), 'unit')}"


def _unit(cfg: TrainConfig, n: int) -> str:
    """What ``n`` counts: iterations, or epochs of mini-batches."""
    if cfg.batch_size is None:
        return _plural(n, "iteration")
    return f"{_plural(n, 'epoch')} of {cfg.batches} {_plural(cfg.batches, 'mini-batch', 'mini-batches')}"


def cmd_info(args: argparse.Namespace) -> int:
    """Print a summary of a history file."""
    h = History.load(args.path)
    cfg = h.config
    best = int(h.accuracy.argmax())
    print(f"{args.path}: history schema v{h.meta['schema_version']}, nncore {h.meta.get('nncore_version', '?')}")
    test = f", {cfg.test_points} test points (seed {cfg.test_data_seed})" if cfg.test_points else ""
    features = "" if cfg.features == ("x1", "x2") else f", features {', '.join(cfg.features)}"
    print(f"  data      {cfg.dataset} (seed {cfg.data_seed}), m = {h.m}, n_x = {h.n_x}{features}{test}")
    sizes = "-".join(map(str, h.sizes))
    print(f"  model     {sizes}, {cfg.activation} hidden, sigmoid output ({cfg.init} init, init_seed {cfg.init_seed})")
    extras = [f"{cfg.optimizer}"]
    if cfg.batch_size is not None:
        extras.append(f"mini-batches of {cfg.batch_size} ({h.updates} updates)")
    if cfg.l2:
        extras.append(f"l2 {cfg.l2:g}")
    if cfg.keep_prob < 1:
        extras.append(f"keep_prob {cfg.keep_prob:g}")
    if cfg.decay_rate:
        extras.append(f"decay_rate {cfg.decay_rate:g} every {cfg.decay_interval} epochs")
    run = f"{h.iterations} {_unit(cfg, h.iterations)}"
    print(f"  training  {run}, learning rate {cfg.learning_rate:g}, {', '.join(extras)}")
    print(f"  cost      {h.cost[0]:.6f} -> {h.cost[-1]:.6f}")
    print(
        f"  accuracy  {100 * h.accuracy[0]:.2f} % -> {100 * h.accuracy[-1]:.2f} % "
        f"(best {100 * h.accuracy[best]:.2f} % at iteration {best})"
    )
    if cfg.test_points:
        print(f"  test      cost {h.test_cost[-1]:.6f}, accuracy {100 * h.test_accuracy[-1]:.2f} %")
    return 0


def _sweep_row(entry: SweepEntry) -> str:
    run = "trained" if entry.trained else "reused"
    if entry.diverged:
        outcome = f"diverged: cost not finite at iteration {entry.diverged_at}"
        return f"  {entry.label:<28} {outcome:<22} {run}"
    return f"  {entry.label:<28} {entry.final_cost:>10.6f} {100 * entry.final_accuracy:>9.2f} %  {run}"


def cmd_sweep(args: argparse.Namespace) -> int:
    """Train the declared sweeps (or those named), write histories and indexes, print a table."""
    sweeps = load_sweeps(args.config)
    names = args.sweep or list(sweeps)
    for name in names:
        if name not in sweeps:
            raise NNCoreError(f"{args.config}: no sweep named {name!r}; declared: {', '.join(sweeps)}")
    if args.out_dir.exists() and not args.out_dir.is_dir():
        raise NNCoreError(f"{args.out_dir}: --out-dir is not a directory")
    for name in dict.fromkeys(names):
        sweep = sweeps[name]
        try:
            entries = run_sweep(sweep, args.out_dir, ProgressBar(f"sweep {name}"))
        except KeyboardInterrupt:
            raise KeyboardInterrupt(
                f"interrupted; the histories of {name} written so far are kept and reused next time"
            ) from None
        except OSError as err:
            raise NNCoreError(f"{sweep_dir(sweep, args.out_dir)}: cannot write sweep ({err.strerror or err})") from None
        trained = sum(e.trained for e in entries)
        print(
            f"sweep {name}: {sweep.vary} over {len(entries)} values, {trained} trained, "
            f"{len(entries) - trained} reused -> {sweep_dir(sweep, args.out_dir) / INDEX_NAME}"
        )
        print(f"  {'variation':<28} {'final cost':>10} {'accuracy':>11}  run")
        for entry in entries:
            print(_sweep_row(entry))
    return 0


COMMANDS = (
    Command("train", "train and write a history file", _train_arguments, cmd_train, "interrupted; nothing was written"),
    Command("info", "summarise a history file", _info_arguments, cmd_info),
    Command(
        "sweep",
        "train declared variations of the config; write their histories and an index",
        _sweep_arguments,
        cmd_sweep,
    ),
)
"""Every subcommand, in the order ``--help`` lists them."""


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of ``python -m nncore`` (``prog``: how the process was started)."""
    return command_parser("nncore", "Train the course's network and record its history.", COMMANDS, prog)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m nncore`` and the ``nncore`` script; returns the exit code."""
    args = build_parser(program_name("nncore") if argv is None else None).parse_args(argv)
    return run_command(args, lambda err: 2 if isinstance(err, NNCoreError) else None)
