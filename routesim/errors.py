"""Errors that are the user's to fix (bad input files, bad options), not bugs.

The command line prints these as one line and exits with status 2; anything else is a
bug and keeps its traceback.
"""


class RoutesimError(Exception):
    """Base class of every error whose message is meant for the user."""


class GeodataError(RoutesimError, ValueError):
    """A geodata layer is missing or does not follow ``geodata/SCHEMA.md``."""


class ModelSetupError(RoutesimError, ValueError):
    """A model cannot be set up as asked.

    The scenario does not fit the geodata (e.g. an origin that is not a place), or the
    scale is not one (fewer than one person per agent row).
    """
