"""The L-layer network of the course's later notebooks as pure functions: init, forward, cost, backward, predict.

``python -m nncore train`` runs them for every network but week 3's (one hidden tanh layer trained
by full-batch gradient descent, :mod:`nncore.model`); ``tests/test_network.py`` checks them against
central finite differences and the course's published numbers.

Layers are numbered 1 to ``L``: ``L - 1`` hidden layers of ``n_l`` units with one activation,
then one sigmoid output unit with log loss. ``sizes = (n_x, n_1, ..., n_{L-1}, 1)``. The arithmetic
is the course's, operation for operation, so that its notebooks' numbers come out: week 1's
initialisation notebook (``init_utils``: ``dZ = 1/m (A - Y)`` first, products with ``np.dot``, the
log loss from the sigmoid's output with ``nansum``) and regularisation notebook (the L2 term
``lambda / m * W`` and inverted dropout's ``A * D / keep_prob``). An output that saturates (``A``
exactly 0 or 1 against the label) gives an infinite cost, as the course prints it; training goes on.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

LEAKY_SLOPE = 0.01
"""Slope of ``leaky_relu`` for negative inputs, the course's ``max(0.01 z, z)``."""


class Net(NamedTuple):
    """The parameters of every layer: ``W[l - 1]`` and ``b[l - 1]`` are layer ``l``'s."""

    W: tuple[np.ndarray, ...]  # W[l-1]: (n_l, n_{l-1})
    b: tuple[np.ndarray, ...]  # b[l-1]: (n_l, 1)


class Grads(NamedTuple):
    """Gradients of the cost with respect to every layer's parameters (``dW[l - 1]``, ``db[l - 1]``)."""

    dW: tuple[np.ndarray, ...]  # (n_l, n_{l-1})
    db: tuple[np.ndarray, ...]  # (n_l, 1)


class Trace(NamedTuple):
    """What a forward pass computed, for :func:`backward`.

    ``Z[l - 1]`` is layer ``l``'s pre-activation; ``G[l - 1]`` its activation before dropout (the
    derivative reads it); ``A[l - 1]`` what the next layer reads (after dropout). ``A[-1]`` is the
    output's probability of class 1.
    """

    Z: tuple[np.ndarray, ...]  # (n_l, m)
    G: tuple[np.ndarray, ...]  # (n_l, m)
    A: tuple[np.ndarray, ...]  # (n_l, m)


def sizes_of(n_x: int, hidden: tuple[int, ...]) -> tuple[int, ...]:
    """Units of every layer, inputs first: ``(n_x, *hidden, 1)``."""
    return (n_x, *hidden, 1)


def init_net(sizes: tuple[int, ...], scheme: str = "course", seed: int = 3) -> Net:
    """Initialise the weights as the course's notebooks do, biases at zero.

    One ``RandomState(seed)`` draws ``randn(n_l, n_{l-1})`` for ``l = 1, 2, ...`` in turn (the
    course calls ``np.random.seed(seed)`` first), scaled by the scheme:

    - ``course``: ``0.01`` (week 3's ``initialize_parameters``, week 4's ``initialize_parameters_deep``);
    - ``zeros``: all weights 0 (week 1's ``initialize_parameters_zeros``);
    - ``random``: ``10`` (week 1's ``initialize_parameters_random``);
    - ``he``: ``sqrt(2 / n_{l-1})`` (week 1's ``initialize_parameters_he``);
    - ``xavier``: ``sqrt(1 / n_{l-1})`` (the scaling the course gives for tanh).

    Parameters
    ----------
    sizes : tuple of int
        ``(n_x, n_1, ..., n_L)``; any number of output units, as the course's test cases use.
    scheme : str
        One of :data:`nncore.config.INITS`.
    seed : int

    Returns
    -------
    Net
    """
    rng = np.random.RandomState(seed)
    W, b = [], []
    for n_prev, n in zip(sizes[:-1], sizes[1:], strict=True):
        if scheme == "zeros":
            W.append(np.zeros((n, n_prev)))
        else:
            draw = rng.randn(n, n_prev)  # (n_l, n_{l-1})
            if scheme == "course":
                W.append(draw * 0.01)
            elif scheme == "random":
                W.append(draw * 10)
            elif scheme == "he":
                W.append(draw * np.sqrt(2.0 / n_prev))
            elif scheme == "xavier":
                W.append(draw * np.sqrt(1.0 / n_prev))
            else:
                raise ValueError(f"unknown init scheme {scheme!r}")
        b.append(np.zeros((n, 1)))
    return Net(tuple(W), tuple(b))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The course's ``1 / (1 + exp(-z))``: 0 or 1 exactly where ``|z|`` is large (NumPy warns of the overflow)."""
    a: np.ndarray = 1 / (1 + np.exp(-z))
    return a


def activate(Z: np.ndarray, activation: str) -> np.ndarray:
    """A hidden layer's activation ``g(Z)``: ``tanh``, ``relu``, ``leaky_relu`` or ``sigmoid``."""
    G: np.ndarray
    if activation == "relu":
        G = np.maximum(0, Z)
    elif activation == "tanh":
        G = np.tanh(Z)
    elif activation == "leaky_relu":
        G = np.where(Z > 0, Z, LEAKY_SLOPE * Z)
    elif activation == "sigmoid":
        G = sigmoid(Z)
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return G


