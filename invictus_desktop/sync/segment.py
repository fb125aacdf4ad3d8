"""Segments: the signed, immutable files each laptop appends to its own log.

A segment file is three parts:

    INVICTUS-SEGMENT/1\\n
    <base64 Ed25519 signature over the body>\\n
    <body: canonical JSON, UTF-8>

The body holds a header (repository, partition, device, author, signing key,
sequence number, creation clock, op count), the ops, and an optional list of
sealed-key recipients (reserved for end-to-end sealing; empty today). Canonical
means sorted keys, no spaces, no floats: the signer and every reader agree on
the exact bytes, and a reader accepts only bytes that are already canonical.

The file is named `<device>-<seq:08d>-<first 16 hex of sha256(file)>.seg`, so
a name says which bytes belong under it and re-sending the same bytes is a
no-op. `parse_segment` is written for untrusted input: it checks size, shape
and types before anything else reads the data, and every refusal carries one of
the `Refusal` reasons for a clear log line.
"""

import base64
import binascii
import enum
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from invictus_desktop.crypto.identity_keys import sign, verify
from invictus_desktop.store.hlc import Hlc

FORMAT_VERSION = 1
MAGIC = b"INVICTUS-SEGMENT/"
MAX_SEGMENT_BYTES = 4 * 1024 * 1024
MAX_OPS = 5_000
MAX_TEXT_CHARS = 1_000_000
MAX_LINKS = 10_000
# Clocks a reader takes up: up to the year 2255, far below the thirteen digits'
# end, so a receiver's own next values (and a full counter's carry) still fit.
MAX_CLOCK_WALL_MS = 9_000_000_000_000

HEX_ID = re.compile(r"[0-9a-f]{32}")
ENTITY_NAME = re.compile(r"[a-z][a-z0-9_]{0,59}")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,59}")
PARTITION_NAME = re.compile(r"trust|quad:[0-9a-f]{32}")
SEGMENT_NAME = re.compile(
    r"(?P<device>[0-9a-f]{32})-(?P<seq>\d{8})-(?P<digest>[0-9a-f]{16})\.seg"
)
OPERATIONS = ("upsert", "delete")


class Refusal(enum.Enum):
    """Why a segment was refused; the value is the phrase used in logs."""

    MALFORMED = "malformed"
    NEWER_FORMAT = "written by a newer version of the app; update this app"
    OVERSIZED = "too large"
    UNSIGNED = "not signed"
    WRONGLY_SIGNED = "signature does not match"
    UNKNOWN_KEY = "signed with a key the trust has not enrolled"
    FOREIGN_REPOSITORY = "belongs to another repository"
    MISPLACED = "found under a name or folder that does not match its content"
    REPLAYED = "repeats a sequence number with different content"
    BREAKS_REFERENCES = "would leave records here pointing at deleted ones"


class SegmentRefused(Exception):
    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Op:
    """One change to one row. `bases` maps a field to the clock of the value its
    author replaced, which tells a concurrent edit from a later one."""

    entity: str
    entity_id: str
    operation: str
    hlc: str
    fields: dict[str, Any] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "id": self.entity_id,
            "op": self.operation,
            "hlc": self.hlc,
            "fields": self.fields,
            "bases": self.bases,
        }


@dataclass(frozen=True)
class Header:
    repository: str
    partition: str
    device: str
    author: str
    key: str  # hex of the author's Ed25519 public key
    seq: int
    created: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "repository": self.repository,
            "partition": self.partition,
            "device": self.device,
            "author": self.author,
            "key": self.key,
            "seq": self.seq,
            "created": self.created,
            "count": self.count,
        }


@dataclass(frozen=True)
class Segment:
    header: Header
    ops: tuple[Op, ...]
    name: str
    digest: str  # sha256 of the whole file, hex
    recipients: tuple[dict[str, str], ...] = ()


def canonical_json(document: Any) -> bytes:
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def segment_name(device: str, seq: int, file_bytes: bytes) -> str:
    return f"{device}-{seq:08d}-{hashlib.sha256(file_bytes).hexdigest()[:16]}.seg"


def build_segment(
    header: Header, ops: Iterable[Op], signing_private: bytes
) -> tuple[str, bytes]:
    """The file name and bytes of a signed segment. Ed25519 is deterministic, so
    the same header and ops always give the same bytes and name."""
    op_list = [op.to_json() for op in ops]
    if len(op_list) != header.count:
        raise ValueError("header count does not match the ops")
    body = canonical_json(
        {
            "format": FORMAT_VERSION,
            "header": header.to_json(),
            "ops": op_list,
            "recipients": [],
        }
    )
    signature = base64.b64encode(sign(signing_private, body))
    file_bytes = MAGIC + str(FORMAT_VERSION).encode() + b"\n" + signature + b"\n" + body
    if len(file_bytes) > MAX_SEGMENT_BYTES:
        raise ValueError("segment too large; build it from fewer ops")
    return segment_name(header.device, header.seq, file_bytes), file_bytes


