"""``python -m nncore train|info|sweep``: the command line of :mod:`nncore.cli` (also the ``nncore`` script)."""

from __future__ import annotations

import sys

from nncore.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
