"""A caption as it is said: symbols read as words, numbers kept, nothing unpronounceable (no Manim).

``python -c "from voice.spoken import speak; print(speak('dZ2 = A2 − Y'))"`` prints
``d Z2 equals A2 minus Y``.

A caption is the transcript of what the lecture says: the same words and the same numbers, with
digits and compact maths where a reader prefers them (``z = wᵀx + b``, ``−0.00703``). :func:`speak`
turns it into the line a voice reads (or an author reads aloud): ``z equals w transpose x plus
b``, ``minus 0.00703``. Numbers stay numerals — both a reader and the synthetic voice say
``0.693`` as "zero point six nine three" and ``10000`` as "ten thousand" — but every sign,
operator, superscript and bracket becomes words, so the line can be said as written.
:func:`unspeakable` lists what a line still holds that cannot be said, and :func:`said_numbers`
the numbers a caption or a line says, in order; the scene tests assert, for every caption, that
its line has nothing unspeakable and says the caption's numbers.

The rules, in the order they apply (:data:`_PATTERNS`, then :data:`_WORDS`):

- a power of ten ``4.5 × 10⁻⁵`` → "4.5 times 10 to the minus 5" (``10³⁰⁶`` → "10 to the 306");
- a matrix entry ``W1[1,2]`` → "W1 row 1, column 2";
- an absolute value ``|A2 − Y|`` → "the absolute value of A2 minus Y" ("the" dropped after a
  determiner: "the largest |W2|" → "the largest absolute value of W2");
- a shape ``4 × 400`` (two integers) → "4 by 400", a network's shape ``2-4-1`` → "2 4 1";
- a function applied ``tanh(z)``, ``σ(z2)`` → "tanh of z", "sigma of z2"; a product written
  ``A2(1 − A2)`` → "A2 times 1 minus A2", ``(a)(b)`` (no space) → "a times b";
- ``tanh′`` → "tanh prime", ``A1²`` → "A1 squared", ``wᵀx`` → "w transpose x";
- a gradient ``dW2`` → "d W2" (its symbol kept whole);
- ``ln 2`` → "the natural log of 2", ``+1`` → "plus 1", ``90.75%`` → "90.75 percent";
- a minus sign, in front of a number or between terms → "minus";
- then the operators and letters: ``=`` equals, ``≈`` is about, ``+`` plus, ``×`` times, ``/``
  over, ``·`` dot, ``→`` to, ``≤`` is at most, ``σ`` sigma, ``α`` alpha (any Greek letter by its
  name); brackets become the pauses they are.

The lecture's symbols are written as the captions write them: ``W1``, ``b2``, ``dZ1``, ``A2``,
``x1``, ``z2`` (a letter and the layer, kept together so that a voice says "A2" as "A two", not
"a two"), ``tanh``, ``σ`` (sigma), ``α`` (alpha).

The line stays what a person reads: the synthetic voice alone is helped with what it would
mispronounce, by :func:`pronounce` (``tanh`` respelled "tanch" as teachers say it, ``of A2``
quoted so that the A is the letter, not the article "a"), applied as it synthesises
(:class:`voice.synthesis.Synthesiser`); the transcript, the script and the captions never
show those respellings.
"""

from __future__ import annotations

import re
import unicodedata

_SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS + "\u207b", "0123456789\u2212")
_SUP = f"[\u207b]?[{_SUPERSCRIPT_DIGITS}]+"
"""A superscript integer (an exponent): ``⁻⁵``, ``³⁰⁶``."""

_DETERMINERS = r"the|a|an|every|each|its|their|whose|largest|smallest|mean|our"


def _power(match: re.Match[str], group: int = 1) -> str:
    """``10⁻⁵`` (the exponent in ``group``) → ``10 to the −5`` (the minus is said by a later rule)."""
    return f"10 to the {match.group(group).translate(_FROM_SUPERSCRIPT)}"


def _absolute(match: re.Match[str]) -> str:
    """``|x|`` → "the absolute value of x"; after a determiner, without "the"."""
    before, inner = match.group(1), match.group(2)
    if before and re.fullmatch(_DETERMINERS, before.strip(), flags=re.IGNORECASE):
        return f"{before}absolute value of {inner}"
    return f"{before}the absolute value of {inner}"


