"""Workarounds for bugs in the Qt bindings, each checked for before it is applied.

WORKAROUND for a reference-count bug in PySide6 6.12.0 (the newest release at
the time of writing) on Python 3.11: some of its functions hand back `None`
or `True` without taking a new reference to it (`SignalInstance.emit()`
returns `True`; a method with nothing to return, such as
`QWidget.update()` or `QApplication.processEvents()`, returns `None`). Every
such call takes one reference away from the singleton; after some thousands
of calls (an autosave makes several per save) its count reaches zero and the
interpreter aborts with "Fatal Python error: bool_dealloc" or "none_dealloc".
Python 3.12 and later make these objects immortal, where the bug is harmless.

`apply()` probes for the bug and, only where it shows, does what Python 3.12
does: gives `None`, `True` and `False` a reference count so large that no
number of lost references can ever reach zero. Once the bindings are fixed
the probe finds nothing and `apply()` does nothing.
"""

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

PROBE_CALLS = 16
# 2**40 lost references is a million calls a second for twelve days.
PINNED_REFERENCES = 1 << 40
SINGLETONS = (None, True, False)


class _Probe(QObject):
    fired = Signal()


def calls_drop_references() -> bool:
    """Whether `emit()` (which returns True) or a method returning None takes a
    reference away from the value it returns, here."""
    probe = _Probe()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.fired.emit()
        probe.setObjectName("probe")
    after = sys.getrefcount(True), sys.getrefcount(None)
    return any(b - a >= PROBE_CALLS for b, a in zip(before, after, strict=True))


def apply() -> bool:
    """Pin `None`, `True` and `False` if the bug is present; whether it was."""
    if not calls_drop_references():
        return False

    for value in SINGLETONS:
        count = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt comes first
        if count.value < PINNED_REFERENCES:
            count.value += PINNED_REFERENCES
    log.info("pinned None, True and False (PySide6 reference bug present)")
    return True
