"""The sweeps file: declared variations of the lecture's training config, read and validated.

``python -m nncore sweep --config media_config/sweeps.toml`` reads a file of this form::

    base = "lecture.toml"                  # relative to the sweeps file

    [sweeps.hidden_sizes]
    description = "the course's hidden-layer sizes"
    vary = "model.hidden_units"            # <table>.<key> of the config
    values = [1, 2, 3, 4, 5, 20, 50]
    overrides = { train = { iterations = 5000 } }

:func:`load_sweeps` turns it into one :class:`Sweep` per table, each a list of
:class:`Variation` (the varied value and the full config it gives). Every variation's config is
validated by :mod:`nncore.config`: unknown keys, wrong types, out-of-range or repeated values and
an override of the varied key are one-line :class:`~nncore.errors.ConfigError` messages naming
the file and key. Every key can be varied, lists too (``vary = "model.hidden_layers"``,
``values = [[4], [10, 5]]``); a sweep that sets ``hidden_units`` or ``hidden_layers`` replaces the
base's other one, and a sweep that sets the data set (varies it or overrides it) gives each data
set its own ``noise`` and ``factor`` (:data:`DATASET_OWN_KEYS`: their scale is the data set's)
unless it sets them too; a number of points carries over, and a mini-batch larger than a data
set's training points is full-batch training on it. ``reset = ["train.batch_size"]`` takes
keys at their default whatever the base sets (TOML cannot write "none": here, full-batch
training). Training the variations is
:mod:`nncore.batch`; running and indexing a sweep is :mod:`nncore.sweep`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nncore.config import EXCLUSIVE_KEYS, FIELDS, TrainConfig, config_from_tables, field, load_config, read_toml
from nncore.errors import ConfigError
from nncore.paths import DEFAULT_SWEEPS

VARIABLE_KEYS: tuple[str, ...] = tuple(f"{f.table}.{f.key}" for f in FIELDS)
"""What a sweep may vary: every config key, as ``<table>.<key>``."""

_SWEEP_KEYS = ("description", "vary", "values", "overrides", "reset")

DATASET_OWN_KEYS = ("noise", "factor")
"""Keys of ``[data]`` whose meaning belongs to one data set: a sweep that sets the data set (varies
or overrides it) resets them to that data set's own default, unless it sets them too."""
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Variation:
    """One variation of a sweep: the varied value and the full config it gives.

    Attributes
    ----------
    label : str
        ``<key>=<value>``, e.g. ``hidden_units=20`` or ``hidden_layers=10,5``; the history's file
        name is the label with every character but letters, digits and ``._=,-`` as ``_``.
    value : int, float, str or list
        The varied key's value, as validated (an integer learning rate becomes a float).
    config : TrainConfig
        The base config with the sweep's overrides and this value.
    """

    label: str
    value: int | float | str | list[Any]
    config: TrainConfig

    @property
    def filename(self) -> str:
        """Name of this variation's history file inside the sweep's directory."""
        return re.sub(r"[^A-Za-z0-9._=,-]", "_", self.label) + ".npz"


@dataclass(frozen=True)
class Sweep:
    """A declared sweep: one config key varied over a list of values.

    Attributes
    ----------
    name : str
        The sweep's name in the sweeps file (``[sweeps.<name>]``), also its output directory.
    vary : str
        The varied key as ``<table>.<key>``, e.g. ``model.hidden_units``.
    description : str
        Free text from the sweeps file (may be empty).
    variations : tuple of Variation
        In the order of the declared values.
    source : str
        The sweeps file it was read from.
    """

    name: str
    vary: str
    description: str
    variations: tuple[Variation, ...]
    source: str

    @property
    def key(self) -> str:
        """The varied key without its table, e.g. ``hidden_units``."""
        return self.vary.split(".", 1)[1]