# Whole patterns first (they contain operators), then symbols, then single characters.
_PATTERNS: tuple[tuple[str, object], ...] = (
    # powers of ten: 4.5 × 10⁻⁵ → "4.5 times 10 to the −5", 10³⁰⁶ → "10 to the 306"
    (rf"(\d)\s*×\s*10({_SUP})", lambda m: f"{m.group(1)} times {_power(m, 2)}"),
    (rf"(?<![\d.])10({_SUP})", _power),
    # the old e-notation, should a caption still hold it: 3.1e-05 → "3.1 times 10 to the −5"
    (r"(\d)e([−+-]?)0*(\d+)\b", lambda m: f"{m.group(1)} times 10 to the {m.group(2).lstrip('+')}{m.group(3)}"),
    # W1[1,2]: the entry in row 1, column 2
    (r"\b(d?[WbAZXY]\d?)\[(\d+),\s*(\d+)\]", r"\1 row \2, column \3"),
    # |A2 − Y|, |z|, the largest |W2|: absolute values
    (rf"(\b(?:{_DETERMINERS})\s+|)\|([^|]+)\|", _absolute),
    # shapes: (4 × 400), 1 × 4 → "4 by 400" (two integers; a product of decimals stays "times")
    (r"(?<![\d.])(\d+) × (\d+)(?!\.?\d)", r"\1 by \2"),
    # a network's shape: 2-4-1
    (r"\b(\d+)-(\d+)-(\d+)\b", r"\1 \2 \3"),
    # products written (a)(b): "(−0.00417)(1.20)" → "−0.00417 times 1.20"
    (r"\)\(", r" times "),
    # functions applied: tanh(z), σ(z2), tanh(W1 x + b1): "tanh of z"
    (r"(tanh|σ|sigmoid|exp|log)\(([^()]*)\)", r"\1 of \2"),
    # a product written by juxtaposition: A2(1 − A2)
    (r"\b([A-Za-z]\d?)\((?=[^()]*[−+\-])", r"\1 times ("),
    # primes and powers
    (r"tanh′", "tanh prime"),
    (r"([A-Za-z0-9)])²", r"\1 squared"),
    (r"([A-Za-z0-9)])³", r"\1 cubed"),
    # transposes: wᵀx, Xᵀ, W2ᵀ
    (r"([A-Za-z0-9])ᵀ", r"\1 transpose "),
    # gradients: dW2, dZ1, db1 → "d W2"
    (r"\bd([WZAb]\d?)\b", r"d \1"),
    # the natural log
    (r"\bln\s*(?=\d|\()", "the natural log of "),
    # a plus sign in front of a number: (+1), +0.5
    (r"(^|[\s(\[,=:;/])\+(?=\d)", r"\1plus "),
    # percentages
    (r"(\d) ?%", r"\1 percent"),
    # a minus sign in front of a number (not between two terms)
    (r"(^|[\s(\[,=:;/])[−-](?=\d)", r"\1minus "),
    # the trailing ", …" of an elided list
    (r",\s*…", ", and so on."),
)

_WORDS: tuple[tuple[str, str], ...] = (
    (" = ", " equals "),
    ("=", " equals "),
    (" ≈ ", " is about "),
    ("≈", " is about "),
    (" ≤ ", " is at most "),
    (" ≥ ", " is at least "),
    (" < ", " is less than "),
    (" > ", " is more than "),
    ("±", " plus or minus "),
    (" + ", " plus "),
    (" − ", " minus "),
    (" - ", " minus "),
    (" × ", " times "),
    ("×", " times "),
    (" / ", " over "),
    ("·", " dot "),
    ("→", " to "),
    ("—", ", "),
    ("–", " to "),
    ("…", "."),
    ("&", " and "),
    ("σ", "sigma"),
    ("α", "alpha"),
    ("∑", "the sum of"),
    ("∞", "infinity"),
    ("\u2019", "'"),
)

SPEAKABLE = re.compile(r"[A-Za-z0-9 ,.;:!?'\-]")
"""A character a voice can say (a hyphen only inside words such as ``gradient-descent``)."""


def _greek(text: str) -> str:
    """Any Greek letter left, by its name: ``η`` → "eta"."""

    def name(ch: str) -> str:
        uname = unicodedata.name(ch, "")
        if uname.startswith("GREEK SMALL LETTER ") or uname.startswith("GREEK CAPITAL LETTER "):
            return f" {uname.split()[-1].lower()} "
        return ch

    return "".join(name(ch) if ord(ch) > 127 else ch for ch in text)


