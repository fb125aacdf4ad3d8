"""The line in words that follows a round's refused logs, per kind of refusal."""

from invictus_desktop.services.sync_refusals import what_to_do
from invictus_desktop.sync.engine import RefusedLog
from invictus_desktop.sync.segment import Refusal, SegmentRefused

QUAD = "quad:" + "c" * 32
STRAY, OTHER, KNOWN = "a" * 32, "b" * 32, "d" * 32


def refused(partition: str, device: str, why: object, kind: Refusal | None) -> RefusedLog:
    """A refused log as the engine reports it."""
    return RefusedLog(partition, device, f"{device}-00000001-{'e' * 16}.seg: {why}", kind)


def unenrolled(partition: str, device: str) -> RefusedLog:
    reason = SegmentRefused(Refusal.UNKNOWN_KEY, "author " + "f" * 32)
    return refused(partition, device, reason, Refusal.UNKNOWN_KEY)


def test_a_refused_log_prints_as_its_log_then_why():
    log = unenrolled(QUAD, STRAY)

    assert str(log) == (f"{QUAD}/{STRAY}: {STRAY}-00000001-{'e' * 16}.seg: signed with "
                        f"a key the trust has not enrolled: author {'f' * 32}")


def test_nothing_refused_needs_no_words():
    assert what_to_do([]) == []


def test_one_stray_laptop_in_every_partition_is_one_line():
    lines = what_to_do([unenrolled("trust", STRAY), unenrolled(QUAD, STRAY)])

    assert lines == [
        "A laptop not enrolled in the trust is writing to the repository, so its changes "
        "are not applied here: the consultant (or the Executive Headteacher) should enrol "
        "that person, or the repository's administrator remove that laptop's folders, "
        f"partitions/*/{STRAY}/."
    ]


def test_two_stray_laptops_are_counted_and_their_folders_named():
    [line] = what_to_do([unenrolled("trust", STRAY), unenrolled("trust", OTHER),
                         unenrolled(QUAD, STRAY)])

    assert line.startswith("2 laptops not enrolled in the trust are writing")
    assert line.endswith(f"partitions/*/{STRAY}/ and partitions/*/{OTHER}/.")


def test_each_kind_of_refusal_has_its_own_line():
    lines = what_to_do([
        unenrolled("trust", STRAY),
        refused("trust", OTHER, SegmentRefused(Refusal.NEWER_FORMAT, "format 2"),
                Refusal.NEWER_FORMAT),
        refused("trust", KNOWN, SegmentRefused(Refusal.WRONGLY_SIGNED, "author x"),
                Refusal.WRONGLY_SIGNED),
        refused(QUAD, KNOWN, "clashes here: UNIQUE constraint failed: report_version",
                None),
    ])

    assert len(lines) == 3
    assert lines[0].startswith("A laptop not enrolled")
    assert lines[1] == ("Another laptop runs a newer version of the app: update this app, "
                        "and the next sync applies what it wrote.")
    assert lines[2].startswith("The 2 other refused files could not be trusted or "
                               "applied here, so the changes in them, and their laptops' "
                               "later ones, are missing on this laptop")
    assert lines[2].endswith("(this laptop's log names each file and why).")


def test_a_refusal_alone_is_the_refused_file():
    [line] = what_to_do(
        [refused("trust", KNOWN, SegmentRefused(Refusal.MALFORMED, "x"), Refusal.MALFORMED)]
    )

    assert line.startswith("The refused file could not be trusted or applied here, so "
                           "the changes in it, and its laptop's later ones")
