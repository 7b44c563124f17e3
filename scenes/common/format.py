"""Numbers and lists as the lecture writes them, in captions and in TeX: one formatter (no Manim).

``python -c "from scenes.common.format import caption_number; print(caption_number(-0.0123456))"``

:func:`fmt` decides the digits (about three significant ones, scientific notation for tiny
values, so nothing real is rounded to a misleading ``0.000``); :func:`caption_number` writes
that for a caption (a typographic minus, ``4.5 × 10⁻⁵`` for tiny values, and on request a bound
rounded so that "at most" stays true), :func:`tex_number` for TeX. The readouts' cost and
accuracy (:func:`cost_text`, :func:`percent_text`), a caption's accuracy (:func:`caption_percent`),
a configured setting (:func:`caption_setting`) and the lists a caption reads out are here too.

A caption is also what the voice says (:mod:`voice.spoken`), so its numbers are rounded
for a listener: three significant digits unless a caption asks for fewer, percentages of counted
points with at most two decimals (and no trailing zeros), integers as they are.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal

MINUS = "\u2212"
"""The typographic minus sign captions use."""

TIMES = "\u00d7"
"""The multiplication sign captions use (shapes ``4 × 400``, products, powers of ten)."""

LARGE_EXPONENT = 5
"""From ``10**LARGE_EXPONENT`` on, :func:`fmt` writes a number in scientific notation."""

_SUPERSCRIPT = str.maketrans("0123456789-", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b")

Bound = Literal["up", "down"]
"""Which way a bound is rounded: ``"up"`` for "at most" and "within", ``"down"`` for "at least"."""


def fmt(value: float, digits: int = 3) -> str:
    """Format a real number for the screen with about ``digits`` significant digits.

    Moderate values get fixed decimals (``1.204``, ``-12.3``, ``0.000123``); tiny and huge ones
    scientific notation (``3.10e-5``, ``1.23e8``), so that nothing real is rounded to a misleading
    ``0.000`` and no value, however large, is wider than ``-1.23e-308``. Infinities are ``inf``.

    Parameters
    ----------
    value : float
    digits : int
        Significant digits.

    Returns
    -------
    str
        Uses an ASCII hyphen for the minus sign; :func:`tex_number` makes it a TeX minus.
    """
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return f"{v:.{max(digits - 1, 0)}f}" if v == 0 else str(v)
    exponent = math.floor(math.log10(abs(v)))
    if exponent < -4 or exponent >= LARGE_EXPONENT:
        mantissa, power = f"{v:.{max(digits - 1, 0)}e}".split("e")
        return f"{mantissa}e{int(power)}"
    decimals = max(digits - 1 - exponent, 0)
    text = f"{v:.{decimals}f}"
    return text if abs(float(text)) < 10.0**LARGE_EXPONENT else fmt(float(text), digits)


def cost_text(value: float, digits: int = 4) -> str:
    """A cost as the readouts show it: ``digits`` significant digits, tiny costs with fixed decimals.

    A cost below 1e-4 is written ``0.000012`` rather than in ``e`` notation; a huge one (from
    ``10**LARGE_EXPONENT``) in :func:`fmt`'s scientific notation, an infinite one ``inf``.
    """
    s = fmt(float(value), digits)
    return s if "e" not in s or abs(float(value)) >= 1 else f"{float(value):.{digits + 2}f}"


def percent_text(fraction: float) -> str:
    """An accuracy as shown: percent with two decimals (a 400-point accuracy is a multiple of 0.25 %)."""
    return f"{100 * float(fraction):.2f}%"


def _bounded(value: float, digits: int, bound: Bound) -> float:
    """``value`` rounded to ``digits`` significant digits, its magnitude up or down (never towards the claim)."""
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return v
    exponent = math.floor(math.log10(abs(v)))
    scale = 10.0 ** (digits - 1 - exponent)
    magnitude = abs(v) * scale
    near = round(magnitude)
    if math.isclose(magnitude, near, rel_tol=1e-9):
        magnitude = near  # already exact at these digits (do not round 0.3 up to 0.31)
    else:
        magnitude = math.ceil(magnitude) if bound == "up" else math.floor(magnitude)
    return math.copysign(magnitude / scale, v)


def caption_number(
    value: float,
    digits: int = 3,
    *,
    plain: bool = False,
    exact_zero: bool = False,
    bound: Bound | None = None,
) -> str:
    """A number for a caption: :func:`fmt` with a typographic minus sign.

    Parameters
    ----------
    value : float
    digits : int
        Significant digits.
    plain : bool
        Never scientific notation (:func:`cost_text`'s rule), for values a caption compares.
    exact_zero : bool
        Write an exact zero as ``0`` (it is exactly zero, not rounded), not ``0.00``.
    bound : {"up", "down"}, optional
        The value is a bound the caption states ("at most 0.023", "within 0.0006 of 0.5"): round
        its magnitude up (``"up"``) or down (``"down"``, "at least") so the claim stays true.

    Returns
    -------
    str
        Tiny values are written ``4.5 × 10⁻⁵`` (said "4.5 times 10 to the minus 5").

    Examples
    --------
    >>> caption_number(-0.0070312)
    '−0.00703'
    >>> caption_number(0.000581, 1, bound="up")
    '0.0006'
    >>> caption_number(-4.54e-05, 2)
    '−4.5 × 10⁻⁵'
    """
    if exact_zero and value == 0:
        return "0"
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "∞"
    if bound is not None:
        value = _bounded(value, digits, bound)
    s = cost_text(value, digits) if plain else fmt(value, digits)
    if "e" not in s and 0 < abs(float(s)) and len(s.lstrip("-0.").replace(".", "")) > digits:
        # rounding carried into the next decade (0.99996 → 1.000): the rounded value, to ``digits`` digits
        s = cost_text(float(s), digits) if plain else fmt(float(s), digits)
    if "e" in s:
        mantissa, exponent = s.split("e")
        s = f"{mantissa} {TIMES} 10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return s.replace("-", MINUS)


def caption_percent(fraction: float) -> str:
    """A share of counted points for a caption: percent with at most two decimals, no trailing zeros.

    ``0.9075`` → ``90.75%``, ``0.88`` → ``88%``, ``1.0`` → ``100%``: the value :func:`percent_text`
    shows on screen, written (and said) the way a teacher says it.
    """
    text = f"{100 * float(fraction):.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def caption_setting(value: float) -> str:
    """A configured value (a learning rate) as it was set: ``1.2``, ``0.01``, ``50``, ``10³⁰⁶``.

    Its digits are the configuration's, not rounded; only scientific notation is written as a power of ten.
    A value TOML reads as the nearest double (``5e-324``, the smallest one) is written as set, not as
    six digits of that double (``4.94066e-324``): the shorter of the two spellings.
    """
    text = min(f"{float(value):g}", repr(float(value)), key=len)
    if "e" not in text:
        return text.replace("-", MINUS)
    mantissa, exponent = text.split("e")
    power = f"10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    return (power if mantissa == "1" else f"{mantissa} {TIMES} {power}").replace("-", MINUS)


def vector_text(values: Iterable[float], digits: int = 3) -> str:
    """``(v1, v2, …)`` for a caption, each entry a :func:`caption_number`."""
    return "(" + ", ".join(caption_number(v, digits) for v in values) + ")"


def tex_number(value: float, digits: int = 3, *, exact_zero: bool = False) -> str:
    r"""TeX source of :func:`fmt`: a proper minus sign and ``\times 10^{k}`` for tiny values.

    ``exact_zero`` writes an exact zero as ``0``, as :func:`caption_number` does.
    """
    if exact_zero and value == 0:
        return "0"
    if math.isinf(value):
        return r"\infty" if value > 0 else r"{-}\infty"
    s = fmt(value, digits)
    if "e" in s:
        mantissa, exp = s.split("e")
        s = rf"{mantissa}\times 10^{{{int(exp)}}}"
    return "{-}" + s[1:] if s.startswith("-") else s


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is one: ``1 iteration``, ``400 points``.

    ``plural`` defaults to ``noun + "s"`` (``count(1, "hidden unit")`` is ``1 hidden unit``).
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def spoken_list(items: Sequence[str]) -> str:
    """Items as a sentence lists them: ``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_start(text: str) -> str:
    """``text`` with its first letter capitalised, to open a sentence (a run's name: "zeros" → "Zeros")."""
    return text[:1].upper() + text[1:]


def train_test_text(train: float, test: float | None) -> str:
    """A run's accuracies as a caption says them: ``90%``, or ``99.33% on the training set and 96% on the test set``.

    ``test`` is ``None`` (or NaN) for a run without a test set.
    """
    if test is None or math.isnan(test):
        return caption_percent(train)
    return f"{caption_percent(train)} on the training set and {caption_percent(test)} on the test set"


def dataset_name(value: str) -> str:
    """A data set's name as spoken (``gaussian_quantiles`` → ``gaussian quantiles``)."""
    return str(value).replace("_", " ")
