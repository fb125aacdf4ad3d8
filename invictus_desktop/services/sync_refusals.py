"""What a round's refused logs mean for the person who reads them, and what to do.

Each refused log is printed as `<partition>/<device>: <file>: <reason>` (see
`RefusedLog`), for whoever looks into it (the engine logs it too); `what_to_do`
adds one plain-English line per kind of refusal, since a stray laptop refused
in every partition is one problem with one remedy, not a page of hex ids. The
command line prints it after the refused lines, the window in the sync
status's tooltip.
"""

from collections.abc import Iterable

from invictus_desktop.sync.engine import RefusedLog
from invictus_desktop.sync.layout import PARTITIONS
from invictus_desktop.sync.segment import Refusal


def what_to_do(refused: Iterable[RefusedLog]) -> list[str]:
    """A line per kind of refusal among `refused` (none if it is empty): what
    happened, in words, and who can put it right."""
    logs = list(refused)
    unenrolled = list(dict.fromkeys(
        log.device for log in logs if log.refusal is Refusal.UNKNOWN_KEY
    ))
    newer = [log for log in logs if log.refusal is Refusal.NEWER_FORMAT]
    others = [log for log in logs
              if log.refusal not in (Refusal.UNKNOWN_KEY, Refusal.NEWER_FORMAT)]

    lines = []
    if unenrolled:
        lines.append(_unenrolled(unenrolled))
    if newer:
        lines.append("Another laptop runs a newer version of the app: update this app, "
                     "and the next sync applies what it wrote.")
    if others:
        lines.append(_not_applied(len(others), alone=len(others) == len(logs)))
    return lines


def _not_applied(count: int, *, alone: bool) -> str:
    # Worded for the window as well, which shows this but not the refused lines.
    other = "" if alone else "other "
    if count == 1:
        return (f"The {other}refused file could not be trusted or applied here, so the "
                "changes in it, and its laptop's later ones, are missing on this laptop: "
                "tell the consultant and the repository's administrator (this laptop's "
                "log names the file and why).")
    return (f"The {count} {other}refused files could not be trusted or applied here, so "
            "the changes in them, and their laptops' later ones, are missing on this "
            "laptop: tell the consultant and the repository's administrator (this "
            "laptop's log names each file and why).")


def _unenrolled(devices: list[str]) -> str:
    # Each laptop has a folder of its own, named by its device id, in every
    # partition it wrote to: one glob finds them all on the server.
    folders = " and ".join(f"{PARTITIONS}*/{device}/" for device in devices)
    if len(devices) == 1:
        return ("A laptop not enrolled in the trust is writing to the repository, so its "
                "changes are not applied here: the consultant (or the Executive "
                "Headteacher) should enrol that person, or the repository's administrator "
                f"remove that laptop's folders, {folders}.")
    return (f"{len(devices)} laptops not enrolled in the trust are writing to the "
            "repository, so their changes are not applied here: the consultant (or the "
            "Executive Headteacher) should enrol those people, or the repository's "
            f"administrator remove those laptops' folders, {folders}.")
