"""Change detection by partition folder ETags (design/sync.md: cheap change
detection; failure mode 12: an ETag that changes with no edit, a stale ETag
that still matches).

WsgiDAV gives folders no ETag, so the fault proxy adds one to each partition
folder in listings of partitions/, the way a given kind of server would:
computed from every file beneath it (Nextcloud, which propagates changes up the
tree), from its direct children only (Apache mod_dav, from the folder's
modification time), constant, new on every listing, or frozen.
"""

import hashlib
import itertools
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from invictus_desktop.store.models import Quad, Setting, Term
from invictus_desktop.sync import change_detection
from tests.sync.proxy import Fault
from tests.sync.replicas import add_school, engine_for, introduce, make_laptop

PARTITION_HREF = re.compile(r".*/partitions/[^/]+/")
DAV = "{DAV:}"


class FolderEtags:
    """A proxy rewrite giving each partition folder a getetag, by `mode`."""

    def __init__(self, root: Path, mode: str = "nextcloud") -> None:
        self.root = root
        self.mode = mode
        self.frozen: dict[str, str] = {}
        self._counter = itertools.count()

    def etag_of(self, href: str) -> str:
        folder = self.root / href.strip("/")
        if self.mode == "frozen" and href in self.frozen:
            return self.frozen[href]
        if self.mode == "constant":
            return '"same"'
        if self.mode == "every-listing":
            return f'"{next(self._counter)}"'
        if self.mode == "apache":
            names = sorted(p.name for p in folder.iterdir())
        else:  # nextcloud: anything anywhere beneath changes it
            names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
        etag = '"' + hashlib.sha1("\n".join(names).encode()).hexdigest()[:16] + '"'
        self.frozen[href] = etag  # what "frozen" keeps from now on
        return etag

    def rewrite(self, status, headers, body):
        if status != 207:
            return status, headers, body
        tree = ET.fromstring(body)
        for response in tree.findall(f"{DAV}response"):
            href = unquote(response.findtext(f"{DAV}href") or "")
            if not PARTITION_HREF.fullmatch(href):
                continue
            for propstat in response.findall(f"{DAV}propstat"):
                if " 200 " in (propstat.findtext(f"{DAV}status") or ""):
                    etag = ET.SubElement(propstat.find(f"{DAV}prop"), f"{DAV}getetag")
                    etag.text = self.etag_of(href)
                    break
        return status, headers, ET.tostring(tree, encoding="utf-8", xml_declaration=True)


class Trust:
    """Two laptops on one repository folder behind the proxy, ann with `quads`
    QUAD partitions, both in step."""

    def __init__(self, tmp_path, repository, proxy, quads: int, etags: str | None):
        name = f"trust-{quads}-{etags}"
        self.proxy = proxy
        self.prefix = f"/{name}/"
        self.etags = FolderEtags(repository.root, etags or "nextcloud")
        if etags is not None:
            proxy.add(
                Fault(
                    method="PROPFIND",
                    path_contains=f"{self.prefix}partitions/",
                    times=10**9,
                    action="rewrite",
                    rewrite=self.etags.rewrite,
                )
            )
        (repository.root / name).mkdir()
        self.ann = make_laptop(tmp_path / name, "ann")
        self.ben = make_laptop(tmp_path / name, "ben")
        introduce(self.ann, self.ben)
        url = f"{proxy.url}{name}/"
        self.writer, self.reader = engine_for(self.ann, url), engine_for(self.ben, url)
        self.writer.create_repository()
        self.reader.join_repository()

        school_id = add_school(self.ann, "Kinver High School")
        with self.ann.store.session() as session:
            made = [
                Quad(
                    reference=f"KHS-{n}",
                    school_id=school_id,
                    academic_year=f"{2000 + n}-{(1 + n) % 100:02d}",
                    term=Term.AUTUMN,
                    starts_on=date(2026, 12, 8),
                    ends_on=date(2026, 12, 9),
                )
                for n in range(quads)
            ]
            session.add_all(made)
            session.flush()
            self.quad_ids = [quad.id for quad in made]
        self.writer.sync()
        self.reader.sync()
        self.writer.sync()
        assert len(self.subjects(self.ben)) == quads

    def close(self) -> None:
        for engine in (self.writer, self.reader):
            engine.client.close()
        self.ann.lock()
        self.ben.lock()

    @staticmethod
    def subjects(laptop) -> dict[str, str]:
        with laptop.store.session() as session:
            return {q.id: q.subject for q in session.scalars(select(Quad))}

    @staticmethod
    def set_subject(laptop, quad_id: str, subject: str) -> None:
        with laptop.store.session() as session:
            session.get(Quad, quad_id).subject = subject

    def prove_propagation(self) -> None:
        """A round of ann's that puts a segment into a bucket already there."""
        self.set_subject(self.ann, self.quad_ids[0], "Proof")
        assert self.writer.sync().sent == 1
        assert self.reader.sync().received == 1

    def round(self, engine, **options) -> tuple[int, int, object]:
        """(requests, PROPFINDs, report) of one round."""
        before, seen = engine.client.requests_sent, len(self.proxy.seen)
        report = engine.sync(**options)
        propfinds = sum(
            1
            for method, path, _ in self.proxy.seen[seen:]
            if method == "PROPFIND" and path.startswith(self.prefix)
        )
        return engine.client.requests_sent - before, propfinds, report


