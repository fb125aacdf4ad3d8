"""Verbs about reports: write a QUAD's report as a PDF."""

import argparse
from pathlib import Path

from invictus_desktop.cli.common import opened_profile


def register(verbs) -> None:
    report = verbs.add_parser(
        "report", help="write a QUAD's report as PDF (the final version, else the draft)"
    )
    report.add_argument("quad", metavar="QUAD_REF", help="the QUAD's reference")
    report.add_argument("--variant", choices=["school", "board"], default="school")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report.set_defaults(run=run_report)


def run_report(args: argparse.Namespace) -> int:
    from invictus_desktop.reporting.audience import Variant
    from invictus_desktop.services.planning import find_quad
    from invictus_desktop.services.report_finalise import report_pdf
    from invictus_desktop.services.signing import sha256_hex
    from invictus_desktop.store.atomic import write_atomically

    with opened_profile(args) as profile:
        quad = find_quad(profile, args.quad)
        pdf, description = report_pdf(profile, quad.id, Variant(args.variant))

    write_atomically(args.out, pdf)
    print(f"{quad.reference} ({args.variant} copy, {description}) written to {args.out}")
    print(f"sha256 {sha256_hex(pdf)}")
    return 0
