"""Seoul Digital Foundation programme platform."""

__version__ = "0.1.0"
