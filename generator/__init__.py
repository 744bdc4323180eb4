"""Docs-as-code roadmap generator."""

__version__ = "0.1.0"