# Answers whether `key` is an enrolled, unrevoked signing key of person `author`.
KeyCheck = Callable[[str, bytes], bool]


def parse_segment(
    data: bytes,
    *,
    repository_id: str,
    is_enrolled_key: KeyCheck,
    expected_name: str | None = None,
    expected_partition: str | None = None,
) -> Segment:
    """Check untrusted bytes and return the segment, or raise `SegmentRefused`."""
    if not isinstance(data, bytes):
        raise SegmentRefused(Refusal.MALFORMED, "not bytes")
    if len(data) > MAX_SEGMENT_BYTES:
        raise SegmentRefused(Refusal.OVERSIZED, f"{len(data)} bytes")

    signature, body = _split_envelope(data)
    document = _load_canonical(body)
    header = _check_header(document.get("header"))
    ops = _check_ops(document.get("ops"), header)
    recipients = _check_recipients(document.get("recipients"))

    public_key = bytes.fromhex(header.key)
    if not is_enrolled_key(header.author, public_key):
        raise SegmentRefused(Refusal.UNKNOWN_KEY, f"author {header.author}")
    if not verify(public_key, body, signature):
        raise SegmentRefused(Refusal.WRONGLY_SIGNED, f"author {header.author}")

    if header.repository != repository_id:
        raise SegmentRefused(Refusal.FOREIGN_REPOSITORY, header.repository)
    name = segment_name(header.device, header.seq, data)
    if expected_name is not None and name != expected_name:
        raise SegmentRefused(Refusal.MISPLACED, f"{expected_name} holds {name}")
    if expected_partition is not None and header.partition != expected_partition:
        raise SegmentRefused(Refusal.MISPLACED, f"partition {header.partition}")

    return Segment(
        header=header,
        ops=ops,
        name=name,
        digest=hashlib.sha256(data).hexdigest(),
        recipients=recipients,
    )


def check_not_replayed(segment: Segment, applied_digest: str | None) -> bool:
    """True if the segment is new; False if exactly this file was applied already.
    A different file in an already applied place is refused."""
    if applied_digest is None:
        return True
    if applied_digest == segment.digest:
        return False
    raise SegmentRefused(
        Refusal.REPLAYED, f"device {segment.header.device} seq {segment.header.seq}"
    )


def _split_envelope(data: bytes) -> tuple[bytes, bytes]:
    first_end = data.find(b"\n")
    if first_end < 0 or not data.startswith(MAGIC):
        raise SegmentRefused(Refusal.MALFORMED, "not a segment file")
    version = data[len(MAGIC) : first_end]
    if version != str(FORMAT_VERSION).encode():
        # Not damage: a colleague's app is ahead of this one, and updating this
        # one is the cure, so the refusal says so. (The version line is not
        # signed: a forged file could claim it too, and applies nothing either.)
        if version.isdigit() and len(version) <= 4 and int(version) > FORMAT_VERSION:
            raise SegmentRefused(Refusal.NEWER_FORMAT, f"format {int(version)}")
        raise SegmentRefused(Refusal.MALFORMED, "unsupported format version")

    second_end = data.find(b"\n", first_end + 1)
    if second_end < 0:
        raise SegmentRefused(Refusal.UNSIGNED)
    encoded = data[first_end + 1 : second_end]
    if not encoded:
        raise SegmentRefused(Refusal.UNSIGNED)
    try:
        signature = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise SegmentRefused(Refusal.UNSIGNED, "signature is not base64") from None
    if len(signature) != 64:
        raise SegmentRefused(Refusal.UNSIGNED, "signature has the wrong length")
    # Base64 leaves spare bits in the last character that decoding ignores: only
    # the one spelling a writer produces is accepted, so no byte can change unseen.
    if base64.b64encode(signature) != encoded:
        raise SegmentRefused(Refusal.UNSIGNED, "signature is not in canonical base64")
    return signature, data[second_end + 1 :]


