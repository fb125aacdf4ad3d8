"""The WebDAV client against the real WsgiDAV server, through the fault proxy.

Numbers in test names refer to the failure modes listed in design/sync.md.
"""

import logging
import re
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from cryptography import x509

from invictus_desktop.sync.errors import (
    CertificateNotTrusted,
    NotARepository,
    RepositoryBusy,
    RepositoryForbidden,
    RepositoryFull,
    RepositoryLoginRefused,
    RepositoryRefused,
    RepositoryUnreachable,
)
from invictus_desktop.sync.server import add_user, make_server
from invictus_desktop.sync.webdav import TooLarge, WebDavClient, parse_multistatus
from tests.sync.certificates import self_signed
from tests.sync.conftest import QUICK_RETRIES
from tests.sync.proxy import Fault

SEGMENT = bytes(range(256)) * 40


def test_an_upload_is_moved_into_place_and_read_back(client, proxy, repository):
    client.ensure_folder("partitions/trust/dev1/")
    client.put_immutable("partitions/trust/dev1/a.seg", SEGMENT)

    methods = [method for method, _, _ in proxy.seen]
    assert methods.index("PUT") < methods.index("MOVE") < len(methods) - 1
    assert methods[-1] == "GET"  # read back before anyone is told it is there
    assert (repository.root / "partitions/trust/dev1/a.seg").read_bytes() == SEGMENT
    assert [entry.name for entry in client.list_folder("partitions/trust/dev1/")] == [
        "a.seg"
    ]
    move = next(r for r in proxy.requests if r.method == "MOVE")
    assert move.headers["Overwrite"] == "F"


def test_repeating_an_upload_of_the_same_bytes_changes_nothing(client, proxy, repository):
    client.put_immutable("a.seg", SEGMENT)
    proxy.clear()

    client.put_immutable("a.seg", SEGMENT)

    moves = [status for method, _, status in proxy.seen if method == "MOVE"]
    assert moves == [412]  # Overwrite: F kept the first copy
    assert [p.name for p in repository.root.iterdir()] == ["a.seg"]
    assert (repository.root / "a.seg").read_bytes() == SEGMENT


def test_folders_are_made_with_their_parents_and_an_existing_one_is_fine(
    client, repository
):
    assert client.ensure_folder("partitions/quad-1/dev/00000/") is True
    assert client.ensure_folder("partitions/quad-1/dev/00000/") is False
    assert client.ensure_folder("partitions/quad-1/dev/00001/") is True

    assert (repository.root / "partitions/quad-1/dev/00000").is_dir()


def test_a_missing_folder_lists_as_none_and_a_missing_file_reads_as_none(client):
    assert client.list_folder("nowhere/") is None
    assert client.get("nowhere.seg", max_bytes=100) is None


def test_01_a_put_cut_off_mid_body_is_retried_and_verified(client, proxy, repository):
    proxy.add(Fault(method="PUT", action="truncate_request", keep_bytes=1000))

    client.put_immutable("a.seg", SEGMENT)

    assert (repository.root / "a.seg").read_bytes() == SEGMENT


def test_01_a_truncated_file_left_under_the_final_name_is_replaced(client, repository):
    (repository.root / "a.seg").write_bytes(SEGMENT[:1000])

    client.put_immutable("a.seg", SEGMENT)

    assert (repository.root / "a.seg").read_bytes() == SEGMENT
    assert [p.name for p in repository.root.iterdir()] == ["a.seg"]


def test_01_an_upload_whose_read_back_is_cut_short_is_not_taken_as_sent(client, proxy):
    proxy.add(Fault(method="GET", action="truncate_response", keep_bytes=100, times=2))

    with pytest.raises(RepositoryRefused):
        client.put_immutable("a.seg", SEGMENT)


def test_08_busy_answers_are_retried_after_the_pause_the_server_asks_for(
    client, proxy, waits
):
    proxy.add(Fault(method="PROPFIND", status=503, headers={"Retry-After": "2"}))
    proxy.add(Fault(method="PROPFIND", status=429))
    proxy.add(Fault(method="PROPFIND", status=423, headers={"Retry-After": "1"}))

    assert client.list_folder("") == []

    assert waits[0] == 2.0 and waits[2] == 1.0
    assert 0 < waits[1] <= QUICK_RETRIES.max_delay  # 429 without Retry-After: backoff
    assert proxy.count("PROPFIND") == 4


