"""Workarounds for bugs in the Qt bindings, each checked for before it is applied.

WORKAROUND for a reference-count bug in PySide6 6.12.0 (the newest release at
the time of writing): `SignalInstance.emit()` returns `True` without taking a
new reference to it. On Python 3.11 every `emit()` made from Python code
therefore takes one reference away from `True`; after a few thousand signals
(an autosave emits several per save) the count reaches zero and the
interpreter aborts with "Fatal Python error: bool_dealloc". Python 3.12 and
later make `True` immortal, so there the bug is harmless.

`apply()` probes for the bug and, only where it shows, does what Python 3.12
does: gives `True` and `False` a reference count so large that no number of
lost references can ever reach zero. Remove this once the bindings are fixed
(the probe then finds nothing and `apply()` does nothing).
"""

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

PROBE_EMITS = 16
# 2**40 lost references is a million signals a second for twelve days.
PINNED_REFERENCES = 1 << 40


class _Probe(QObject):
    fired = Signal()


def emit_drops_a_reference() -> bool:
    """Whether `emit()` takes a reference away from `True` here."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBE_EMITS):
        probe.fired.emit()
    return before - sys.getrefcount(True) >= PROBE_EMITS


def apply() -> bool:
    """Pin `True` and `False` if the bug is present; whether it was."""
    if not emit_drops_a_reference():
        return False

    for value in (True, False):
        count = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt comes first
        if count.value < PINNED_REFERENCES:
            count.value += PINNED_REFERENCES
    log.info("pinned True and False (PySide6 emit() reference bug present)")
    return True