def _load_canonical(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body.decode("utf-8"), parse_float=_refuse_float)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SegmentRefused(Refusal.MALFORMED, "body is not JSON") from None
    if not isinstance(document, dict):
        raise SegmentRefused(Refusal.MALFORMED, "body is not an object")
    if set(document) != {"format", "header", "ops", "recipients"}:
        raise SegmentRefused(Refusal.MALFORMED, "unexpected top-level keys")
    if document["format"] != FORMAT_VERSION or type(document["format"]) is not int:
        raise SegmentRefused(Refusal.MALFORMED, "unsupported format version")
    try:
        if canonical_json(document) != body:
            raise SegmentRefused(Refusal.MALFORMED, "body is not canonical")
    except (ValueError, TypeError, RecursionError):
        raise SegmentRefused(Refusal.MALFORMED, "body is not canonical") from None
    return document


def _refuse_float(text: str) -> Any:
    raise ValueError("floats are not used in segments")


def _check_header(raw: Any) -> Header:
    expected = {
        "repository",
        "partition",
        "device",
        "author",
        "key",
        "seq",
        "created",
        "count",
    }
    if not isinstance(raw, dict) or set(raw) != expected:
        raise SegmentRefused(Refusal.MALFORMED, "header has the wrong keys")
    for key in ("repository", "device", "author"):
        _require(_is_hex_id(raw[key]), f"header {key}")
    _require(
        isinstance(raw["partition"], str)
        and bool(PARTITION_NAME.fullmatch(raw["partition"])),
        "header partition",
    )
    _require(
        isinstance(raw["key"], str) and bool(re.fullmatch(r"[0-9a-f]{64}", raw["key"])),
        "header key",
    )
    _require(_is_int(raw["seq"]) and 1 <= raw["seq"] <= 99_999_999, "header seq")
    _require(_is_int(raw["count"]) and 0 <= raw["count"] <= MAX_OPS, "header count")
    _require(_is_clock(raw["created"], raw["device"]), "header created")
    return Header(**raw)


def _check_ops(raw: Any, header: Header) -> tuple[Op, ...]:
    _require(isinstance(raw, list) and len(raw) == header.count, "op count")
    return tuple(_check_op(item) for item in raw)


def _check_op(raw: Any) -> Op:
    expected = {"entity", "id", "op", "hlc", "fields", "bases"}
    _require(isinstance(raw, dict) and set(raw) == expected, "op keys")
    _require(
        isinstance(raw["entity"], str) and bool(ENTITY_NAME.fullmatch(raw["entity"])),
        "op entity",
    )
    _require(_is_hex_id(raw["id"]), "op id")
    _require(raw["op"] in OPERATIONS, "op kind")
    _require(_is_clock(raw["hlc"]), "op clock")

    fields, bases = raw["fields"], raw["bases"]
    _require(isinstance(fields, dict) and isinstance(bases, dict), "op fields")
    for name, value in fields.items():
        _require(bool(FIELD_NAME.fullmatch(name)), "field name")
        _require(_is_field_value(value), f"value of {name}")
    for name, clock in bases.items():
        _require(name in fields and _is_clock(clock), f"base of {name}")
    if raw["op"] == "delete":
        _require(not fields and not bases, "a delete carries no fields")
    return Op(raw["entity"], raw["id"], raw["op"], raw["hlc"], dict(fields), dict(bases))


def _check_recipients(raw: Any) -> tuple[dict[str, str], ...]:
    _require(isinstance(raw, list) and len(raw) <= 1_000, "recipients")
    for item in raw:
        _require(
            isinstance(item, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in item.items()),
            "recipient",
        )
    return tuple(raw)


def _is_field_value(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if _is_int(value):
        return -(2**63) <= value < 2**63
    if isinstance(value, str):
        return len(value) <= MAX_TEXT_CHARS
    if isinstance(value, list):
        return len(value) <= MAX_LINKS and all(_is_hex_id(item) for item in value)
    return False


def _is_int(value: Any) -> bool:
    return type(value) is int


def _is_hex_id(value: Any) -> bool:
    return isinstance(value, str) and bool(HEX_ID.fullmatch(value))


def _is_clock(value: Any, device: str | None = None) -> bool:
    if not isinstance(value, str) or len(value) > 80:
        return False
    try:
        clock = Hlc.decode(value)
    except ValueError:
        return False
    if not (value[:13].isdigit() and value[14:20].isdigit()):
        return False
    if clock.wall_ms >= MAX_CLOCK_WALL_MS:
        return False
    # Changes made while a profile is being created carry no device yet.
    if clock.device and not _is_hex_id(clock.device):
        return False
    return device is None or clock.device in (device, "")


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise SegmentRefused(Refusal.MALFORMED, what)