def test_08_retry_after_as_a_date_is_understood(client, proxy, waits):
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    proxy.add(Fault(method="PROPFIND", status=429, headers={"Retry-After": later}))

    client.list_folder("")

    assert 25 <= waits[0] <= 31


def test_08_a_server_that_stays_busy_gives_a_plain_busy_error(client, proxy):
    proxy.add(Fault(method="PROPFIND", status=503, times=10))

    with pytest.raises(RepositoryBusy, match="busy"):
        client.list_folder("")
    assert proxy.count("PROPFIND") == QUICK_RETRIES.attempts


def test_08_a_very_long_retry_after_is_not_waited_out(client, proxy, waits):
    proxy.add(Fault(method="PROPFIND", status=503, headers={"Retry-After": "86400"}))

    with pytest.raises(RepositoryBusy):
        client.list_folder("")
    assert waits == []


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, RepositoryLoginRefused), (403, RepositoryForbidden), (507, RepositoryFull)],
)
def test_08_login_refusals_and_a_full_server_are_not_retried(client, proxy, status, error):
    proxy.add(Fault(method="PUT", status=status, times=10))

    with pytest.raises(error):
        client.put_immutable("a.seg", SEGMENT)
    assert proxy.count("PUT") == 1


def test_09_listing_never_asks_for_infinite_depth(client, proxy):
    client.ensure_folder("a/b/")
    client.list_folder("")
    client.list_folder("a/")

    depths = {r.headers.get("Depth") for r in proxy.requests if r.method == "PROPFIND"}
    assert depths == {"1"}


def test_09_a_listing_without_etags_or_with_hidden_names_still_reads(client, proxy):
    client.put_immutable("a.seg", SEGMENT)

    def drop_etags_and_dot_names(status, headers, body):
        body = re.sub(rb"<ns0:getetag>[^<]*</ns0:getetag>", b"", body)
        return status, headers, body

    proxy.add(Fault(method="PROPFIND", action="rewrite", rewrite=drop_etags_and_dot_names))
    entries = client.list_folder("")

    assert [(e.name, e.size, e.etag) for e in entries] == [("a.seg", len(SEGMENT), None)]


MULTISTATUS = """<?xml version="1.0"?>
<X:multistatus xmlns:X="DAV:" xmlns:oc="http://owncloud.org/ns">
 <X:response><X:href>{self_href}</X:href>
  <X:propstat><X:prop><X:resourcetype><X:collection/></X:resourcetype></X:prop>
   <X:status>HTTP/1.1 200 OK</X:status></X:propstat></X:response>
 <X:response><X:href>{child_href}</X:href>
  <X:propstat><X:prop><X:getcontentlength>12</X:getcontentlength>
   <X:getetag>"e1"</X:getetag><oc:id>1</oc:id></X:prop>
   <X:status>HTTP/1.1 200 OK</X:status></X:propstat>
  <X:propstat><X:prop><X:resourcetype/></X:prop>
   <X:status>HTTP/1.1 404 Not Found</X:status></X:propstat></X:response>
</X:multistatus>"""


@pytest.mark.parametrize(
    ("self_href", "child_href"),
    [
        ("/remote.php/dav/files/ann/repo/", "/remote.php/dav/files/ann/repo/a%20b.seg"),
        (
            "https://cloud.example.org/remote.php/dav/files/ann/repo/",
            "https://cloud.example.org/remote.php/dav/files/ann/repo/a%20b.seg",
        ),
        ("/remote.php/dav/files/ann/repo", "a%20b.seg"),
    ],
)
def test_10_odd_prefixes_and_absolute_or_relative_hrefs(self_href, child_href):
    body = MULTISTATUS.format(self_href=self_href, child_href=child_href).encode()

    entries = parse_multistatus(
        body, "https://cloud.example.org/remote.php/dav/files/ann/repo/", "application/xml"
    )

    assert [(e.name, e.size, e.etag, e.is_folder) for e in entries] == [
        ("a b.seg", 12, '"e1"', False)
    ]


