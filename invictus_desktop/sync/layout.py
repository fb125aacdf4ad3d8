"""Where things live in the repository.

    invictus-repository.json                      the repository's identity
    partitions/<partition>/<device>/<bucket>/     one laptop's log for one partition
        <device>-<seq:08d>-<hash>.seg             a segment (see segment.py)

A partition folder is `trust` or `quad-<id>`. Buckets hold 1,000 segments
each, so a listing stays small however long a log grows, and a reader lists
only the bucket its cursor is in.
"""

import re

IDENTITY_FILE = "invictus-repository.json"
PARTITIONS = "partitions/"
BUCKET_SIZE = 1_000
DEVICE_FOLDER = re.compile(r"[0-9a-f]{32}")
QUAD_FOLDER = re.compile(r"quad-(?P<id>[0-9a-f]{32})")


def partition_folder(partition: str) -> str:
    if partition == "trust":
        return "trust"
    kind, _, quad_id = partition.partition(":")
    if kind != "quad" or not re.fullmatch(r"[0-9a-f]{32}", quad_id):
        raise ValueError(f"not a partition: {partition!r}")
    return f"quad-{quad_id}"


def partition_of_folder(name: str) -> str | None:
    if name == "trust":
        return "trust"
    match = QUAD_FOLDER.fullmatch(name)
    return f"quad:{match['id']}" if match else None


def partition_path(partition: str) -> str:
    return f"{PARTITIONS}{partition_folder(partition)}/"


def device_path(partition: str, device: str) -> str:
    return f"{partition_path(partition)}{device}/"


def bucket_of(seq: int) -> int:
    return (seq - 1) // BUCKET_SIZE


def bucket_path(partition: str, device: str, bucket: int) -> str:
    return f"{device_path(partition, device)}{bucket:05d}/"


def segment_path(partition: str, device: str, seq: int, name: str) -> str:
    return bucket_path(partition, device, bucket_of(seq)) + name
