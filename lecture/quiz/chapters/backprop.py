"""Questions of *Backpropagation*: the output error, the activation's slope, db of the output, one update.

All at the run's first update (iteration 0, on its first mini-batch when it has them), whose
gradients the history holds: ``dZ = A − Y`` at the output, the slope of the run's activation,
``db = (1/m) Σ dZ`` and, for gradient descent, ``w − α dw``. The wrong choices are the mistakes
learners make: the sign of the error flipped, ``tanh'`` taken as ``tanh``, the ``1/m`` forgotten,
a step along the gradient instead of against it.
"""

from __future__ import annotations

import numpy as np

from lecture.quiz.bank import Question
from lecture.quiz.questions import RunInputs, asked, choice
from nncore.network import forward
from scenes.common.format import caption_number, caption_setting, fmt, sentence_start

CHAPTER = "backprop"


def output_error(run: RunInputs) -> Question | None:
    """The output's dZ for the first training point of class 1 at iteration 0: prediction minus label.

    A point of class 1, so that ``a − y`` differs from ``a`` (a mistake offered as a choice).
    """
    h = run.history
    k = int(np.argmax(h.Y[0] == 1))
    a = float(forward(h.X[:, k : k + 1], h.net(0), h.config.activation).A[-1][0, 0])
    y = int(h.Y[0, k])
    a_text = caption_number(a, 4)
    return choice(
        f"{CHAPTER}.output_error",
        CHAPTER,
        f"Before training, the network outputs a = {a_text} for training point {k + 1}, whose label is "
        f"y = {y}. Backpropagation starts from the output's error dZ for this point. What is it?",
        (caption_number(a - y, 4), "With the log loss and the sigmoid, dz = a − y, prediction minus label."),
        [
            (caption_number(y - a, 4), "The sign is flipped: dz = a − y, prediction minus label."),
            (
                caption_number(a * (1 - a), 4),
                "That is the sigmoid's slope a(1 − a); it cancels against the log loss's slope.",
            ),
            (a_text, "That is the prediction a; the label still has to be subtracted."),
        ],
        f"The log loss's slope in a, −y/a + (1 − y)/(1 − a), times the sigmoid's slope a(1 − a) is a − y: "
        f"here {a_text} − {y} = {caption_number(a - y, 4)}.",
        run.teaches(CHAPTER, "output_error_origin"),
    )


def activation_slope(run: RunInputs) -> Question | None:
    """The slope of the run's activation at one first-layer unit for the first point, at the end of training."""
    h = run.history
    key = h.config.activation
    t = forward(h.X[:, :1], h.net(-1), key)
    z, a = t.Z[0][:, 0], t.G[0][:, 0]  # (n_1,)
    if key in ("tanh", "sigmoid"):
        unit = int(np.argmin(np.abs(np.abs(a) - (0.6 if key == "tanh" else 0.7))))
        a_u = float(fmt(float(a[unit])))
        slope = 1 - a_u**2 if key == "tanh" else a_u * (1 - a_u)
        name = "tanh" if key == "tanh" else "σ"
        right = (caption_number(slope), f"{name}′ = {'1 − a²' if key == 'tanh' else 'a(1 − a)'}.")
        wrong = [
            (caption_number(a_u), f"That is {name}(z) itself, a; the slope is {name}′."),
            (
                caption_number(1 - a_u),
                "The square is missing: tanh′ = 1 − a²." if key == "tanh" else "a is missing: σ′ = a(1 − a).",
            ),
            (
                caption_number(a_u * (1 - a_u) if key == "tanh" else 1 - a_u**2),
                "That is the sigmoid's slope, a(1 − a)." if key == "tanh" else "That is tanh's slope, 1 − a².",
            ),
        ]
        prompt = (
            f"At the end of training, hidden unit {unit + 1} of the first layer gives a = {name}(z) = "
            f"{caption_number(a_u)} for the first training point. What slope {name}′(z) does backpropagation "
            f"multiply its error by?"
        )
        in_a = "1 − a²" if key == "tanh" else "a(1 − a)"
        why = f"{name}′ = {in_a} = {caption_number(slope)}: written in a, as the course does."
    else:
        leak = 0.01 if key == "leaky_relu" else 0.0
        neg = np.flatnonzero(z < 0)
        unit = int(neg[0]) if neg.size else int(np.argmax(z))
        z_u = float(z[unit])
        slope = 1.0 if z_u > 0 else leak
        name = "ReLU" if key == "relu" else "leaky ReLU"
        right = (
            caption_number(slope, exact_zero=True),
            f"{sentence_start(name)}'s slope is 1 where z > 0 and {caption_number(leak, exact_zero=True)} elsewhere.",
        )
        wrong = [
            (
                caption_number(leak if slope == 1 else 1.0, exact_zero=True),
                f"{name}'s slope is 1 only where z > 0; here z = {caption_number(z_u)}.",
            ),
            (caption_number(z_u), "That is z itself, not the slope."),
            (
                caption_number(float(max(leak * z_u, z_u))),
                f"That is {name}(z), the activation; the slope is its derivative.",
            ),
        ]
        prompt = (
            f"At the end of training, hidden unit {unit + 1} of the first layer has z = {caption_number(z_u)} for "
            f"the first training point. What slope {name}′(z) does backpropagation multiply its error by?"
        )
        why = (
            f"{name} is a straight line of slope 1 for z > 0 and of slope {caption_number(leak, exact_zero=True)} "
            f"for z ≤ 0; here z = {caption_number(z_u)}."
        )
    return choice(
        f"{CHAPTER}.activation_slope",
        CHAPTER,
        prompt,
        right,
        wrong,
        why,
        run.teaches(CHAPTER, f"{key}_slope"),
    )


