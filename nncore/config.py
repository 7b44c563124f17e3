"""The training configuration: every hyperparameter declared once, typed, strictly loaded.

``python -m nncore train --config media_config/lecture.toml`` reads a file of this form (every
key optional; ``media_config/lecture.toml`` lists them all with their defaults)::

    [data]
    dataset = "flower"   # flower | moons | circles | blobs | gaussian_quantiles | spiral | xor
    seed = 1

    [model]
    hidden_units = 4     # or hidden_layers = [10, 5]
    activation = "tanh"

    [train]
    learning_rate = 1.2
    iterations = 10000
    init_seed = 2
    optimizer = "gd"

:data:`FIELDS` declares every key once (its table, type, default and allowed values);
:class:`TrainConfig` holds one run's values. Unknown tables or keys, wrong types, out-of-range
values and keys that contradict each other raise :class:`ConfigError` with a one-line message
naming the file, the key and what is allowed.
"""

from __future__ import annotations

import builtins
import dataclasses
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nncore.errors import ConfigError
from nncore.paths import DEFAULT_CONFIG

DATASETS: tuple[str, ...] = ("flower", "moons", "circles", "blobs", "gaussian_quantiles", "spiral", "xor")
"""Names of the data sets :func:`nncore.data.load_dataset` knows."""

DEFAULT_POINTS: dict[str, int] = {name: 400 if name == "flower" else 200 for name in DATASETS}
"""Training points of each data set when ``[data] points`` is not given."""

NOISELESS: tuple[str, ...] = ("gaussian_quantiles",)
"""Data sets without a noise parameter: ``[data] noise`` is refused for them."""

ACTIVATIONS: tuple[str, ...] = ("tanh", "relu", "leaky_relu", "sigmoid")
"""Activations of the hidden layers (the output is always one sigmoid unit)."""

INITS: tuple[str, ...] = ("course", "zeros", "random", "he", "xavier")
"""Weight initialisation schemes (:func:`nncore.network.init_net`)."""

OPTIMIZERS: tuple[str, ...] = ("gd", "momentum", "adam")
"""Update rules (:mod:`nncore.optimizers`)."""

FEATURES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
"""Input features TensorFlow Playground offers, computed from a point's two coordinates."""

MAX_HIDDEN_UNITS = 100
MAX_HIDDEN_LAYERS = 4
MAX_ITERATIONS = 100_000
MAX_POINTS = 10_000
MAX_UPDATES = 1_000_000
"""Most parameter updates one run may take (``iterations`` epochs times the mini-batches of each)."""

SEED_RANGE = "an integer from 0 to 2**32 - 1"


@dataclass(frozen=True)
class Field:
    """Declaration of one config key: where it lives, its type, default and allowed values.

    Attributes
    ----------
    table, key : str
        ``[table] key`` in the TOML file.
    attr : str
        The :class:`TrainConfig` attribute holding it.
    type : type
        ``int``, ``float``, ``str``, or ``tuple`` (a TOML array; see ``item``).
    default : object
        The value when the key is absent (``None``: "the data set's own", see ``allowed``).
    allowed : str
        What is allowed, for error messages and the reference's table (docs/configuration.md).
    check : callable
        True if a value of the right type is allowed.
    item : type or None
        The type of a ``tuple`` field's items.
    """

    table: str
    key: str
    attr: str
    type: type
    default: Any
    allowed: str
    check: Callable[[Any], bool]
    item: builtins.type | None = None


def _seed(v: int) -> bool:
    return 0 <= v < 2**32


def _finite_at_least_0(v: float) -> bool:
    return math.isfinite(v) and v >= 0


def _even_points(v: int) -> bool:
    return 4 <= v <= MAX_POINTS and v % 2 == 0


