"""Baromètre: the open digital-maturity barometer of French social housing."""

__version__ = "0.1.0"
