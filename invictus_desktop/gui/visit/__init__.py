"""Widgets and machinery of the visit record: autosave, panes, running notes."""
