"""The course's notebooks that the tests reproduce: their settings live in :mod:`nncore.course`.

- :data:`INITIALIZATION`: "Initialization" (Improving Deep Neural Networks, week 1), without its ``init``.
- :data:`OPTIMIZATION`: "Optimization Methods" (week 2), without its optimiser and epochs.
"""

from __future__ import annotations

from nncore.course import INITIALIZATION, OPTIMIZATION

__all__ = ["INITIALIZATION", "OPTIMIZATION"]