def test_10_a_207_whose_propstats_are_all_404_means_not_found(client, proxy):
    all_missing = (
        b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response>'
        b"<d:href>/gone/</d:href><d:propstat><d:prop><d:resourcetype/></d:prop>"
        b"<d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>"
        b"</d:multistatus>"
    )
    proxy.add(
        Fault(
            method="PROPFIND",
            action="rewrite",
            rewrite=lambda s, h, b: (207, {"Content-Type": "application/xml"}, all_missing),
        )
    )

    assert client.list_folder("gone/") is None


def test_hostile_xml_is_refused_without_expanding_entities():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<d:multistatus xmlns:d="DAV:"><d:response><d:href>&lol3;</d:href>'
        b"</d:response></d:multistatus>"
    )
    for body in (laughs, b"<d:multistatus", b"\xff\xfe<<"):
        with pytest.raises(NotARepository):
            parse_multistatus(body, "http://127.0.0.1/", "application/xml")


def _puts(proxy):
    """The PUTs the client sent, as (If-None-Match header, status answered)."""
    statuses = [status for method, _, status in proxy.seen if method == "PUT"]
    headers = [r.header("If-None-Match") for r in proxy.requests if r.method == "PUT"]
    return list(zip(headers, statuses, strict=True))


def _ignore_if_none_match(proxy) -> None:
    """Make the server behave as one that ignores If-None-Match on PUT (nginx)."""
    proxy.add(
        Fault(
            method="PUT",
            action="rewrite_request",
            rewrite_request=lambda request: request.without_header("If-None-Match"),
            times=10,
        )
    )


@pytest.mark.parametrize("refusal", [400, 405])
def test_11_a_server_that_refuses_if_none_match_gets_the_put_again_without_it(
    client, proxy, repository, refusal
):
    proxy.add(Fault(method="PUT", status=refusal, when=lambda r: r.header("If-None-Match")))

    assert client.put_new("identity.json", b"ours") is True

    assert _puts(proxy) == [("*", refusal), (None, 201)]
    assert (repository.root / "identity.json").read_bytes() == b"ours"


@pytest.mark.parametrize(("theirs", "created"), [(b"theirs", False), (b"ours", True)])
def test_11_a_file_created_between_the_check_and_the_put_gets_a_412_and_is_kept(
    client, proxy, repository, theirs, created
):
    def another_laptop_writes_first(request):
        (repository.root / "identity.json").write_bytes(theirs)
        return request

    proxy.add(
        Fault(
            method="PUT",
            action="rewrite_request",
            rewrite_request=another_laptop_writes_first,
        )
    )

    assert client.put_new("identity.json", b"ours") is created

    assert ("HEAD", "/identity.json", 404) in proxy.seen  # absent when checked
    assert _puts(proxy) == [("*", 412)]  # the server's own answer, not the proxy's
    assert (repository.root / "identity.json").read_bytes() == theirs


def test_11_a_server_that_ignores_if_none_match_creates_an_absent_file(
    client, proxy, repository
):
    _ignore_if_none_match(proxy)

    assert client.put_new("identity.json", b"ours") is True

    assert _puts(proxy) == [("*", 201)]  # answered 201 as if the header were absent
    assert (repository.root / "identity.json").read_bytes() == b"ours"


@pytest.mark.parametrize("existing", [b"theirs", b"theirs, and longer than ours"])
def test_11_a_server_that_ignores_if_none_match_never_overwrites_an_existing_file(
    client, proxy, repository, existing
):
    (repository.root / "identity.json").write_bytes(existing)
    _ignore_if_none_match(proxy)

    assert client.put_new("identity.json", b"ours") is False

    assert _puts(proxy) == []
    assert (repository.root / "identity.json").read_bytes() == existing


def test_a_file_larger_than_the_cap_is_told_apart_from_a_missing_one(client, repository):
    (repository.root / "big.seg").write_bytes(SEGMENT)

    with pytest.raises(TooLarge):
        client.get_capped("big.seg", max_bytes=100)
    assert client.get_capped("missing.seg", max_bytes=100) is None
    assert client.get("big.seg", max_bytes=100) is None
    assert client.exists("big.seg") and not client.exists("missing.seg")


