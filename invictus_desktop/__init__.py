"""Invictus QUAD Desktop: offline, encrypted Quality Assurance Day inspections."""

__version__ = "0.1.0"
