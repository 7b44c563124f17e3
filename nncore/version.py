"""The project's version: written once, in ``pyproject.toml``, and read from the installed distribution.

``python -c "from nncore.version import __version__; print(__version__)"``. Every history records it
in its meta (:mod:`nncore.train`, :mod:`nncore.sweep`); ``nncore.__version__`` and
``lecture.__version__`` are this value.
"""

from __future__ import annotations

from nncore.console import distribution_version

__version__ = distribution_version()
"""The project's version (``0+unknown`` when run from an uninstalled tree)."""