def output_db(run: RunInputs) -> Question | None:
    """The output bias's db at the first update: the mean of dZ over the update's points."""
    h = run.history
    L = h.layers
    db = float(h.arrays[f"db{L}"][0][0, 0])
    m_b = len(h.batch(0))
    total = db * m_b  # Σ dZ over the batch: db is its mean
    s = caption_number(total, 4)
    return choice(
        f"{CHAPTER}.output_db",
        CHAPTER,
        f"At the first update the output errors dZ = A − Y of the {m_b} training points it uses add up to {s}. "
        f"What is db for the output's bias?",
        (caption_number(db, 3), f"Db is the mean of dZ, {s} / {m_b}."),
        [
            (caption_number(total, 3), f"The 1/m is missing: db = (1/m) Σ dZ, here divided by {m_b}."),
            (caption_number(-db, 3), "The sign is flipped: db averages dZ = A − Y as it is."),
            (
                caption_number(total / h.sizes[-2], 3),
                f"That divides by the {h.sizes[-2]} units feeding the output; db divides by the m = {m_b} points.",
            ),
        ],
        f"The bias adds to every point's z, so its gradient is the mean of the points' errors: "
        f"db = (1/m) Σ dZ = {s} / {m_b} = {caption_number(db, 3)}.",
        run.teaches(CHAPTER, "output_layer"),
    )


def update(run: RunInputs) -> Question | None:
    """One weight's first gradient-descent step, w − α dw (gradient descent runs only)."""
    h = run.history
    cfg = h.config
    if cfg.optimizer != "gd":
        return None
    grads = h.net_grads(0).dW
    layer = int(np.argmax([np.abs(g).max() for g in grads]))
    g = grads[layer]
    r, c = np.unravel_index(int(np.argmax(np.abs(g))), g.shape)
    w = float(h.arrays[f"W{layer + 1}"][0][r, c])
    dw = float(g[r, c])
    if dw == 0:
        return None
    lr = float(h.more["learning_rates"][0]) if "learning_rates" in h.more else cfg.learning_rate
    w_s, dw_s = float(fmt(w)), float(fmt(dw))
    name = f"W{layer + 1}[{r + 1},{c + 1}]"
    return choice(
        f"{CHAPTER}.update",
        CHAPTER,
        f"Gradient descent with learning rate α = {caption_setting(lr)}: the weight {name} is {caption_number(w_s)} "
        f"and its gradient dw = {caption_number(dw_s)}. What is the weight after the update?",
        (
            caption_number(w_s - lr * dw_s),
            f"W − α dw moves against the gradient, by α = {caption_setting(lr)} times it.",
        ),
        [
            (
                caption_number(w_s + lr * dw_s),
                "That steps along the gradient, uphill: gradient descent subtracts α dw.",
            ),
            (caption_number(w_s - dw_s), "The learning rate is missing: the step is α dw."),
            (caption_number(-lr * dw_s), "That is the step alone; it is added to the weight."),
        ],
        f"w − α dw = {caption_number(w_s)} − {caption_setting(lr)} × ({caption_number(dw_s)}) = "
        f"{caption_number(w_s - lr * dw_s)}.",
        run.teaches(CHAPTER, "update"),
    )


def questions(run: RunInputs) -> list[Question]:
    """The chapter's questions for ``run``."""
    return asked(output_error(run), activation_slope(run), output_db(run), update(run))
