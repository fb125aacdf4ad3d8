"""Verbs for concurrent edits that sync kept for a person to choose.

    conflicts                  (list them: a number, the record, the field, each value)
    conflicts choose ID N      (make value N of conflict ID the record's value)

Value 1 is always the record's current value, so `choose ID 1` keeps it.
"""

import argparse

from invictus_desktop.cli.common import opened_profile

PREVIEW = 100


def register(verbs) -> None:
    listing = verbs.add_parser(
        "conflicts", help="list concurrent edits to choose between; or choose one"
    )
    listing.set_defaults(run=run_list)
    steps = listing.add_subparsers(dest="step", metavar="STEP")
    choose = steps.add_parser("choose", help="choose value N of conflict ID")
    choose.add_argument("id", type=int, metavar="ID")
    choose.add_argument("number", type=int, metavar="N")
    choose.set_defaults(run=run_choose)


def run_list(args: argparse.Namespace) -> int:
    from invictus_desktop.services.conflicts import list_conflicts

    with opened_profile(args) as profile:
        found = list_conflicts(profile)
    if not found:
        print("No edits to choose between.")
        return 0
    for conflict in found:
        print(f"#{conflict.id}  {conflict.record} · {conflict.field_label}")
        for value in conflict.values:
            when = f", {value.written_at:%d %b %Y %H:%M} UTC" if value.written_at else ""
            current = " (current)" if value.current else ""
            print(f"  {value.number}. {_one_line(value.text)}{current}"
                  f"  by {value.author}{when}")
        if not conflict.may_resolve:
            print(f"  {conflict.refusal}")
    print(f"{len(found)} to choose; `conflicts choose ID N` picks value N.")
    return 0


def run_choose(args: argparse.Namespace) -> int:
    from invictus_desktop.services.conflicts import choose_number, find_conflict

    with opened_profile(args) as profile:
        conflict = find_conflict(profile, args.id)
        choose_number(profile, args.id, args.number)
    chosen = next(v for v in conflict.values if v.number == args.number)
    print(f"{conflict.record} · {conflict.field_label}: {_one_line(chosen.text)}. "
          "Sync to tell everyone.")
    return 0


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"
