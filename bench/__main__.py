"""`python -m bench`: run every benchmark and print one table."""

import importlib
import sys

from bench.common import print_table

SUITES = ["bench.startup", "bench.store", "bench.report_rendering"]


def main(names: list[str]) -> None:
    figures = []
    for name in names or SUITES:
        module = importlib.import_module(name if name.startswith("bench.") else f"bench.{name}")
        print(f"running {module.__name__} ...", file=sys.stderr)
        figures.extend(module.run())
    print_table(figures)


if __name__ == "__main__":
    main(sys.argv[1:])
