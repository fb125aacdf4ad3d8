"""The PySide6 emit() defect cannot bring the interpreter down."""

import subprocess
import sys

SCRIPT = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
from invictus_desktop.gui import pyside_workarounds

pyside_workarounds.apply()
app = QCoreApplication([])

class Source(QObject):
    happened = Signal(int)

source = Source()
for number in range(200_000):
    source.happened.emit(number)
print("still running")
"""


def test_many_emissions_do_not_abort_the_interpreter():
    """Without the workaround, Python 3.11 aborts long before 200,000 emissions."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "still running"
