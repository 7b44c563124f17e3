"""The training configuration: every hyperparameter declared once, typed, strictly loaded.

``python -m nncore train --config media_config/lecture.toml`` reads a file of this form::

    [data]
    dataset = "flower"   # flower | moons | circles | blobs | gaussian_quantiles
    seed = 1

    [model]
    hidden_units = 4

    [train]
    learning_rate = 1.2
    iterations = 10000
    init_seed = 2

Unknown tables or keys, wrong types and out-of-range values raise :class:`ConfigError` with a
one-line message naming the file, the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nncore.errors import ConfigError
from nncore.paths import DEFAULT_CONFIG

DATASETS: tuple[str, ...] = ("flower", "moons", "circles", "blobs", "gaussian_quantiles")
"""Names of the data sets :func:`nncore.data.load_dataset` knows."""

MAX_HIDDEN_UNITS = 100
MAX_ITERATIONS = 100_000
MAX_POINTS = 10_000


@dataclass(frozen=True)
class Field:
    """Declaration of one config key: where it lives, its type, default and allowed range."""

    table: str
    key: str
    type: type
    default: Any
    allowed: str  # human-readable description used in error messages


@dataclass(frozen=True)
class TrainConfig:
    """Everything needed to reproduce a training run exactly.

    Attributes
    ----------
    dataset : str
        One of :data:`DATASETS`.
    data_seed : int
        Seed of the data set's random draws (the course uses 1 for the flower).
    points : int or None
        Number of data points; ``None`` means the data set's default (400 flower, 200 others).
    hidden_units : int
        Units in the tanh hidden layer, ``n_h``.
    learning_rate : float
        Step size of batch gradient descent.
    iterations : int
        Number of gradient-descent updates ``T``.
    init_seed : int
        Seed of the weight initialisation (the course uses 2).
    """

    dataset: str = "flower"
    data_seed: int = 1
    points: int | None = None
    hidden_units: int = 4
    learning_rate: float = 1.2
    iterations: int = 10_000
    init_seed: int = 2

    def to_dict(self) -> dict[str, Any]:
        """Return the config as a plain JSON-serialisable dict keyed by field name."""
        return dataclasses.asdict(self)

    def to_toml_tables(self) -> dict[str, dict[str, Any]]:
        """Return the config grouped as in the TOML file (``None`` values left out)."""
        tables: dict[str, dict[str, Any]] = {}
        for f in FIELDS:
            value = getattr(self, _ATTR[(f.table, f.key)])
            if value is not None:
                tables.setdefault(f.table, {})[f.key] = value
        return tables

    @classmethod
    def from_dict(cls, values: dict[str, Any], source: str = "config") -> TrainConfig:
        """Build and validate a config from a dict keyed by field name (as in history meta).

        Raises
        ------
        ConfigError
            On an unknown key or an invalid value.
        """
        known = {f.name for f in dataclasses.fields(cls)}
        for name in values:
            if name not in known:
                raise ConfigError(f"{source}: unknown key '{name}'; allowed: {', '.join(sorted(known))}")
        cfg = cls(**values)
        cfg.validate(source)
        return cfg

    def replace(self, **changes: Any) -> TrainConfig:
        """Return a copy with ``changes`` applied (``None`` values are ignored), validated."""
        changes = {k: v for k, v in changes.items() if v is not None}
        cfg = dataclasses.replace(self, **changes)
        cfg.validate("command line")
        return cfg

    def validate(self, source: str = "config") -> None:
        """Check every value's type and range.

        Raises
        ------
        ConfigError
            Naming ``source``, the key and what is allowed.
        """
        for f in FIELDS:
            attr = _ATTR[(f.table, f.key)]
            value = getattr(self, attr)
            if value is None and f.default is None:
                continue
            _check_type(source, f, value)
            if not _in_range(attr, value):
                raise ConfigError(f"{source}: [{f.table}] {f.key} = {value!r} is not allowed; expected {f.allowed}")


FIELDS: tuple[Field, ...] = (
    Field("data", "dataset", str, "flower", "one of " + ", ".join(repr(d) for d in DATASETS)),
    Field("data", "seed", int, 1, "an integer from 0 to 2**32 - 1"),
    Field("data", "points", int, None, f"an even integer from 4 to {MAX_POINTS}"),
    Field("model", "hidden_units", int, 4, f"an integer from 1 to {MAX_HIDDEN_UNITS}"),
    Field("train", "learning_rate", float, 1.2, "a finite number > 0"),
    Field("train", "iterations", int, 10_000, f"an integer from 1 to {MAX_ITERATIONS}"),
    Field("train", "init_seed", int, 2, "an integer from 0 to 2**32 - 1"),
)
"""Every config key, declared once: the TOML table, key, type, default and allowed values."""

_ATTR: dict[tuple[str, str], str] = {
    ("data", "dataset"): "dataset",
    ("data", "seed"): "data_seed",
    ("data", "points"): "points",
    ("model", "hidden_units"): "hidden_units",
    ("train", "learning_rate"): "learning_rate",
    ("train", "iterations"): "iterations",
    ("train", "init_seed"): "init_seed",
}


def _check_type(source: str, f: Field, value: Any) -> None:
    if f.type is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        kind = "a number"
    elif f.type is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        kind = "an integer"
    else:
        ok = isinstance(value, str)
        kind = "a string"
    if not ok:
        raise ConfigError(
            f"{source}: [{f.table}] {f.key} must be {kind}, got {type(value).__name__} {value!r}; expected {f.allowed}"
        )


def _in_range(attr: str, value: Any) -> bool:
    if attr == "dataset":
        return value in DATASETS
    if attr in ("data_seed", "init_seed"):
        return 0 <= value < 2**32
    if attr == "points":
        return 4 <= value <= MAX_POINTS and value % 2 == 0
    if attr == "hidden_units":
        return 1 <= value <= MAX_HIDDEN_UNITS
    if attr == "learning_rate":
        return math.isfinite(value) and value > 0
    if attr == "iterations":
        return 1 <= value <= MAX_ITERATIONS
    raise AssertionError(attr)


def load_config(path: str | Path = DEFAULT_CONFIG) -> TrainConfig:
    """Load and validate a training config from a TOML file.

    Parameters
    ----------
    path : str or Path
        The TOML file, with tables ``[data]``, ``[model]`` and ``[train]``; missing keys take
        their defaults.

    Returns
    -------
    TrainConfig

    Raises
    ------
    ConfigError
        If the file is missing, unreadable, not TOML, or has unknown keys or invalid values.
    """
    path = Path(path)
    return config_from_tables(read_toml(path, "config file"), str(path))


def read_toml(path: Path, kind: str, missing_hint: str = "") -> dict[str, Any]:
    """Parse a TOML file, turning every way it can fail into a one-line :class:`ConfigError`.

    Parameters
    ----------
    path : Path
    kind : str
        What the file is, for the message (``"config file"``, ``"sweeps file"`` …).
    missing_hint : str
        Appended to the not-found message (e.g. ``"; pass --render-config FILE"``).

    Raises
    ------
    ConfigError
        ``<path>: <kind> not found``, ``<path>: cannot read <kind> (...)`` or
        ``<path>: not valid TOML (...)``.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {kind} not found{missing_hint}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read {kind} ({err.__class__.__name__}: {err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from None


def config_from_tables(raw: dict[str, Any], source: str) -> TrainConfig:
    """Build a validated :class:`TrainConfig` from parsed TOML tables.

    Raises
    ------
    ConfigError
        On unknown tables or keys, or invalid values.
    """
    tables = {f.table for f in FIELDS}
    values: dict[str, Any] = {}
    for table, content in raw.items():
        if table not in tables:
            raise ConfigError(f"{source}: unknown table [{table}]; allowed tables: {', '.join(sorted(tables))}")
        if not isinstance(content, dict):
            raise ConfigError(f"{source}: '{table}' must be a table [{table}], got {type(content).__name__}")
        keys = [f.key for f in FIELDS if f.table == table]
        for key, value in content.items():
            if key not in keys:
                raise ConfigError(f"{source}: unknown key '{key}' in [{table}]; allowed: {', '.join(keys)}")
            values[_ATTR[(table, key)]] = value
    cfg = TrainConfig(**values)
    cfg.validate(source)
    if isinstance(cfg.learning_rate, int):
        cfg = dataclasses.replace(cfg, learning_rate=float(cfg.learning_rate))
    return cfg
