"""What the run is, in words and TeX: its activation, optimiser, depth and inputs (no Manim).

``python -c "from scenes.common.model_text import run_phrase; ..."``

Every segment that says or writes what kind of network it explains takes the words from here, so
"ReLU", "Adam" and "two hidden layers" are spelled (and spoken) the same everywhere. The numbers
themselves still come from the history; this module only names things and gives their formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nncore import TrainConfig
from scenes.common.format import caption_setting, count


@dataclass(frozen=True)
class Activation:
    """One hidden-layer activation as the lecture names and writes it.

    Attributes
    ----------
    key : str
        The config's value (``tanh``, ``relu``, ``leaky_relu``, ``sigmoid``).
    name : str
        As written in a caption and spoken ("tanh", "ReLU").
    formula : str
        ``g(z)`` in TeX, without the ``g(z) =``.
    derivative : str
        ``g'(z)`` in TeX, in terms of ``z`` or of ``a = g(z)`` as the course writes it.
    derivative_words : str
        The derivative as a caption says it ("the derivative of tanh, one minus a squared").
    """

    key: str
    name: str
    formula: str
    derivative: str
    derivative_words: str


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation("tanh", "tanh", r"\tanh(z)", r"1 - a^2", "the derivative of tanh, one minus a squared"),
    "relu": Activation(
        "relu",
        "ReLU",
        r"\max(0,\, z)",
        r"\begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
        "the derivative of ReLU, one where z is positive and zero elsewhere",
    ),
    "leaky_relu": Activation(
        "leaky_relu",
        "leaky ReLU",
        r"\max(0.01\, z,\, z)",
        r"\begin{cases} 1 & z > 0 \\ 0.01 & z \le 0 \end{cases}",
        "the derivative of leaky ReLU, one where z is positive and zero point zero one elsewhere",
    ),
    "sigmoid": Activation(
        "sigmoid",
        "sigmoid",
        r"\frac{1}{1 + e^{-z}}",
        r"a\,(1 - a)",
        "the derivative of the sigmoid, a times one minus a",
    ),
}
"""The activations ``nncore`` trains, by config value."""

OPTIMIZERS: dict[str, str] = {"gd": "gradient descent", "momentum": "momentum", "adam": "Adam"}
"""The optimisers ``nncore`` trains, as a caption names them."""

_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def activation(cfg: TrainConfig) -> Activation:
    """The run's hidden-layer activation."""
    return ACTIVATIONS[cfg.activation]


def ordinal(n: int) -> str:
    """``1`` -> "first" ... ``5`` -> "fifth" (a layer's position; beyond, "6th")."""
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def hidden_layer_words(cfg: TrainConfig, kind: str = "") -> str:
    """Say the hidden layers: "one hidden layer of 4 units", "two hidden layers of 10 and 5 units".

    ``kind`` names the units ("ReLU": "two hidden layers of 10 and 5 ReLU units"). A layer of one
    unit among several layers cannot share a plural "units" ("of 8 and 1 units"), so those layers
    are said by their sizes: "four hidden tanh layers of sizes 100, 1, 1 and 1".
    """
    layers = cfg.layers
    unit = f"{kind} unit" if kind else "unit"
    if len(layers) == 1:
        return f"one hidden layer of {count(layers[0], unit)}"
    sizes = ", ".join(str(n) for n in layers[:-1]) + f" and {layers[-1]}"
    depth = _NUMBER_WORDS[len(layers)]
    if 1 in layers:
        return f"{depth} hidden {kind + ' ' if kind else ''}layers of sizes {sizes}"
    return f"{depth} hidden layers of {sizes} {unit}s"


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


def training_words(cfg: TrainConfig) -> str:
    """How the run learns: "full-batch gradient descent", "Adam on mini-batches of 64"."""
    name = OPTIMIZERS[cfg.optimizer]
    if cfg.batch_size is None:
        return f"full-batch {name}" if cfg.optimizer == "gd" else f"{name} on the whole training set"
    return f"{name} on mini-batches of {cfg.batch_size}"


def regularisation_words(cfg: TrainConfig) -> str:
    """Say the regularisation: empty without; "L2 regularisation (lambda 0.05)", the dropout, or both."""
    parts = []
    if cfg.l2 > 0:
        parts.append(f"L2 regularisation (lambda {caption_setting(cfg.l2)})")
    if cfg.keep_prob < 1:
        parts.append(f"dropout keeping {caption_setting(100 * cfg.keep_prob)} % of the hidden units")
    return " and ".join(parts)


