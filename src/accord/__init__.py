"""Accord: B2B customer experience management that hears the whole buying village."""

__version__ = "0.1.0"