def slope(G: np.ndarray, activation: str) -> np.ndarray:
    """The activation's derivative ``g'(Z)``, written with its output ``G = g(Z)`` as the course does."""
    if activation == "relu":
        return G > 0  # the course's np.int64(A > 0); multiplying by either gives the same bits
    if activation == "tanh":
        flat: np.ndarray = 1 - G**2
        return flat
    if activation == "leaky_relu":
        return np.where(G > 0, 1.0, LEAKY_SLOPE)
    if activation == "sigmoid":
        bump: np.ndarray = G * (1 - G)
        return bump
    raise ValueError(f"unknown activation {activation!r}")


def forward(
    X: np.ndarray,
    net: Net,
    activation: str,
    masks: tuple[np.ndarray, ...] | None = None,
    keep_prob: float = 1.0,
) -> Trace:
    """Forward propagation: ``Z = W A_prev + b``; ``A = g(Z)`` in the hidden layers, sigmoid at the output.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    net : Net
    activation : str
        The hidden layers' activation.
    masks : tuple of ndarray, optional
        Inverted dropout: one 0/1 array ``(n_l, m)`` per hidden layer; that layer's activation
        becomes ``A * D / keep_prob`` (the course's two steps).
    keep_prob : float

    Returns
    -------
    Trace
    """
    L = len(net.W)
    Z, G, A = [], [], []
    a = X
    for l in range(L):
        z = np.dot(net.W[l], a) + net.b[l]  # (n_l, m)
        g = sigmoid(z) if l == L - 1 else activate(z, activation)
        a = g
        if masks is not None and l < L - 1:
            a = g * masks[l]
            a = a / keep_prob
        Z.append(z)
        G.append(g)
        A.append(a)
    return Trace(tuple(Z), tuple(G), tuple(A))


def cross_entropy(AL: np.ndarray, Y: np.ndarray) -> float:
    """The course's log loss ``1/m * nansum(-log(A) Y - log(1 - A) (1 - Y))``.

    A saturated wrong output (``A`` exactly 1 for a 0 label, or 0 for a 1) gives ``inf``; the
    ``0 * inf`` of a saturated right one is NaN and ``nansum`` skips it, as in the course (NumPy
    warns of both; the trainer silences it).

    Parameters
    ----------
    AL : ndarray, shape (1, m)
    Y : ndarray, shape (1, m)
    """
    m = Y.shape[1]
    logprobs = np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)  # (1, m)
    nan = np.isnan(logprobs)
    if nan.any():  # what nansum does: the sum with NaN as 0 (np.nansum itself costs 10 µs a call)
        logprobs[nan] = 0.0
    return float(1.0 / m * logprobs.sum())


def l2_term(net: Net, l2: float, m: int) -> float:
    """The course's L2 cost ``(1/m * lambda/2) * sum over layers of sum(W**2)`` (0 when ``l2`` is 0)."""
    if l2 == 0:
        return 0.0
    total = np.sum(np.square(net.W[0]))
    for W in net.W[1:]:
        total = total + np.sum(np.square(W))
    return float((1.0 / m * l2 / 2) * total)


def backward(
    X: np.ndarray,
    Y: np.ndarray,
    net: Net,
    trace: Trace,
    activation: str,
    masks: tuple[np.ndarray, ...] | None = None,
    keep_prob: float = 1.0,
    l2: float = 0.0,
) -> Grads:
    """Backward propagation of the log loss (plus the L2 term), in the course's order.

    ``dZ_L = 1/m (A_L - Y)``; for ``l = L, ..., 1``: ``dW_l = dZ_l A_{l-1}^T (+ lambda W_l / m)``,
    ``db_l = sum(dZ_l)``, ``dA_{l-1} = W_l^T dZ_l`` (times ``D_{l-1} / keep_prob`` under dropout),
    ``dZ_{l-1} = dA_{l-1} g'(Z_{l-1})``.

    Parameters
    ----------
    X : ndarray, shape (n_x, m)
    Y : ndarray, shape (1, m)
    net : Net
    trace : Trace
        From :func:`forward` with the same ``X``, ``net`` and masks.
    activation : str
    masks : tuple of ndarray, optional
        The dropout masks of the forward pass.
    keep_prob : float
    l2 : float
        L2 regularisation's lambda.

    Returns
    -------
    Grads
    """
    m = X.shape[1]
    L = len(net.W)
    dW: list[np.ndarray] = [np.empty(0)] * L
    db: list[np.ndarray] = [np.empty(0)] * L
    dZ = 1.0 / m * (trace.A[-1] - Y)  # (1, m)
    for l in range(L - 1, -1, -1):
        a_prev = X if l == 0 else trace.A[l - 1]  # (n_{l-1}, m)
        dW[l] = np.dot(dZ, a_prev.T)  # (n_l, n_{l-1})
        if l2 != 0:
            dW[l] = dW[l] + (l2 * net.W[l]) / m
        db[l] = np.sum(dZ, axis=1, keepdims=True)  # (n_l, 1)
        if l > 0:
            dA = np.dot(net.W[l].T, dZ)  # (n_{l-1}, m)
            if masks is not None:
                dA = dA * masks[l - 1]
                dA = dA / keep_prob
            dZ = np.multiply(dA, slope(trace.G[l - 1], activation))  # (n_{l-1}, m)
    return Grads(tuple(dW), tuple(db))


def predict_proba(X: np.ndarray, net: Net, activation: str) -> np.ndarray:
    """Predicted probability of class 1, shape ``(1, m)`` (no dropout)."""
    return forward(X, net, activation).A[-1]


def accuracy(AL: np.ndarray, Y: np.ndarray) -> float:
    """Fraction of examples whose prediction ``A > 0.5`` equals the label (the course's ``predict``)."""
    return float(np.count_nonzero((AL > 0.5) == (Y > 0.5)) / Y.shape[1])
