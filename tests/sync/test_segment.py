"""The segment format: signed canonical bytes out, strict checks on the way in."""

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invictus_desktop.crypto.identity_keys import generate_key_pairs
from invictus_desktop.store.models import new_id
from invictus_desktop.sync.segment import (
    MAX_SEGMENT_BYTES,
    Header,
    Op,
    Refusal,
    SegmentRefused,
    build_segment,
    check_not_replayed,
    parse_segment,
)

KEYS = generate_key_pairs()
OTHER_KEYS = generate_key_pairs()
REPOSITORY = new_id()
DEVICE = new_id()
AUTHOR = new_id()


def enrolled(author: str, key: bytes) -> bool:
    return author == AUTHOR and key == KEYS.signing_public


def clock(wall: int = 1_700_000_000_000, counter: int = 0, device: str = DEVICE) -> str:
    return f"{wall:013d}-{counter:06d}-{device}"


def header(count: int, seq: int = 1, **changes) -> Header:
    values = dict(
        repository=REPOSITORY,
        partition="trust",
        device=DEVICE,
        author=AUTHOR,
        key=KEYS.signing_public.hex(),
        seq=seq,
        created=clock(),
        count=count,
    )
    values.update(changes)
    return Header(**values)


def school_op(name: str = "Kinver High School") -> Op:
    return Op("school", new_id(), "upsert", clock(counter=1), {"name": name, "urn": None})


def parse(data: bytes, **kwargs):
    return parse_segment(data, repository_id=REPOSITORY, is_enrolled_key=enrolled, **kwargs)


def refusal_of(data: bytes, **kwargs) -> Refusal:
    with pytest.raises(SegmentRefused) as caught:
        parse(data, **kwargs)
    return caught.value.reason


def test_a_built_segment_parses_back_to_the_same_ops_under_its_own_name():
    ops = [school_op(), Op("school", new_id(), "delete", clock(counter=2))]
    name, data = build_segment(header(2, seq=7), ops, KEYS.signing_private)

    segment = parse(data, expected_name=name, expected_partition="trust")

    assert segment.ops == tuple(ops)
    assert segment.header.seq == 7
    assert name.startswith(f"{DEVICE}-00000007-") and name.endswith(".seg")
    assert build_segment(header(2, seq=7), ops, KEYS.signing_private) == (name, data)


def test_each_kind_of_bad_segment_is_refused_with_its_reason():
    op = school_op()
    name, good = build_segment(header(1), [op], KEYS.signing_private)
    magic, signature, body = good.split(b"\n", 2)

    assert refusal_of(b"{}") is Refusal.MALFORMED
    for version in (b"0", b"1x", b"-2", b"", b"99999"):
        envelope = b"INVICTUS-SEGMENT/" + version + b"\n"
        assert refusal_of(envelope + signature + b"\n" + body) is Refusal.MALFORMED
    assert refusal_of(good + b"x" * MAX_SEGMENT_BYTES) is Refusal.OVERSIZED
    assert refusal_of(magic + b"\n\n" + body) is Refusal.UNSIGNED
    assert refusal_of(magic + b"\n" + body) is Refusal.UNSIGNED

    tampered = body.replace(b"Kinver", b"Kinvar")
    assert (
        refusal_of(magic + b"\n" + signature + b"\n" + tampered) is Refusal.WRONGLY_SIGNED
    )

    _, by_stranger = build_segment(
        header(1, key=OTHER_KEYS.signing_public.hex()), [op], OTHER_KEYS.signing_private
    )
    assert refusal_of(by_stranger) is Refusal.UNKNOWN_KEY

    # A valid signature from an enrolled key over someone else's key id is no better.
    _, forged = build_segment(header(1), [op], OTHER_KEYS.signing_private)
    assert refusal_of(forged) is Refusal.WRONGLY_SIGNED

    _, foreign = build_segment(header(1, repository=new_id()), [op], KEYS.signing_private)
    assert refusal_of(foreign) is Refusal.FOREIGN_REPOSITORY

    assert refusal_of(good, expected_name=name.replace("-00000001-", "-00000002-")) is (
        Refusal.MISPLACED
    )
    assert refusal_of(good, expected_partition=f"quad:{new_id()}") is Refusal.MISPLACED


def test_a_segment_in_a_newer_format_is_refused_with_a_call_to_update_the_app():
    _, good = build_segment(header(1), [school_op()], KEYS.signing_private)
    _, signature, body = good.split(b"\n", 2)

    with pytest.raises(SegmentRefused) as caught:
        parse(b"INVICTUS-SEGMENT/2\n" + signature + b"\n" + body)

    assert caught.value.reason is Refusal.NEWER_FORMAT
    assert str(caught.value) == (
        "written by a newer version of the app; update this app: format 2"
    )


def test_a_body_that_is_valid_json_but_not_canonical_is_refused():
    _, good = build_segment(header(1), [school_op()], KEYS.signing_private)
    magic, signature, body = good.split(b"\n", 2)
    spaced = json.dumps(json.loads(body), indent=1).encode()

    assert refusal_of(magic + b"\n" + signature + b"\n" + spaced) is Refusal.MALFORMED