def speak(caption: str) -> str:
    """The line a voice says for ``caption``: the same words and numbers, every symbol in words.

    Parameters
    ----------
    caption : str
        A caption as the lecture writes it.

    Returns
    -------
    str
        Plain words, numerals (with "minus" for a minus sign), and the punctuation a reader pauses
        at. A symbol no rule knows is left in place, so :func:`unspeakable` finds it.

    Examples
    --------
    >>> speak("z = wᵀx + b")
    'z equals w transpose x plus b'
    >>> speak("Z1 is 4 × 400; tanh(−0.0517) ≈ −0.0517.")
    'Z1 is 4 by 400; tanh of minus 0.0517 is about minus 0.0517.'
    """
    text = caption.replace("\n", " ")
    for pattern, repl in _PATTERNS:
        text = re.sub(pattern, repl, text)  # type: ignore[call-overload]
    for symbol, words in _WORDS:
        text = text.replace(symbol, words)
    text = _greek(text)
    # Brackets only group; a reader pauses there at most.
    text = re.sub(r"\s*[\[(]\s*", ", ", text)
    text = re.sub(r"\s*[\])]\s*", ", ", text)
    text = text.replace("\u2212", " minus ")
    text = re.sub(r"\s*,(\s*,)+", ",", text)  # ", ," left by nested brackets
    text = re.sub(r",\s*([.;:!?])", r"\1", text)
    text = re.sub(r"([:;])\s*,", r"\1", text)
    text = re.sub(r"^\s*,\s*", "", text)
    text = re.sub(r"\s*,\s*$", ".", text)
    # no pause right after a word that needs what follows ("equals, 1.20" → "equals 1.20")
    text = re.sub(r"\b(equals|is about|is at most|to|of|at|times|plus|minus|by|over|into|and)\s*,\s*", r"\1 ", text)
    # nor right before "equals" ("W1 row 1, column 2, equals" → "... column 2 equals")
    text = re.sub(r"\s*,\s*(equals|is about)\b", r" \1", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.;:!?])", r"\1", text)


PRONUNCIATIONS: tuple[tuple[str, str], ...] = (
    # a voice reads "tanh" letter by letter or as "tan"; teachers say "tanch"
    (r"\btanh\b", "tanch"),
    # "of A2", "for A1": a voice reads the A as the article ("of a"); quoted, it says the letter
    (r"\b(of|for|than|from) (A\d?)\b", r"\1 '\2'"),
)
"""How the synthetic voice is told to say what it would otherwise mispronounce (pattern, respelling)."""


def pronounce(line: str) -> str:
    """``line`` respelled for the synthetic voice (:data:`PRONUNCIATIONS`); people read ``line`` itself.

    Examples
    --------
    >>> pronounce("tanh of z, the mean of A1")
    "tanch of z, the mean of 'A1'"
    """
    for pattern, respelling in PRONUNCIATIONS:
        line = re.sub(pattern, respelling, line)
    return line


def unspeakable(line: str) -> str:
    """The characters of ``line`` that a voice cannot say (empty when it can say all of it)."""
    bad = {ch for ch in line if not SPEAKABLE.fullmatch(ch)}
    # A hyphen is said only inside a word ("zig-zag"); anywhere else it is a stray sign.
    if re.search(r"(?<![A-Za-z])-|-(?![A-Za-z])", line):
        bad.add("-")
    return "".join(sorted(bad))


_NUMBER = re.compile(r"(?<![A-Za-z0-9.])(\u2212\s?|-(?=\d)|minus )?(\d+(?:\.\d+)?)(?!\w)")
"""A numeral on its own (not the layer of ``W1``), with the minus sign or "minus" in front of it."""


def said_numbers(text: str) -> list[str]:
    """The numbers ``text`` says, in order, each with ``-`` when a minus sign (or "minus") precedes it.

    Works on a caption and on its spoken line alike, so a test can check that :func:`speak` says
    every number the caption writes, and no other: ``−4.5 × 10⁻⁵`` and "minus 4.5 times 10 to the
    minus 5" both give ``["-4.5", "10", "-5"]``. Symbols' digits (``W1``, ``x2``) and a squared's
    ``²`` are not numbers.
    """
    text = re.sub(rf"(?<![\d.])10({_SUP})", lambda m: "10 " + m.group(1).translate(_FROM_SUPERSCRIPT), text)
    text = re.sub(r"(\d)e\+?([−-]?)0*(\d+)\b", r"\1 10 \2\3", text)
    return [("-" if m.group(1) else "") + m.group(2) for m in _NUMBER.finditer(text)]