FIELDS: tuple[Field, ...] = (
    Field(
        "data", "dataset", "dataset", str, "flower", "one of " + ", ".join(map(repr, DATASETS)), DATASETS.__contains__
    ),
    Field("data", "seed", "data_seed", int, 1, SEED_RANGE, _seed),
    Field("data", "points", "points", int, None, f"an even integer from 4 to {MAX_POINTS}", _even_points),
    Field("data", "noise", "noise", float, None, "a finite number >= 0", _finite_at_least_0),
    Field("data", "factor", "factor", float, None, "a number from 0 to 1 (1 excluded)", lambda v: 0 <= v < 1),
    Field(
        "data",
        "test_points",
        "test_points",
        int,
        0,
        f"0 (no test set) or an even integer from 4 to {MAX_POINTS}",
        lambda v: v == 0 or _even_points(v),
    ),
    Field("data", "test_seed", "test_seed", int, None, SEED_RANGE, _seed),
    Field(
        "data",
        "features",
        "features",
        tuple,
        ("x1", "x2"),
        "a non-empty list of distinct names from " + ", ".join(map(repr, FEATURES)),
        lambda v: len(v) > 0 and len(set(v)) == len(v) and all(f in FEATURES for f in v),
        str,
    ),
    Field(
        "model",
        "hidden_units",
        "hidden_units",
        int,
        4,
        f"an integer from 1 to {MAX_HIDDEN_UNITS}",
        lambda v: 1 <= v <= MAX_HIDDEN_UNITS,
    ),
    Field(
        "model",
        "hidden_layers",
        "hidden_layers",
        tuple,
        None,
        f"a list of 1 to {MAX_HIDDEN_LAYERS} integers, each from 1 to {MAX_HIDDEN_UNITS}",
        lambda v: 1 <= len(v) <= MAX_HIDDEN_LAYERS and all(1 <= n <= MAX_HIDDEN_UNITS for n in v),
        int,
    ),
    Field(
        "model",
        "activation",
        "activation",
        str,
        "tanh",
        "one of " + ", ".join(map(repr, ACTIVATIONS)),
        ACTIVATIONS.__contains__,
    ),
    Field("model", "init", "init", str, "course", "one of " + ", ".join(map(repr, INITS)), INITS.__contains__),
    Field(
        "train",
        "learning_rate",
        "learning_rate",
        float,
        1.2,
        "a finite number > 0",
        lambda v: math.isfinite(v) and v > 0,
    ),
    Field(
        "train",
        "iterations",
        "iterations",
        int,
        10_000,
        f"an integer from 1 to {MAX_ITERATIONS}",
        lambda v: 1 <= v <= MAX_ITERATIONS,
    ),
    Field("train", "init_seed", "init_seed", int, 2, SEED_RANGE, _seed),
    Field(
        "train",
        "optimizer",
        "optimizer",
        str,
        "gd",
        "one of " + ", ".join(map(repr, OPTIMIZERS)),
        OPTIMIZERS.__contains__,
    ),
    Field("train", "beta", "beta", float, 0.9, "a number from 0 to 1 (1 excluded)", lambda v: 0 <= v < 1),
    Field("train", "beta1", "beta1", float, 0.9, "a number from 0 to 1 (1 excluded)", lambda v: 0 <= v < 1),
    Field("train", "beta2", "beta2", float, 0.999, "a number from 0 to 1 (1 excluded)", lambda v: 0 <= v < 1),
    Field("train", "epsilon", "epsilon", float, 1e-8, "a finite number > 0", lambda v: math.isfinite(v) and v > 0),
    Field(
        "train",
        "batch_size",
        "batch_size",
        int,
        None,
        "an integer from 1 to the number of training points",
        lambda v: v >= 1,
    ),
    Field("train", "batch_seed", "batch_seed", int, 10, SEED_RANGE, _seed),
    Field("train", "l2", "l2", float, 0.0, "a finite number >= 0", _finite_at_least_0),
    Field("train", "keep_prob", "keep_prob", float, 1.0, "a number in (0, 1]", lambda v: 0 < v <= 1),
    Field("train", "dropout_seed", "dropout_seed", int, 1, SEED_RANGE, _seed),
    Field("train", "decay_rate", "decay_rate", float, 0.0, "a finite number >= 0", _finite_at_least_0),
    Field(
        "train",
        "decay_interval",
        "decay_interval",
        int,
        1,
        f"an integer from 1 to {MAX_ITERATIONS}",
        lambda v: 1 <= v <= MAX_ITERATIONS,
    ),
)
"""Every config key, declared once: the TOML table, key, attribute, type, default and allowed values."""

