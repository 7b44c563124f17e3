"""Loading the lecture's history for a scene: ``manim render scenes/<segment>.py`` from the repo root.

A scene calls :func:`load_history`. It reads ``$NN_HISTORY`` when set (tests and previews point it
at another history file); otherwise the history of the lecture's config
(``media_config/lecture.toml``) at ``build/history.npz``, training it first through nncore when
that file is missing or was trained with another config. A malformed ``$NN_HISTORY`` file is a
one-line error and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

from nncore import History, NNCoreError, ensure_history, load_config
from nncore.paths import CONFIG_ENV, DEFAULT_CONFIG, DEFAULT_HISTORY, HISTORY_ENV


def history_path() -> Path:
    """The history file scenes read: ``$NN_HISTORY`` or ``build/history.npz``."""
    return Path(os.environ.get(HISTORY_ENV) or DEFAULT_HISTORY)


@cache
def _load(path: str, config: str | None) -> History:
    if config is None:
        return History.load(path)
    cfg = load_config(config)
    history, trained = ensure_history(cfg, path)
    if trained:
        print(f"trained {path} for {config} (the history was missing or from another config)", file=sys.stderr)
    return history


def load_history() -> History:
    """Return the history every scene of this process reads (loaded once, then cached).

    Returns
    -------
    History
        From ``$NN_HISTORY`` if set, else the lecture config's history at ``build/history.npz``,
        (re)trained first if needed.

    Notes
    -----
    On bad input (a malformed history or config) this prints one line to stderr and exits with
    code 2: a scene cannot do anything useful without its numbers.
    """
    try:
        if os.environ.get(HISTORY_ENV):
            return _load(str(history_path()), None)
        return _load(str(DEFAULT_HISTORY), os.environ.get(CONFIG_ENV) or str(DEFAULT_CONFIG))
    except NNCoreError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
