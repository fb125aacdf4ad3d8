"""What the frozen executable runs: the same `main` as the installed console script.

It lives outside the package because PyInstaller puts the entry script's folder
on the import path; from inside the package that would expose `paths`, `store`
and friends as top-level modules.
"""

import sys

from invictus_desktop.cli.main import main

sys.exit(main())
