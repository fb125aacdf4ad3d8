import sys

from invictus_desktop.cli.main import main

sys.exit(main())
