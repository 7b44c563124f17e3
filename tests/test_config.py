"""The configuration: every key declared once, written down in lecture.toml and docs/configuration.md."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from nncore import ConfigError, TrainConfig, load_config
from nncore.config import FIELDS, config_from_tables
from nncore.paths import DEFAULT_CONFIG

ROOT = Path(__file__).resolve().parents[1]


def test_lecture_toml_lists_every_key_with_its_default() -> None:
    """Each key set, or commented out as ``# key = value``; a key with a default shows that default."""
    text = (ROOT / DEFAULT_CONFIG).read_text(encoding="utf-8")
    table = ""
    listed: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        if m := re.match(r"^\[(\w+)\]", line):
            table = m.group(1)
        elif m := re.match(r"^#?\s*(\w+) = (.+?)\s*(#.*)?$", line):
            listed[(table, m.group(1))] = m.group(2)
    for f in FIELDS:
        assert (f.table, f.key) in listed, f"{f.table}.{f.key} is not in {DEFAULT_CONFIG}"
        written = tomllib.loads(f"v = {listed[(f.table, f.key)]}")["v"]
        if f.default is not None:
            want = list(f.default) if isinstance(f.default, tuple) else f.default
            assert written == want, f"{f.table}.{f.key}: {written!r} written, default {want!r}"
    assert load_config(ROOT / DEFAULT_CONFIG) == TrainConfig()


def test_the_configuration_reference_lists_every_key() -> None:
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `\[(\w+)\] ([\w`, ]+)` \|", reference, flags=re.M)
    keys = {(table, k.strip(" `")) for table, names in rows for k in names.split(",")}
    assert {(f.table, f.key) for f in FIELDS} == keys


def test_hidden_units_is_the_short_form_of_one_hidden_layer() -> None:
    one = config_from_tables({"model": {"hidden_layers": [6]}}, "cfg")
    assert one == TrainConfig(hidden_units=6) and one.to_dict() == TrainConfig(hidden_units=6).to_dict()
    deep = config_from_tables({"model": {"hidden_layers": [10, 5]}, "data": {"features": ["x1", "x2", "x1^2"]}}, "cfg")
    assert deep.layers == (10, 5) and deep.hidden_units == 10 and deep.n_x == 3
    assert TrainConfig.from_dict(deep.to_dict()) == deep
    assert config_from_tables(deep.to_toml_tables(), "again") == deep
    assert deep.replace(hidden_units=3).layers == (3,)


def test_integers_where_numbers_go_become_floats() -> None:
    cfg = config_from_tables({"train": {"learning_rate": 1, "l2": 0, "keep_prob": 1, "beta2": 0}}, "cfg")
    assert all(isinstance(v, float) for v in (cfg.learning_rate, cfg.l2, cfg.keep_prob, cfg.beta2))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"hidden_layers": (3, True)}, "hidden_layers must be a list of integers, got tuple"),
        ({"batch_size": 500}, "batch_size = 500 is not allowed"),
        ({"dataset": "moons", "factor": 0.3}, "only 'circles' has a factor"),
    ],
)
def test_from_dict_validates_as_the_file_does(values: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        TrainConfig.from_dict(values, "meta")
