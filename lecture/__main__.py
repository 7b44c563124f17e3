"""``python -m lecture build [--config FILE] [--quality preview|course|hd60] [--jobs N]``: see :mod:`lecture.cli`.

The same command line is installed as the ``lecture`` script.
"""

from __future__ import annotations

import sys

from lecture.cli import main

if __name__ == "__main__":
    sys.exit(main())
