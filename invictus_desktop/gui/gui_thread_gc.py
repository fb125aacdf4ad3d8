"""Cyclic garbage collected on the GUI thread only.

Python's cycle collector runs on whichever thread happens to be allocating when
a threshold is crossed. When that is a worker (a sync round, a spreadsheet read
for an import) and the garbage holds a Qt object (a closed dialog kept in a
cycle by a connected lambda), the object's C++ destructor runs on the worker,
where Qt may not destroy it: the process can crash. So the automatic collector
is switched off and a timer on the GUI thread collects each generation when the
collector's own thresholds say it is due.
"""

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects on a timer in the thread it lives in (the application's)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()

    def collect_if_due(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        due = [
            generation
            for generation in range(3)
            if thresholds[generation] and counts[generation] > thresholds[generation]
        ]
        if due:
            gc.collect(max(due))

    def stop(self) -> None:
        self._timer.stop()


def install(app: QCoreApplication) -> GuiThreadCollector:
    """Switch the automatic collector off and collect on `app`'s thread instead
    (once per application)."""
    collector = app.findChild(GuiThreadCollector)
    if collector is None:
        collector = GuiThreadCollector(app)
    gc.disable()
    return collector


def uninstall(app: QCoreApplication) -> None:
    """Collect now, here, and give collecting back to the interpreter (tests)."""
    collector = app.findChild(GuiThreadCollector)
    if collector is not None:
        collector.stop()
        collector.setParent(None)  # ours now: destroyed here, when it goes out of scope
    gc.collect()
    gc.enable()