MAX_CAPTION_CHARS = 200
"""A caption (one line of narration) is at most this long: about 13 s to read, 12 s to hear."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
"""Where a long caption is cut first: after a sentence."""

_CLAUSE_END = re.compile(r"(?<=[:;])\s+(?=\S)")
"""Where a sentence too long for one line is cut: after a clause ended by a colon or semicolon."""


def caption_parts(caption: str, most: int = MAX_CAPTION_CHARS) -> list[str]:
    """``caption`` cut into lines of at most ``most`` characters, at sentence ends, in order.

    A caption that fits is returned whole. A longer one (a sweep with several runs to narrate can
    say more than one line holds) is cut after sentences, as many as fit on each line; a sentence
    longer than ``most`` is cut after its clauses ended by ``:`` or ``;``; a clause longer than
    that stays whole (and :func:`caption_problems` names it).

    Examples
    --------
    >>> caption_parts("One. Two.", most=5)
    ['One.', 'Two.']
    """
    if len(caption) <= most:
        return [caption]
    pieces = [
        clause
        for sentence in _SENTENCE_END.split(caption)
        for clause in (_CLAUSE_END.split(sentence) if len(sentence) > most else [sentence])
    ]
    parts: list[str] = []
    for piece in pieces:
        if parts and len(parts[-1]) + 1 + len(piece) <= most:
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


MAX_DIGITS = 3
"""A caption's decimal numbers have at most this many significant digits (what a listener takes in)."""

MAX_PERCENT_DECIMALS = 2
"""A percentage (or a difference in percentage points) has at most this many decimals.

Accuracies are shares of counted points: 363 of 400 is exactly 90.75 %, and the picture shows
it so; rounding it to 91 % would make two runs that differ by one point look the same.
"""

_DECIMAL = re.compile(r"(?<![A-Za-z0-9.])(\d+)\.(\d+)(\s?%|\s+points?\b)?")

_ONE_PLURAL = re.compile(
    r"(?<![\d.,−-])\b1 (?:(?:hidden|training|test|data) )?(iterations|units|points|updates|epochs|layers|steps|runs)\b"
)
"""A count of one with a plural noun ("1 iterations", "1 hidden units"): a run of one says it in the singular."""


def caption_problems(caption: str) -> list[str]:
    """What keeps ``caption`` from being good narration (empty when nothing does).

    A caption is a line of narration when it is at most :data:`MAX_CAPTION_CHARS` long, its
    decimal numbers have at most :data:`MAX_DIGITS` significant digits (percentages and
    percentage points at most :data:`MAX_PERCENT_DECIMALS` decimals; integers such as iteration
    counts are exact and said as they are), a count of one takes the singular ("1 iteration"), its
    spoken line (:func:`speak`) has nothing
    :func:`unspeakable`, and that line says the caption's numbers, in order (:func:`said_numbers`).

    Parameters
    ----------
    caption : str

    Returns
    -------
    list of str
        One short description per problem.
    """
    problems = []
    if len(caption) > MAX_CAPTION_CHARS:
        problems.append(f"{len(caption)} characters (at most {MAX_CAPTION_CHARS})")
    for m in _DECIMAL.finditer(caption):
        whole, decimals, percent = m.groups()
        if percent:
            if len(decimals) > MAX_PERCENT_DECIMALS:
                problems.append(f"{m.group(0).strip()}: more than {MAX_PERCENT_DECIMALS} decimals")
        elif len((whole + decimals).lstrip("0")) > MAX_DIGITS:
            problems.append(f"{m.group(0)}: more than {MAX_DIGITS} significant digits")
    for m in _ONE_PLURAL.finditer(caption):
        problems.append(f"{m.group(0)!r}: one, in the plural")
    line = speak(caption)
    if unspeakable(line):
        problems.append(f"unspeakable {unspeakable(line)!r} in {line!r}")
    if said_numbers(line) != said_numbers(caption):
        problems.append(f"says {said_numbers(line)}, writes {said_numbers(caption)}")
    return problems


__all__ = [
    "MAX_CAPTION_CHARS",
    "caption_parts",
    "MAX_DIGITS",
    "MAX_PERCENT_DECIMALS",
    "SPEAKABLE",
    "caption_problems",
    "said_numbers",
    "speak",
    "unspeakable",
]
