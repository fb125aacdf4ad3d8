"""Dialogs of the main window's screens: forms, the import preview, confirmations."""
