"""Errors raised by nncore that the command line turns into one-line messages.

``python -m nncore train --config bad.toml`` prints ``str(err)`` of these and exits with code 2.
"""

from __future__ import annotations


class NNCoreError(Exception):
    """Base class: a problem with the user's input, reported as one line, exit code 2."""


class ConfigError(NNCoreError):
    """A config file or flag is missing, unreadable, malformed or out of range."""


class HistoryError(NNCoreError):
    """A history file is missing, unreadable, of an unknown schema version or malformed."""


class TrainingDiverged(NNCoreError):
    """The numbers stopped being finite during training.

    Parameters
    ----------
    iteration : int
        Index of the first snapshot (iteration, or epoch with mini-batches) whose numbers are not finite.
    learning_rate : float
        The learning rate that was used, to name it in the message.
    reason : str
        What stopped being finite.
    """

    def __init__(self, iteration: int, learning_rate: float, reason: str = "the cost stopped being finite") -> None:
        self.iteration = iteration
        self.learning_rate = learning_rate
        super().__init__(
            f"training diverged: {reason} at iteration {iteration} "
            f"with learning_rate = {learning_rate:g}; use a smaller [train] learning_rate"
        )
