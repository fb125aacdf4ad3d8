"""Building a snapshot or checking text for names does not load reportlab.

The services do both on the GUI's behalf; the PDF library should load only
when a report is actually rendered (in a worker).
"""

import subprocess
import sys


def test_snapshot_and_redaction_modules_leave_reportlab_unloaded():
    probe = (
        "import sys\n"
        "import invictus_desktop.reporting\n"
        "import invictus_desktop.reporting.snapshot\n"
        "import invictus_desktop.reporting.redaction\n"
        "import invictus_desktop.reporting.audience\n"
        "print(sorted(name for name in sys.modules if name.startswith('reportlab')))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
