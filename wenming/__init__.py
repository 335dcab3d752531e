"""Wenming (文明): the civilized-city campaign and urban-governance closed loop."""

__version__ = "0.1.0"
