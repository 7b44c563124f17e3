"""python scripts/layout_replay.py "TrainConfig(...)" [--segments backprop,title]: replay a layout search's find.

``make test-layout`` writes every configuration it plays to ``build/test-layout.log`` as
``TrainConfig(...)``; paste one here (or ``@FILE`` holding it) to train it and play the lecture's
segments (or the named ones) through the same layout check, printing each problem. Seconds for a
segment, minutes for a whole lecture of a long run: to find the fewest epochs that still show a
problem, replay with a smaller ``iterations=``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the layout check lives beside the tests that use it

from lecture_configs import check_lecture  # noqa: E402

from nncore import TrainConfig  # noqa: E402


def _bad_input(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def parse_config(text: str) -> TrainConfig:
    """A ``TrainConfig(key=value, ...)`` as the log prints it (values are Python literals)."""
    import ast

    call = ast.parse(text.strip(), mode="eval").body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "TrainConfig"):
        _bad_input(f"expected TrainConfig(key=value, ...), got {text[:60]!r}")
    known = {f.name for f in fields(TrainConfig)}
    values = {}
    for kw in call.keywords:
        if kw.arg not in known:
            _bad_input(f"TrainConfig has no key {kw.arg!r}; its keys: {', '.join(sorted(known))}")
        values[kw.arg] = ast.literal_eval(kw.value)
    return TrainConfig(**values)


def main() -> int:
    """Replay the configuration; exit 1 if any segment has a problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", help='"TrainConfig(...)" from build/test-layout.log, or @FILE holding it')
    parser.add_argument("--segments", help="only these segments, separated by commas (default: every one)")
    args = parser.parse_args()
    text = Path(args.config[1:]).read_text() if args.config.startswith("@") else args.config
    cfg = parse_config(text)
    segments = args.segments.split(",") if args.segments else None
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="layout-replay-") as tmp:
        result = check_lecture(cfg, Path(tmp) / "work", Path(tmp) / "sweeps", segments=segments)
    problems = 0
    for name, check in result.segments.items():
        for problem in check.problems:
            print(f"PROBLEM {name}: {problem}")
        problems += len(check.problems)
        print(f"{name}: {len(check.beats)} beats, {len(check.problems)} problems")
    print(f"{time.perf_counter() - start:.1f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