def records(laptop) -> dict:
    with laptop.store.session() as session:
        setting = session.get(Setting, change_detection.SETTING_KEY)
        return json.loads(setting.value) if setting else {}


def move_last_thorough_round(laptop, seconds: float) -> None:
    with laptop.store.session() as session:
        setting = session.get(Setting, change_detection.SETTING_KEY)
        data = json.loads(setting.value)
        data["thorough_at"] += seconds
        setting.value = json.dumps(data)


@pytest.fixture
def trusts(tmp_path, repository, proxy):
    made = []

    def make(quads: int, etags: str | None) -> Trust:
        made.append(Trust(tmp_path, repository, proxy, quads, etags))
        return made[-1]

    yield make
    for trust in made:
        trust.close()


def test_propagating_etags_make_a_round_with_nothing_new_cost_the_same_for_3_or_30_quads(
    trusts,
):
    costs = {}
    for quads in (3, 30):
        trust = trusts(quads, "nextcloud")
        assert records(trust.ann)["propagates"] is None  # nothing skipped yet
        thorough = trust.round(trust.writer, thorough=True)
        trust.prove_propagation()
        assert records(trust.ann)["propagates"] is True

        noop = trust.round(trust.writer)
        assert (noop[2].sent, noop[2].received) == (0, 0)
        costs[quads] = (thorough[:2], noop[:2])

        # A change made on the other laptop arrives in the very next round,
        # listing only the partition it changed.
        trust.set_subject(trust.ben, trust.quad_ids[-1], "Changed on ben's laptop")
        trust.reader.sync()
        _requests, propfinds, report = trust.round(trust.writer)
        assert report.received == 1
        assert trust.subjects(trust.ann)[trust.quad_ids[-1]] == "Changed on ben's laptop"
        assert propfinds <= 4  # partitions/, the QUAD, ben's bucket, our own bucket

    # Listing everything grows with the partitions; trusting the ETags does not.
    assert costs[3][0] < costs[30][0]
    assert costs[3][1] == costs[30][1] == (2, 1)  # the identity file, partitions/


def test_12_an_etag_that_changes_with_no_edit_only_means_listing(trusts):
    trust = trusts(3, "every-listing")
    trust.prove_propagation()  # it did change, so the ETags count as propagating

    thorough = trust.round(trust.writer, thorough=True)
    noop = trust.round(trust.writer)
    assert noop[:2] == thorough[:2]  # never matched: everything listed, as before
    assert (noop[2].sent, noop[2].received) == (0, 0)

    trust.set_subject(trust.ben, trust.quad_ids[1], "Changed on ben's laptop")
    trust.reader.sync()
    assert trust.round(trust.writer)[2].received == 1
    assert trust.subjects(trust.ann)[trust.quad_ids[1]] == "Changed on ben's laptop"