_BY_ATTR: dict[str, Field] = {f.attr: f for f in FIELDS}
_BY_KEY: dict[tuple[str, str], Field] = {(f.table, f.key): f for f in FIELDS}
TABLES: tuple[str, ...] = tuple(dict.fromkeys(f.table for f in FIELDS))

EXCLUSIVE_KEYS: tuple[tuple[str, str], ...] = (("model", "hidden_units"), ("model", "hidden_layers"))
"""Keys of which a file may give only one: ``hidden_units = N`` is the short form of ``hidden_layers = [N]``."""


@dataclass(frozen=True)
class TrainConfig:
    """Everything needed to reproduce a training run exactly (see :data:`FIELDS` for each key).

    The defaults are the course's week-3 run, the lecture's: the flower data, one hidden layer of
    4 tanh units, batch gradient descent at learning rate 1.2 for 10000 iterations.

    Attributes
    ----------
    dataset : str
        One of :data:`DATASETS`.
    data_seed : int
        Seed of the training set's random draws (the course uses 1 for the flower).
    points : int or None
        Number of training points; ``None`` means the data set's default (:data:`DEFAULT_POINTS`).
    hidden_units : int
        Units of the first (for the default network, the only) hidden layer, ``n_h``.
    learning_rate : float
        Step size (the initial one when the rate decays).
    iterations : int
        Number of epochs: passes over the training set. Full-batch gradient descent takes one
        update per epoch, so it is also the number of updates ``T``.
    init_seed : int
        Seed of the weight initialisation (the course uses 2 in week 3, 3 in its later notebooks).
    noise, factor : float or None
        The data set's noise and (circles) the inner circle's radius; ``None``: the data set's own.
    test_points : int
        Points of a held-out test set (0: none), drawn like the training set with ``test_seed``.
    test_seed : int or None
        Seed of the test set's draws; ``None``: ``data_seed + 1`` (the course's 1 and 2).
    features : tuple of str
        The network's inputs, computed from each point's coordinates ``x1, x2``.
    hidden_layers : tuple of int or None
        Units of each hidden layer when there are several; ``None`` for one layer of ``hidden_units``.
    activation, init, optimizer : str
        Hidden layers' activation, weight initialisation, update rule.
    beta : float
        Momentum's averaging coefficient.
    beta1, beta2, epsilon : float
        Adam's coefficients.
    batch_size : int or None
        Mini-batch size; ``None``: the whole training set in its order, one update per epoch.
    batch_seed : int
        Epoch ``e`` (from 0) shuffles with seed ``batch_seed + e + 1``, as the course does (seed 10).
    l2 : float
        L2 regularisation's lambda.
    keep_prob : float
        Inverted dropout's probability of keeping a hidden unit (1: no dropout).
    dropout_seed : int
        Seed of the dropout masks' draws.
    decay_rate : float
        Learning-rate decay: epoch ``e`` uses ``learning_rate / (1 + decay_rate * floor((e - 1) /
        decay_interval))`` from ``e = 1`` on, as the course's notebook updates it after each epoch.
    decay_interval : int
        Epochs between decays: 1 is the course's ``update_lr``, 1000 its ``schedule_lr_decay``.
    """

    dataset: str = "flower"
    data_seed: int = 1
    points: int | None = None
    hidden_units: int = 4
    learning_rate: float = 1.2
    iterations: int = 10_000
    init_seed: int = 2
    noise: float | None = None
    factor: float | None = None
    test_points: int = 0
    test_seed: int | None = None
    features: tuple[str, ...] = ("x1", "x2")
    hidden_layers: tuple[int, ...] | None = None
    activation: str = "tanh"
    init: str = "course"
    optimizer: str = "gd"
    beta: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    batch_size: int | None = None
    batch_seed: int = 10
    l2: float = 0.0
    keep_prob: float = 1.0
    dropout_seed: int = 1
    decay_rate: float = 0.0
    decay_interval: int = 1

    def __post_init__(self) -> None:
        # Canonical form: lists become tuples, one hidden layer is `hidden_units`, and
        # `hidden_units` of a deeper network is its first layer's width (what History.hidden_units reads).
        for name in ("features", "hidden_layers"):
            value = getattr(self, name)
            if isinstance(value, list):
                object.__setattr__(self, name, tuple(value))
        layers = self.hidden_layers
        if isinstance(layers, tuple) and layers and all(isinstance(n, int) for n in layers):
            if len(layers) == 1:
                object.__setattr__(self, "hidden_units", layers[0])
                object.__setattr__(self, "hidden_layers", None)
            else:
                object.__setattr__(self, "hidden_units", layers[0])

    # --- derived values --------------------------------------------------------------------------

    @property
    def layers(self) -> tuple[int, ...]:
        """Units of every hidden layer, e.g. ``(4,)`` or ``(10, 5)``."""
        return (self.hidden_units,) if self.hidden_layers is None else self.hidden_layers

    @property
    def n_x(self) -> int:
        """Number of network inputs: one per feature."""
        return len(self.features)

    @property
    def m(self) -> int:
        """Number of training points."""
        return DEFAULT_POINTS[self.dataset] if self.points is None else self.points

    @property
    def batches(self) -> int:
        """Mini-batches (updates) per epoch: 1 for full-batch gradient descent."""
        return 1 if self.batch_size is None else -(-self.m // self.batch_size)

    @property
    def updates(self) -> int:
        """Parameter updates of the whole run."""
        return self.iterations * self.batches

    @property
    def test_data_seed(self) -> int:
        """The test set's seed: ``test_seed``, or ``data_seed + 1`` when that is not given."""
        return (self.data_seed + 1) % 2**32 if self.test_seed is None else self.test_seed

    @property
    def is_course_week3(self) -> bool:
        """True for the network and training of week 3 (and of the lecture's scenes).

        One hidden tanh layer trained by full-batch gradient descent with a constant rate, no L2 and
        no dropout, on any data, features or initialisation. These runs compute exactly as
        :mod:`nncore.model` (today's numbers, bit for bit); every other network computes as the
        course's later notebooks do (:mod:`nncore.network`).
        """
        return (
            self.hidden_layers is None
            and self.activation == "tanh"
            and self.optimizer == "gd"
            and self.batch_size is None
            and self.l2 == 0
            and self.keep_prob == 1
            and self.decay_rate == 0
        )

    # --- conversions ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the config as a plain JSON-serialisable dict keyed by attribute (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}

    def to_toml_tables(self) -> dict[str, dict[str, Any]]:
        """Return the config grouped as in the TOML file (``None`` values and the unused layer key left out)."""
        tables: dict[str, dict[str, Any]] = {}
        for f in FIELDS:
            value = getattr(self, f.attr)
            if f.attr == "hidden_units" and self.hidden_layers is not None:
                continue
            if value is not None:
                tables.setdefault(f.table, {})[f.key] = list(value) if isinstance(value, tuple) else value
        return tables

    @classmethod
    def from_dict(cls, values: dict[str, Any], source: str = "config") -> TrainConfig:
        """Build and validate a config from a dict keyed by attribute (as in history meta).

        Keys missing from ``values`` take their defaults.

        Raises
        ------
        ConfigError
            On an unknown key or an invalid value.
        """
        for name in values:
            if name not in _BY_ATTR:
                raise ConfigError(f"{source}: unknown key '{name}'; allowed: {', '.join(sorted(_BY_ATTR))}")
        cfg = cls(**values)
        cfg.validate(source)
        return cfg

    def replace(self, **changes: Any) -> TrainConfig:
        """Return a copy with ``changes`` applied (``None`` values are ignored), validated.

        ``hidden_units`` without ``hidden_layers`` means one hidden layer of that many units.
        """
        changes = {k: v for k, v in changes.items() if v is not None}
        if "hidden_units" in changes and "hidden_layers" not in changes:
            changes["hidden_layers"] = None
        cfg = dataclasses.replace(self, **changes)
        cfg.validate("command line")
        return cfg

    # --- validation ----------------------------------------------------------------------------

    def validate(self, source: str = "config") -> None:
        """Check every value's type and range, then the keys that depend on each other.

        Raises
        ------
        ConfigError
            Naming ``source``, the key and what is allowed.
        """
        for f in FIELDS:
            value = getattr(self, f.attr)
            if value is not None or f.default is not None:
                _check_value(source, f, value)
        self._validate_together(source)

    def _validate_together(self, source: str) -> None:
        """The checks that involve two keys: each message names both."""
        if self.factor is not None and self.dataset != "circles":
            raise ConfigError(
                f"{source}: [data] factor = {self.factor!r} is not allowed with dataset = {self.dataset!r}; "
                "only 'circles' has a factor (leave it out)"
            )
        if self.noise is not None and self.dataset in NOISELESS:
            raise ConfigError(
                f"{source}: [data] noise = {self.noise!r} is not allowed with dataset = {self.dataset!r}, "
                "which has no noise parameter (leave it out)"
            )
        if self.test_points and self.test_data_seed == self.data_seed:
            raise ConfigError(
                f"{source}: [data] test_seed = {self.test_seed!r} is not allowed; it must differ from "
                f"[data] seed = {self.data_seed}, or the test set repeats the training set's draws"
            )
        if self.batch_size is not None and self.batch_size > self.m:
            raise ConfigError(
                f"{source}: [train] batch_size = {self.batch_size} is not allowed; expected an integer from 1 "
                f"to the number of training points ({self.m})"
            )
        if self.updates > MAX_UPDATES:
            raise ConfigError(
                f"{source}: [train] iterations = {self.iterations} is not allowed with batch_size = "
                f"{self.batch_size}: {self.iterations} epochs of {self.batches} mini-batches are "
                f"{self.updates} updates; expected at most {MAX_UPDATES}"
            )


def _check_value(source: str, f: Field, value: Any) -> None:
    """Raise a one-line :class:`ConfigError` if ``value`` has the wrong type or is not allowed for ``f``."""
    _check_type(source, f, value)
    if not f.check(value):
        shown = list(value) if isinstance(value, tuple) else value
        raise ConfigError(f"{source}: [{f.table}] {f.key} = {shown!r} is not allowed; expected {f.allowed}")


def _check_type(source: str, f: Field, value: Any) -> None:
    kinds = {int: "an integer", float: "a number", str: "a string"}

    def ok(v: Any, t: type) -> bool:
        if t is float:
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if t is int:
            return isinstance(v, int) and not isinstance(v, bool)
        return isinstance(v, t)

    if f.type is tuple:
        assert f.item is not None
        good = isinstance(value, (tuple, list)) and all(ok(v, f.item) for v in value)
        kind = f"a list of {kinds[f.item].split(' ', 1)[1]}s"
    else:
        good = ok(value, f.type)
        kind = kinds[f.type]
    if not good:
        shown = list(value) if isinstance(value, tuple) else value
        raise ConfigError(
            f"{source}: [{f.table}] {f.key} must be {kind}, got {type(value).__name__} {shown!r}; expected {f.allowed}"
        )


def field(table: str, key: str) -> Field:
    """The declaration of ``[table] key`` (``KeyError`` if there is none)."""
    return _BY_KEY[(table, key)]


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
        On unknown tables or keys, both ``hidden_units`` and ``hidden_layers``, or invalid values.
    """
    values: dict[str, Any] = {}
    for table, content in raw.items():
        if table not in TABLES:
            raise ConfigError(f"{source}: unknown table [{table}]; allowed tables: {', '.join(sorted(TABLES))}")
        if not isinstance(content, dict):
            raise ConfigError(f"{source}: '{table}' must be a table [{table}], got {type(content).__name__}")
        keys = [f.key for f in FIELDS if f.table == table]
        for key, value in content.items():
            if key not in keys:
                raise ConfigError(f"{source}: unknown key '{key}' in [{table}]; allowed: {', '.join(keys)}")
            values[_BY_KEY[(table, key)].attr] = value
    if "hidden_units" in values and "hidden_layers" in values:
        raise ConfigError(
            f"{source}: [model] has both hidden_units and hidden_layers; give one "
            "(hidden_units = N is the short form of hidden_layers = [N])"
        )
    for f in FIELDS:  # each key as written, before the canonical form renames hidden_layers = [N]
        if f.attr in values:
            _check_value(source, f, values[f.attr])
    cfg = TrainConfig(**values)
    cfg.validate(source)
    floats: dict[str, Any] = {
        f.attr: float(getattr(cfg, f.attr)) for f in FIELDS if f.type is float and isinstance(getattr(cfg, f.attr), int)
    }
    return dataclasses.replace(cfg, **floats) if floats else cfg