def test_17_a_reset_connection_is_retried(client, proxy):
    client.put_immutable("a.seg", SEGMENT)
    proxy.add(Fault(method="PROPFIND", action="reset_before"))
    proxy.add(Fault(method="GET", action="reset_mid_response"))

    assert [e.name for e in client.list_folder("")] == ["a.seg"]
    assert client.get("a.seg", max_bytes=len(SEGMENT)) is None  # not arrived, not data
    assert client.get("a.seg", max_bytes=len(SEGMENT)) == SEGMENT


def test_17_a_server_that_never_answered_is_out_of_reach_after_one_more_try(waits):
    with socket.socket() as unused:  # a port nothing listens on: as with no network
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    offline = WebDavClient(f"http://127.0.0.1:{port}/", retry=QUICK_RETRIES,
                           sleep=waits.append)

    with pytest.raises(RepositoryUnreachable, match="could not be reached"):
        offline.list_folder("")

    assert offline.requests_sent == QUICK_RETRIES.attempts_unanswered
    assert waits == [QUICK_RETRIES.first_delay]
    offline.close()


def test_17_once_the_server_has_answered_a_lost_connection_gets_every_retry(
    client, proxy, waits
):
    assert client.list_folder("") == []
    proxy.add(Fault(method="PROPFIND", action="reset_before", times=3))

    assert client.list_folder("") == []

    assert len(waits) == 3  # more tries than a server that never answered gets


def test_17_a_one_kilobyte_per_second_link_is_slow_but_not_broken(client, proxy):
    small = b"x" * 1500
    client.put_immutable("small.seg", small)
    proxy.add(Fault(method="GET", action="slow", bytes_per_second=1024))

    assert client.get("small.seg", max_bytes=2000) == small


def test_17_latency_beyond_the_read_timeout_is_retried_then_reported(proxy, waits):
    slow = WebDavClient(
        proxy.url, retry=QUICK_RETRIES, read_timeout=0.2, sleep=waits.append
    )
    proxy.add(Fault(method="PROPFIND", action="delay", seconds=0.5))
    assert slow.list_folder("") == []

    proxy.add(Fault(method="PROPFIND", action="delay", seconds=0.5, times=10))
    with pytest.raises(RepositoryUnreachable, match="could not be reached"):
        slow.list_folder("")
    slow.close()


def test_17_a_captive_portal_page_is_recognised_and_never_read_as_data(client, proxy):
    client.put_immutable("a.seg", SEGMENT)
    proxy.add(Fault(method="PROPFIND", action="captive_portal"))
    proxy.add(Fault(method="GET", action="captive_portal"))

    with pytest.raises(NotARepository, match="sign in"):
        client.list_folder("")
    assert client.exists_with("a.seg", SEGMENT) is False


def test_07_a_server_clock_far_off_ours_is_warned_about(client, proxy, caplog):
    ahead = format_datetime(datetime.now(UTC) + timedelta(minutes=10), usegmt=True)

    def future_date(status, headers, body):
        headers = {k: v for k, v in headers.items() if k.lower() != "date"}
        return status, {**headers, "Date": ahead}, body

    proxy.add(Fault(method="PROPFIND", action="rewrite", rewrite=future_date))
    with caplog.at_level(logging.WARNING, logger="invictus_desktop.sync.webdav"):
        client.list_folder("")

    assert -610 < client.clock_skew_seconds < -590
    assert "clock is 10 minutes behind" in caplog.text


def test_plain_http_is_refused_beyond_loopback():
    with pytest.raises(NotARepository, match="https"):
        WebDavClient("http://files.example.org/dav/")


