"""One exception type for bad input, with a message a district officer can act on."""

from __future__ import annotations


class SitingInputError(ValueError):
    """Bad input (unknown district, file without coordinates, empty layer, infeasible target).

    The message names the problem and what was found, in one or two sentences.
    """
