"""Workarounds for defects in the PySide6 release the app is locked to.

WORKAROUND for PySide6 6.12.0: `SignalInstance.emit()` returns `True` without
taking a new reference to it, so every signal emitted from Python takes one
reference from `True`. On Python 3.11 `True` is an ordinary object: after a
few thousand emissions its count reaches zero and the interpreter aborts
("bool_dealloc: deallocating True or False"). Python 3.12 made `True` and
`False` immortal, which turns the stray release into a no-op; `apply` gives
them the same standing on older interpreters by adding a reference count so
large that no session can use it up. Remove once PySide6 returns a new
reference (check with `sys.getrefcount(True)` around an `emit`).
"""

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

# About 2**40 emissions: at a million a second, twelve days of nothing else.
SPARE_REFERENCES = 1 << 40

_applied = False


def apply() -> None:
    """Make the emission defect harmless; safe to call more than once."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return

    for constant in (True, False):
        # ob_refcnt is the first field of every CPython object.
        count = ctypes.c_ssize_t.from_address(id(constant))
        count.value += SPARE_REFERENCES
    _applied = True
    log.debug("PySide6 emit() reference workaround applied")