def load_sweeps(path: str | Path = DEFAULT_SWEEPS, base: str | Path | None = None) -> dict[str, Sweep]:
    """Read and validate a sweeps file.

    Parameters
    ----------
    path : str or Path
        A TOML file with ``base = "<config file, relative to this file>"`` and one
        ``[sweeps.<name>]`` table per sweep (keys ``vary``, ``values``, optional ``overrides`` and
        ``description``).
    base : str or Path, optional
        Another config file to base the sweeps on, instead of the file's ``base`` (which must
        still be there): a lecture built with ``--config`` varies that run.

    Returns
    -------
    dict of str to Sweep
        In the order of the file.

    Raises
    ------
    ConfigError
        One line naming the file, the key and what is allowed: unknown keys, a missing or bad
        base config, a key that cannot be varied, invalid or repeated values, bad overrides.
    """
    path = Path(path)
    raw = read_toml(path, "sweeps file")
    for key in raw:
        if key not in ("base", "sweeps"):
            raise ConfigError(f"{path}: unknown key '{key}'; allowed: base, sweeps")
    base_name = raw.get("base")
    if not isinstance(base_name, str):
        got = "nothing" if base_name is None else f"{type(base_name).__name__} {base_name!r}"
        raise ConfigError(f'{path}: base must name the base config file (e.g. base = "lecture.toml"), got {got}')
    base_path = path.parent / base_name if base is None else Path(base)
    try:
        base_config = load_config(base_path)
    except ConfigError as err:
        named = f"base = {base_name!r}" if base is None else f"the base config {base_path}"
        raise ConfigError(f"{path}: {named} cannot be used ({err})") from None
    sweeps = raw.get("sweeps")
    if not isinstance(sweeps, dict) or not sweeps:
        raise ConfigError(f"{path}: no sweeps declared; expected at least one [sweeps.<name>] table")
    return {name: _parse_sweep(path, name, spec, base_config) for name, spec in sweeps.items()}


def _parse_sweep(path: Path, name: str, spec: Any, base: TrainConfig) -> Sweep:
    """One ``[sweeps.<name>]`` table: its keys checked, then every value's config built."""
    where = f"{path}: [sweeps.{name}]"
    _check_spec(path, name, spec)
    description = spec.get("description", "")
    vary = spec["vary"]
    table, key = vary.split(".", 1)
    overrides = spec.get("overrides", {})
    if isinstance(overrides.get(table), dict) and key in overrides[table]:
        raise ConfigError(f"{where} overrides sets [{table}] {key}, which the sweep varies; remove it from overrides")
    base_tables = base.to_toml_tables()
    set_here = {(table, key)} | {(t, k) for t, c in overrides.items() if isinstance(c, dict) for k in c}
    for one, other in (EXCLUSIVE_KEYS, EXCLUSIVE_KEYS[::-1]):
        if one in set_here:  # the sweep's hidden_units replaces the base's hidden_layers, and back
            base_tables.get(other[0], {}).pop(other[1], None)
    if ("data", "dataset") in set_here:
        for own in DATASET_OWN_KEYS:  # the base's noise and factor are its data set's
            if ("data", own) not in set_here:
                base_tables.get("data", {}).pop(own, None)
    for k in spec.get("reset", []):  # the key's default, whatever the base sets (a sweep cannot write "none")
        reset_table, reset_key = k.split(".", 1)
        base_tables.get(reset_table, {}).pop(reset_key, None)
    merged = _merge(base_tables, overrides)
    config_from_tables(merged, f"{path} [sweeps.{name}.overrides]")  # reports bad overrides first

    variations: list[Variation] = []
    seen: dict[Any, Any] = {}
    for value in spec["values"]:
        tables = {t: dict(c) for t, c in merged.items()}
        tables.setdefault(table, {})[key] = value
        if ("data", "dataset") in set_here and ("train", "batch_size") not in set_here:
            _whole_batch_if_larger(tables, f"{path} [sweeps.{name}] values")
        cfg = config_from_tables(tables, f"{path} [sweeps.{name}] values")
        normalised = _canonical(cfg, table, key)
        same = tuple(normalised) if isinstance(normalised, list) else normalised
        if same in seen:
            raise ConfigError(
                f"{where} values lists {seen[same]!r} and {value!r}, the same {vary}; each value must differ"
            )
        seen[same] = value
        variations.append(Variation(_label(key, normalised), normalised, cfg))
    return Sweep(name, vary, description, tuple(variations), str(path))


