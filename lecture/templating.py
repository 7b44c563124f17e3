r"""HTML from template files: one Jinja2 environment per folder of templates, autoescaped.

The lecture's page (:mod:`lecture.page`) and the deck (:mod:`lecture.deck`) keep their markup,
style and script as files in their ``templates/`` folder; Python passes them data only. Every
``{{ value }}`` is HTML-escaped as :func:`html.escape` does (``&quot;``, ``&#x27;``), so the pages
are byte for byte what they were when they were written from Python. Two helpers are available
in every template:

``{{ inline("deck.css") }}``
    The text of another file of the folder, as it is (a stylesheet or script the page inlines,
    since a page opened from ``file://`` may not load its neighbours everywhere).
``{{ value|script_json }}``
    ``value`` as JSON that is safe inside a ``<script>`` element (``<`` written ``\\u003c``);
    ``script_json(compact=True)`` without spaces.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup


def _escaped(value: Any) -> Any:
    """A string as :func:`html.escape` writes it (marked safe, so autoescaping leaves it); other values as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(html.escape(value))
    return value


def script_json(value: Any, compact: bool = False) -> Markup:
    """``value`` as JSON safe inside a ``<script>`` element: no ``</script>`` can occur in it."""
    text = json.dumps(value, separators=(",", ":") if compact else None)
    return Markup(text.replace("<", "\\u003c"))


@cache
def environment(folder: Path) -> Environment:
    """The Jinja2 environment of the templates in ``folder`` (made once per folder)."""
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        finalize=_escaped,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def inline(name: str) -> Markup:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        return Markup(source)

    env.globals["inline"] = inline
    env.filters["script_json"] = script_json
    return env


def render(folder: Path, template: str, **data: Any) -> str:
    """The template ``template`` of ``folder`` filled with ``data``."""
    return environment(folder).get_template(template).render(**data)