def test_17_a_self_signed_certificate_is_refused_unless_the_user_trusts_it(tmp_path):
    cert, key = self_signed(tmp_path)
    users = tmp_path / "users"
    add_user(users, "ann", "a long shared secret")
    server = make_server(tmp_path / "repo", users_file=users, cert=cert, key=key)
    server.start()
    address = f"https://localhost:{server.port}/"
    try:
        untrusting = WebDavClient(address, username="ann", password="a long shared secret")
        with pytest.raises(CertificateNotTrusted):
            untrusting.list_folder("")
        untrusting.close()

        trusting = WebDavClient(
            address,
            username="ann",
            password="a long shared secret",
            trusted_certificate=cert,
        )
        assert trusting.list_folder("") == []
        trusting.close()

        wrong = WebDavClient(
            address, username="ann", password="not it", trusted_certificate=cert
        )
        with pytest.raises(RepositoryLoginRefused):
            wrong.list_folder("")
        wrong.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    "fault",
    [
        {"host_names": (x509.DNSName("quad.example.org"),)},  # another server's
        {"valid_from": timedelta(days=-2)},  # expired yesterday
    ],
    ids=["for-another-host", "expired"],
)
def test_17_a_bad_certificate_is_refused_even_when_trusted(tmp_path, fault):
    cert, key = self_signed(tmp_path, **fault)
    server = make_server(tmp_path / "repo", cert=cert, key=key)
    server.start()
    try:
        client = WebDavClient(f"https://localhost:{server.port}/", trusted_certificate=cert)
        with pytest.raises(CertificateNotTrusted):
            client.list_folder("")
        client.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("127.0.0.1:8443/quad/", "Begin it with https://, as in https://127.0.0.1:8443/quad/"),
        ("https://quad.example.org :8443/", "is not a web address"),
        ("https://quad.example.org:84430/", "a port from 1 to 65535"),
        ("https://[::1/", "is not a web address"),
        ("https:///quad/", "is not a web address"),
    ],
)
def test_a_typing_slip_in_the_address_is_named_before_any_request(address, message):
    with pytest.raises(NotARepository, match=re.escape(message)):
        WebDavClient(address)


def test_spaces_around_a_pasted_address_are_ignored(repository):
    pasted = WebDavClient(f"  {repository.url}\n")
    assert pasted.list_folder("") == []
    pasted.close()


def test_https_to_a_plain_http_port_says_so_rather_than_blaming_the_certificate(
    repository,
):
    client = WebDavClient(f"https://127.0.0.1:{repository.port}/")
    with pytest.raises(NotARepository, match="does not answer HTTPS"):
        client.list_folder("")
    client.close()


def test_a_missing_certificate_file_to_trust_is_named(tmp_path):
    with pytest.raises(CertificateNotTrusted, match=re.escape("missing.pem, is not there")):
        WebDavClient("https://quad.example.org/", trusted_certificate=tmp_path / "missing.pem")


def test_a_key_or_other_file_given_as_the_certificate_to_trust_is_named(tmp_path):
    cert, key = self_signed(tmp_path)
    users = tmp_path / "users"
    add_user(users, "ann", "a long shared secret")

    with pytest.raises(CertificateNotTrusted, match="is a private key, not a cert"):
        WebDavClient("https://quad.example.org/", trusted_certificate=key)
    with pytest.raises(CertificateNotTrusted, match="users is not a certificate"):
        WebDavClient("https://quad.example.org/", trusted_certificate=users)
    WebDavClient("https://quad.example.org/", trusted_certificate=cert).close()


def test_a_server_asking_for_a_login_none_was_given_for_says_so(tmp_path):
    users = tmp_path / "users"
    add_user(users, "ann", "a long shared secret")
    server = make_server(tmp_path / "repo", users_file=users)
    server.start()
    try:
        anonymous = WebDavClient(server.url)
        with pytest.raises(RepositoryLoginRefused, match="asks for a user name and password"):
            anonymous.list_folder("")
        anonymous.close()
    finally:
        server.stop()


def test_a_server_error_says_what_to_do_next(client, proxy):
    """A full or read-only disk behind WsgiDAV answers 500, not 507."""
    proxy.add(Fault(method="PUT", status=500))

    with pytest.raises(RepositoryRefused) as refused:
        client.put_immutable("a.seg", SEGMENT)

    assert re.search(r"refused to upload a\.seg\S* \(HTTP 500\)\.$", refused.value.message)
    assert refused.value.next_step == (
        "Your work is safe here and will be sent at a later sync. If this keeps "
        "happening, ask whoever runs the repository to check its disk and its log."
    )
