"""Verbs about reports: write a QUAD's report as a PDF; read published ones.

    report QUAD_REF --out FILE [--variant school|board]
    published                              (list the Board's library)
    published REF [--version N] [--out FILE]   (verify one; write it if it verifies)

A Headteacher's library holds their school's copies, other readers' the Board's.
"""

import argparse
import shlex
import sys
from datetime import datetime
from pathlib import Path

from invictus_desktop.cli.common import opened_profile, refuse_board_member


def register(verbs) -> None:
    report = verbs.add_parser(
        "report", help="write a QUAD's report as PDF (the final version, else the draft)"
    )
    report.add_argument("quad", metavar="QUAD_REF", help="the QUAD's reference")
    report.add_argument("--variant", choices=["school", "board"], default="school")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    report.set_defaults(run=run_report)

    published = verbs.add_parser(
        "published", help="list published reports, or verify and write one"
    )
    published.add_argument("reference", nargs="?", metavar="QUAD_REF")
    published.add_argument("--version", type=int, help="that version (default: newest)")
    published.add_argument("--out", type=Path, metavar="FILE.pdf")
    published.set_defaults(run=run_published)


def run_report(args: argparse.Namespace) -> int:
    from invictus_desktop.reporting.audience import Variant
    from invictus_desktop.services.planning import find_quad
    from invictus_desktop.services.report_finalise import report_pdf
    from invictus_desktop.services.signing import sha256_hex
    from invictus_desktop.store.atomic import write_atomically

    with opened_profile(args) as profile:
        # A published report goes by its QUAD's reference, so the same REF works.
        published = shlex.join(["invictus-desktop", "published", args.quad,
                                "--out", str(args.out)])
        refuse_board_member(
            profile,
            f"`{published}` writes the newest published version of it; "
            "`invictus-desktop published` lists those here.",
        )
        quad = find_quad(profile, args.quad)
        pdf, description = report_pdf(profile, quad.id, Variant(args.variant))

    write_atomically(args.out, pdf)
    print(f"{quad.reference} ({args.variant} copy, {description}) written to {args.out}")
    print(f"sha256 {sha256_hex(pdf)}")
    return 0


def run_published(args: argparse.Namespace) -> int:
    """Exit 0, or 3 when the chosen version does not verify (nothing is written)."""
    from invictus_desktop.services import publishing
    from invictus_desktop.store.atomic import write_atomically

    with opened_profile(args) as profile:
        if args.reference is None:
            entries = publishing.published_reports(profile)
            for entry in entries:
                newest = "  (newest)" if entry.newest else ""
                print(f"{entry.school_name} | {entry.term} | {entry.title} | "
                      f"{entry.copy_label}{newest}")
            if not entries:
                print("No published reports yet; sync to fetch them.")
            return 0
        entry = publishing.find_published(profile, args.reference, args.version)
        pdf, verification = publishing.open_published(profile, entry.folder)

    if not verification.ok:
        print(f"{entry.title} does NOT verify:", file=sys.stderr)
        for problem in verification.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 3
    print(f"{entry.title} verifies: signed by {verification.signer_name} "
          f"on {_local_time(verification.finalised_at)}; the PDF is exactly as signed.")
    if args.out:
        write_atomically(args.out, pdf)
        print(f"{entry.copy_label} written to {args.out}")
    return 0


def _local_time(stamp: str) -> str:
    """The manifest's ISO 8601 time as `report` prints it (04 Dec 2026 16:56)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y %H:%M")
    except ValueError:
        return stamp