@pytest.mark.parametrize(
    "catch_up",
    ["forced", "half an hour later", "clock set back"],
)
def test_12_a_stale_etag_that_still_matches_hides_a_change_only_until_a_thorough_round(
    trusts, catch_up
):
    trust = trusts(3, "nextcloud")
    trust.prove_propagation()
    trust.round(trust.writer)
    trust.etags.mode = "frozen"  # a cache in front of the server, say

    trust.set_subject(trust.ben, trust.quad_ids[2], "Changed on ben's laptop")
    trust.reader.sync()
    requests, _propfinds, report = trust.round(trust.writer)
    assert (requests, report.received) == (2, 0)  # the ETag hid it

    options = {}
    if catch_up == "forced":
        options["thorough"] = True
    elif catch_up == "half an hour later":
        move_last_thorough_round(trust.ann, -change_detection.THOROUGH_EVERY)
    else:
        move_last_thorough_round(trust.ann, 3600)  # "last" is now in the future
    assert trust.round(trust.writer, **options)[2].received == 1
    assert trust.subjects(trust.ann)[trust.quad_ids[2]] == "Changed on ben's laptop"


@pytest.mark.parametrize("etags", ["apache", "constant"])
def test_12_etags_that_miss_deep_changes_are_found_out_and_never_trusted(trusts, etags):
    trust = trusts(3, etags)
    trust.prove_propagation()
    assert records(trust.ann)["propagates"] is False

    for n in range(2):  # each round lists what the ETags cannot be trusted to show
        trust.set_subject(trust.ben, trust.quad_ids[n], f"Changed on ben's laptop {n}")
        trust.reader.sync()
        assert trust.round(trust.writer)[2].received == 1
        assert trust.subjects(trust.ann)[trust.quad_ids[n]] == (
            f"Changed on ben's laptop {n}"
        )
    thorough = trust.round(trust.writer, thorough=True)
    noop = trust.round(trust.writer)
    assert noop[:2] == thorough[:2]


def test_09_without_folder_etags_a_round_lists_as_it_always_did(trusts):
    trust = trusts(3, None)
    thorough = trust.round(trust.writer, thorough=True)
    noop = trust.round(trust.writer)
    assert noop[:2] == thorough[:2]
    # The identity file, partitions/, and per partition (trust and 3 QUADs): our
    # own bucket, the partition, and ben's bucket where ben has a log (trust).
    assert noop[:2] == (2 + 4 + 4 + 1, 1 + 4 + 4 + 1)

    # A round that pushes lists partitions/ once, as before: no proof is tried.
    trust.set_subject(trust.ann, trust.quad_ids[0], "Edited")
    seen = len(trust.proxy.seen)
    assert trust.writer.sync().sent == 1
    listings = [
        path
        for method, path, _ in trust.proxy.seen[seen:]
        if method == "PROPFIND" and path == f"{trust.prefix}partitions/"
    ]
    assert len(listings) == 1
    assert records(trust.ann).get("propagates") is None


def test_a_partition_not_read_to_its_end_is_listed_again_though_its_etag_stays(trusts):
    trust = trusts(3, "nextcloud")
    trust.prove_propagation()
    trust.set_subject(trust.ben, trust.quad_ids[1], "Changed on ben's laptop")
    trust.reader.sync()
    trust.proxy.add(Fault(method="GET", path_contains=".seg", action="reset_mid_response"))

    assert trust.round(trust.writer)[2].received == 0  # the download was cut off
    requests, _propfinds, report = trust.round(trust.writer)  # the same ETags

    assert report.received == 1
    assert trust.subjects(trust.ann)[trust.quad_ids[1]] == "Changed on ben's laptop"
    assert requests > 2