def _whole_batch_if_larger(tables: dict[str, dict[str, Any]], source: str) -> None:
    """Drop a carried-over ``batch_size`` larger than the variation's training points: it trains on all of them.

    The base's batch is of its own data set: 400, the flower's whole training set, is more than
    the 200 points of another, and the sweep of data sets would refuse the base (full-batch
    training is what it meant there too). A batch that fits is kept.
    """
    batch = tables.get("train", {}).get("batch_size")
    if not isinstance(batch, int):
        return  # none carried over, or not an integer: the config reports it
    without = {t: {k: v for k, v in c.items() if (t, k) != ("train", "batch_size")} for t, c in tables.items()}
    if batch > config_from_tables(without, source).m:
        tables["train"].pop("batch_size")


def _check_spec(path: Path, name: str, spec: Any) -> None:
    """The sweep's name and the types of its keys; what the values mean is checked by the config."""
    where = f"{path}: [sweeps.{name}]"
    if not _NAME_RE.match(name):
        raise ConfigError(
            f"{path}: sweep name {name!r} is not allowed; expected lower-case letters, digits and '_', "
            "starting with a letter"
        )
    if not isinstance(spec, dict):
        raise ConfigError(f"{path}: 'sweeps.{name}' must be a table [sweeps.{name}], got {type(spec).__name__}")
    for key in spec:
        if key not in _SWEEP_KEYS:
            raise ConfigError(f"{where} unknown key '{key}'; allowed: {', '.join(_SWEEP_KEYS)}")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise ConfigError(f"{where} description must be a string, got {type(description).__name__}")
    vary = spec.get("vary")
    if vary is None:
        raise ConfigError(f"{where} missing key 'vary'; expected one of {', '.join(VARIABLE_KEYS)}")
    if vary not in VARIABLE_KEYS:
        raise ConfigError(f"{where} vary = {vary!r} is not allowed; expected one of {', '.join(VARIABLE_KEYS)}")
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        got = "nothing" if values is None else f"{type(values).__name__} {values!r}"
        raise ConfigError(f"{where} values must be a non-empty array of {vary} values, got {got}")
    overrides = spec.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ConfigError(
            f"{where} overrides must be a table such as {{ train = {{ iterations = 5000 }} }}, "
            f"got {type(overrides).__name__}"
        )
    reset = spec.get("reset", [])
    if not isinstance(reset, list) or not all(isinstance(k, str) and k in VARIABLE_KEYS for k in reset):
        raise ConfigError(
            f'{where} reset must be an array of config keys such as ["train.batch_size"] (each one of '
            f"{', '.join(VARIABLE_KEYS)}), got {reset!r}"
        )
    for k in reset:
        table, key = k.split(".", 1)
        if k == vary or (isinstance(overrides.get(table), dict) and key in overrides[table]):
            raise ConfigError(f"{where} reset names {k}, which the sweep also sets; remove it from one of them")


def _canonical(cfg: TrainConfig, table: str, key: str) -> Any:
    """The varied key's value in ``cfg`` as validated: floats for numbers, lists for arrays (``[4]`` as ``[4]``)."""
    if (table, key) == ("model", "hidden_layers"):
        return list(cfg.layers)
    value = getattr(cfg, field(table, key).attr)
    return list(value) if isinstance(value, tuple) else value


def _label(key: str, value: Any) -> str:
    # repr keeps floats exact and distinct (0.1 -> '0.1', 1e306 -> '1e+306'): one file per value.
    if isinstance(value, list):
        text = ",".join(repr(v) if isinstance(v, float) else str(v) for v in value)
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    return f"{key}={text}"


def _merge(base: dict[str, dict[str, Any]], overrides: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {table: dict(content) for table, content in base.items()}
    for table, content in overrides.items():
        if isinstance(content, dict) and isinstance(merged.get(table), dict):
            merged[table] = {**merged[table], **content}
        else:
            merged[table] = content  # config_from_tables names what is wrong with it
    return merged