def network_phrase(cfg: TrainConfig) -> str:
    """The network in words: "a network with one hidden layer of 4 tanh units".

    A deeper or other network names its activation after its layers: "a network with two hidden
    layers of 10 and 5 units (ReLU)".
    """
    layers = hidden_layer_words(cfg)
    if len(cfg.layers) == 1 and cfg.activation == "tanh":
        return "a network with " + layers.replace("unit", "tanh unit")
    return f"a network with {layers} ({activation(cfg).name})"


def learning_phrase(cfg: TrainConfig) -> str:
    """How the network learns, regularisation included: "full-batch gradient descent".

    With mini-batches and regularisation: "Adam on mini-batches of 64, with L2 regularisation
    (lambda 0.05)".
    """
    reg = regularisation_words(cfg)
    return f"{training_words(cfg)}, with {reg}" if reg else training_words(cfg)


def run_phrase(cfg: TrainConfig) -> str:
    """One phrase naming the network and its training, for the deck and the page.

    "a network with one hidden layer of 4 tanh units, trained by full-batch gradient descent";
    "a network with two hidden layers of 10 and 5 units (ReLU), trained by Adam on mini-batches of
    64, with L2 regularisation (lambda 0.05)". A caption says it as two sentences
    (:func:`network_phrase`, :func:`learning_phrase`): the whole phrase of a deep, regularised
    mini-batch run can be longer than one caption line holds.
    """
    return f"{network_phrase(cfg)}, trained by {learning_phrase(cfg)}"


def units_words(cfg: TrainConfig) -> str:
    """The hidden units as a comparison names its network.

    "4 hidden units" for one hidden tanh layer (as the lecture has always said it); otherwise the
    layers with their activation: "one hidden layer of 4 ReLU units", "two hidden layers of 10 and
    5 ReLU units".
    """
    if len(cfg.layers) == 1 and cfg.activation == "tanh":
        return count(cfg.layers[0], "hidden unit")
    return hidden_layer_words(cfg, activation(cfg).name)


def step_word(cfg: TrainConfig) -> str:
    """What the run counts its snapshots in: "iteration" (full batch: one update each) or "epoch" (mini-batches)."""
    return "iteration" if cfg.batch_size is None else "epoch"


def training_sentence(cfg: TrainConfig, subject: str = "Each") -> str:
    """A sentence saying how the run learns, empty for full-batch gradient descent without regularisation.

    "Each learns by Adam on mini-batches of 64, with L2 regularisation (lambda 0.05)."
    """
    reg = regularisation_words(cfg)
    if cfg.optimizer == "gd" and cfg.batch_size is None and not reg:
        return ""
    return f"{subject} learns by {training_words(cfg)}" + (f", with {reg}." if reg else ".")


FEATURE_TEX: dict[str, str] = {
    "x1": "x_1",
    "x2": "x_2",
    "x1^2": "x_1^2",
    "x2^2": "x_2^2",
    "x1*x2": "x_1 x_2",
    "sin(x1)": r"\sin x_1",
    "sin(x2)": r"\sin x_2",
}
"""Each input feature (:data:`nncore.config.FEATURES`) as the diagram and the formulas write it."""

FEATURE_WORDS: dict[str, str] = {
    "x1": "x1",
    "x2": "x2",
    "x1^2": "x1 squared",
    "x2^2": "x2 squared",
    "x1*x2": "x1 times x2",
    "sin(x1)": "sine of x1",
    "sin(x2)": "sine of x2",
}
"""Each input feature as a caption says it."""


def feature_tex(cfg: TrainConfig) -> list[str]:
    """The run's inputs in TeX, in the order of ``X``'s rows: ``["x_1", "x_2", "x_1 x_2"]``."""
    return [FEATURE_TEX[f] for f in cfg.features]


def crosses_features(cfg: TrainConfig) -> bool:
    """Whether the inputs are other than the point's two coordinates (a feature cross, a square, a sine)."""
    return tuple(cfg.features) != ("x1", "x2")


def activation_scale(activation_key: str, values: np.ndarray) -> float:
    """The magnitude at which a hidden layer's activations are drawn in full colour.

    tanh and the sigmoid are bounded by 1, so 1 (the default lecture's scale); ReLU and leaky ReLU are
    not, so the largest ``|a|`` of ``values`` (the layer's activations the picture compares).
    """
    if activation_key in ("tanh", "sigmoid"):
        return 1.0
    return float(np.abs(values).max()) or 1.0
