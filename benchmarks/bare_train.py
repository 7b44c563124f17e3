"""python benchmarks/bare_train.py week3|deep: the bench's baseline, a bare NumPy training loop that records nothing.

``benchmarks/bench_train.py`` runs this process beside ``python -m nncore train`` on the same run.
It imports NumPy only, draws the course's flower, and trains as a course notebook's loop does:
forward pass, cost, backward pass, update, every iteration (``week3``: the lecture's default run,
2-4-1 tanh, gradient descent at 1.2 for 10000 iterations) or every mini-batch (``deep``: layers
[2, 10, 5, 1], ReLU, He initialisation, Adam at 0.01, mini-batches of 64 reshuffled each epoch,
1000 epochs). It prints the final cost, nothing else: no history, no file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np


def flower(m: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """The course's planar data: two classes of ``m / 2`` points on a flower's petals (seed 1)."""
    rng = np.random.RandomState(1)
    n = m // 2
    X, Y = np.zeros((2, m)), np.zeros((1, m))
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.randn(n) * 0.2
        r = 4 * np.sin(4 * t) + rng.randn(n) * 0.2
        X[:, j * n : (j + 1) * n] = r * np.sin(t), r * np.cos(t)
        Y[0, j * n : (j + 1) * n] = j
    return X, Y


def log_loss(A: np.ndarray, Y: np.ndarray) -> float:
    return float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / Y.shape[1])


def week3(X: np.ndarray, Y: np.ndarray, n_h: int = 4, lr: float = 1.2, T: int = 10_000) -> float:
    m = X.shape[1]
    rng = np.random.RandomState(2)
    W1, b1 = rng.randn(n_h, 2) * 0.01, np.zeros((n_h, 1))
    W2, b2 = rng.randn(1, n_h) * 0.01, np.zeros((1, 1))
    for _ in range(T):
        A1 = np.tanh(W1 @ X + b1)
        A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
        log_loss(A2, Y)
        dZ2 = A2 - Y
        dW2, db2 = dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m
        dZ1 = (W2.T @ dZ2) * (1 - A1**2)
        dW1, db1 = dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m
        W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
    return log_loss(1 / (1 + np.exp(-(W2 @ np.tanh(W1 @ X + b1) + b2))), Y)


def deep(
    X: np.ndarray, Y: np.ndarray, sizes=(2, 10, 5, 1), lr: float = 0.01, batch: int = 64, epochs: int = 1000
) -> float:
    rng = np.random.RandomState(2)
    W = [rng.randn(n, p) * np.sqrt(2 / p) for p, n in zip(sizes[:-1], sizes[1:], strict=True)]
    b = [np.zeros((n, 1)) for n in sizes[1:]]
    v = [np.zeros_like(a) for a in W + b]
    s = [np.zeros_like(a) for a in W + b]
    m, L, t = X.shape[1], len(W), 0
    for e in range(epochs):
        order = np.random.RandomState(11 + e).permutation(m)
        Xs, Ys = X[:, order], Y[:, order]
        for k in range(0, m, batch):
            Xb, Yb = Xs[:, k : k + batch], Ys[:, k : k + batch]
            A = [Xb]
            for l in range(L):
                Z = W[l] @ A[-1] + b[l]
                A.append(1 / (1 + np.exp(-Z)) if l == L - 1 else np.maximum(0, Z))
            log_loss(A[-1], Yb)
            dZ = (A[-1] - Yb) / Xb.shape[1]
            grads: list[np.ndarray] = [np.empty(0)] * (2 * L)
            for l in range(L - 1, -1, -1):
                grads[l], grads[L + l] = dZ @ A[l].T, dZ.sum(axis=1, keepdims=True)
                if l:
                    dZ = (W[l].T @ dZ) * (A[l] > 0)
            t += 1
            params = W + b
            for i, g in enumerate(grads):
                v[i] = 0.9 * v[i] + 0.1 * g
                s[i] = 0.999 * s[i] + 0.001 * g**2
                params[i] = params[i] - lr * (v[i] / (1 - 0.9**t)) / (np.sqrt(s[i] / (1 - 0.999**t)) + 1e-8)
            W, b = params[:L], params[L:]
    out = X
    for l in range(L):
        Z = W[l] @ out + b[l]
        out = 1 / (1 + np.exp(-Z)) if l == L - 1 else np.maximum(0, Z)
    return log_loss(out, Y)


if __name__ == "__main__":
    runs: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {"week3": week3, "deep": deep}
    if len(sys.argv) != 2 or sys.argv[1] not in runs:
        sys.exit(f"usage: python {sys.argv[0]} {'|'.join(runs)}")
    print(f"{runs[sys.argv[1]](*flower()):.6f}")
