"""Greying out what the signed-in person may not change, and saying why.

The services refuse such changes anyway (`PermissionDenied`); the screens
only mirror the rule so that nobody fills in a form that cannot be saved.
"""

import logging

from PySide6.QtWidgets import QWidget

from invictus_desktop.services.access import PLANNING_REFUSED, SCHOOL_EDIT_REFUSED

log = logging.getLogger(__name__)

USUAL_TOOLTIP = "usualToolTip"
READ_ONLY_SCHOOL = f"Read only. {SCHOOL_EDIT_REFUSED}"
READ_ONLY_PLANNING = f"Read only. {PLANNING_REFUSED}"


def allow(widget: QWidget, allowed: bool, reason: str) -> None:
    """Enable `widget`, or disable it with a tooltip giving `reason`."""
    if widget.property(USUAL_TOOLTIP) is None:
        widget.setProperty(USUAL_TOOLTIP, widget.toolTip())
    widget.setEnabled(allowed)
    widget.setToolTip(widget.property(USUAL_TOOLTIP) if allowed else reason)