def test_a_different_file_in_an_applied_place_is_a_replay_and_the_same_file_a_repeat():
    _, first = build_segment(header(1), [school_op("First")], KEYS.signing_private)
    _, second = build_segment(header(1), [school_op("Second")], KEYS.signing_private)
    applied = parse(first)

    assert check_not_replayed(parse(first), applied.digest) is False
    assert check_not_replayed(parse(first), None) is True
    with pytest.raises(SegmentRefused) as caught:
        check_not_replayed(parse(second), applied.digest)
    assert caught.value.reason is Refusal.REPLAYED


def _resign(body_document: dict) -> bytes:
    """A correctly signed file around a hand-made body, to test the shape checks."""
    from invictus_desktop.crypto.identity_keys import sign
    from invictus_desktop.sync.segment import canonical_json

    body = canonical_json(body_document)
    signature = base64.b64encode(sign(KEYS.signing_private, body))
    return b"INVICTUS-SEGMENT/1\n" + signature + b"\n" + body


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["ops"][0].update(entity="School; DROP"),
        lambda d: d["ops"][0].update(id="../../etc"),
        lambda d: d["ops"][0].update(op="truncate"),
        lambda d: d["ops"][0].update(hlc="yesterday"),
        lambda d: d["ops"][0]["fields"].update(name={"nested": ["deep"]}),
        lambda d: d["ops"][0]["fields"].update(links=["not-an-id"]),
        lambda d: d["ops"][0]["bases"].update(missing=d["ops"][0]["hlc"]),
        lambda d: d["header"].update(count=2),
        lambda d: d["header"].update(seq=0),
        lambda d: d["header"].update(seq=True),
        lambda d: d["header"].update(partition="quad:../trust"),
        lambda d: d["header"].update(created=clock(device=new_id())),
        lambda d: d.update(extra=1),
        lambda d: d.update(recipients="everyone"),
    ],
)
def test_a_signed_body_of_the_wrong_shape_is_refused_as_malformed(spoil):
    _, good = build_segment(header(1), [school_op()], KEYS.signing_private)
    document = json.loads(good.split(b"\n", 2)[2])
    spoil(document)

    assert refusal_of(_resign(document)) is Refusal.MALFORMED


def test_deeply_nested_json_is_refused_without_a_crash():
    body = b"[" * 100_000 + b"]" * 100_000
    _, good = build_segment(header(1), [school_op()], KEYS.signing_private)
    magic, signature, _ = good.split(b"\n", 2)

    assert refusal_of(magic + b"\n" + signature + b"\n" + body) is Refusal.MALFORMED


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2_000))
def test_arbitrary_bytes_are_refused_and_never_crash_the_parser(data):
    with pytest.raises(SegmentRefused):
        parse(data)


@settings(max_examples=300)
@given(st.data())
def test_any_change_to_a_signed_segment_is_refused(data):
    _, good = build_segment(header(1), [school_op()], KEYS.signing_private)
    position = data.draw(st.integers(0, len(good) - 1))
    change = data.draw(st.sampled_from(["flip", "cut", "insert"]))
    if change == "flip":
        bit = data.draw(st.integers(0, 7))
        spoiled = (
            good[:position] + bytes([good[position] ^ (1 << bit)]) + good[position + 1 :]
        )
    elif change == "cut":
        spoiled = good[:position]
    else:
        spoiled = (
            good[:position] + data.draw(st.binary(min_size=1, max_size=8)) + good[position:]
        )

    with pytest.raises(SegmentRefused):
        parse(spoiled)


def test_a_signature_spelled_with_other_spare_bits_is_refused():
    _, good = build_segment(header(1), [school_op()], KEYS.signing_private)
    first_end = good.index(b"\n")
    signature_end = good.index(b"\n", first_end + 1)
    last = good.index(b"=", first_end) - 1  # the character holding the spare bits
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    other = alphabet[alphabet.index(good[last]) ^ 0x01]  # its lowest bit is spare
    spoiled = good[:last] + bytes([other]) + good[last + 1 :]
    assert base64.b64decode(spoiled[first_end + 1 : signature_end]) == (
        base64.b64decode(good[first_end + 1 : signature_end])
    ), "the change is in a spare bit only"

    with pytest.raises(SegmentRefused, match="canonical"):
        parse(spoiled)


field_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.text(max_size=50),
    st.lists(st.uuids().map(lambda u: u.hex), max_size=3),
)


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["upsert", "delete"]),
            st.dictionaries(
                st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
                field_values,
                max_size=5,
            ),
        ),
        max_size=8,
    )
)
def test_whatever_the_builder_produces_the_parser_accepts_unchanged(raw_ops):
    ops = [
        Op(
            "activity",
            new_id(),
            kind,
            clock(counter=i),
            fields if kind == "upsert" else {},
            {name: clock(counter=0) for name in list(fields)[:1]}
            if kind == "upsert"
            else {},
        )
        for i, (kind, fields) in enumerate(raw_ops)
    ]
    name, data = build_segment(header(len(ops)), ops, KEYS.signing_private)

    assert parse(data, expected_name=name).ops == tuple(ops)
