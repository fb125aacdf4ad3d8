"""A small, polite WebDAV client for immutable files, on one `requests.Session`.

Only what sync needs, written to work on Nextcloud, ownCloud, Apache, nginx,
rclone and WsgiDAV alike:

- listing with `PROPFIND Depth: 1` only (many servers refuse `infinity`);
- uploads to a staging name, then `MOVE` with `Overwrite: F`, then a check of
  size and hash before anyone is told the file is there (some servers keep a
  truncated body after an interrupted `PUT`): a read-back, or for a batch the
  folder's listing (see `place` and `confirm_listed`);
- backoff that honours `Retry-After` on 429, 503 and 423, and no retry on 401
  or 403 (Nextcloud throttles repeated failed logins); a server that has not
  answered once is given one more try, not every retry, so a laptop with no
  network learns it is offline in half a second;
- multistatus bodies parsed with defusedxml, by namespace rather than prefix,
  with absolute or relative hrefs, and a 207 whose propstats are all 404 read
  as "not found";
- a warning when the laptop's clock is more than five minutes off the server's.

Several threads may use one client at once (a large sync uploads and downloads
a few files concurrently): each thread gets its own `requests.Session`, set up
like the first, since a session is not safe to share between threads.
"""

import email.utils
import hashlib
import ipaddress
import logging
import os
import secrets
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlparse

import requests
import truststore
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from requests.adapters import HTTPAdapter

from invictus_desktop.sync.errors import (
    CertificateNotTrusted,
    NotARepository,
    RepositoryBusy,
    RepositoryForbidden,
    RepositoryFull,
    RepositoryLoginRefused,
    RepositoryRefused,
    RepositoryUnreachable,
    UploadNotConfirmed,
)

log = logging.getLogger(__name__)

DAV = "{DAV:}"
RETRY_STATUSES = {423, 429, 502, 503, 504}
# More than any certificate chain a server would be given.
MAX_CERTIFICATE_BYTES = 1024 * 1024
MAX_LISTING_BYTES = 16 * 1024 * 1024
CLOCK_SKEW_WARNING_SECONDS = 300
PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop>'
    b"<d:resourcetype/><d:getcontentlength/><d:getetag/>"
    b"</d:prop></d:propfind>"
)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    # Tries before a server that has never answered this client is out of reach.
    attempts_unanswered: int = 2
    first_delay: float = 0.5
    max_delay: float = 30.0
    # A server asking for a longer pause than this is treated as busy for now.
    longest_retry_after: float = 300.0


@dataclass(frozen=True)
class Entry:
    name: str
    is_folder: bool
    size: int | None
    etag: str | None


class Placement:
    """How `place` left a file: MOVED means our own staged upload, acknowledged
    whole, was moved into the final name, so a listing of its size confirms it;
    CHECKED means the final name already held a file, and a read-back of size and
    hash found our bytes there."""

    MOVED = "moved"
    CHECKED = "checked"


class TooLarge(Exception):
    """A body was larger than the caller allows."""


class _SystemTrustAdapter(HTTPAdapter):
    """HTTPS verified against the operating system's trust store, where schools'
    filtering proxies install their own authority."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs["ssl_context"] = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return super().init_poolmanager(*args, **kwargs)


class WebDavClient:
    """One repository address. Paths are relative, '/'-separated; folders end in '/'."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        trusted_certificate: Path | None = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        base_url = base_url.strip()  # as pasted, with a space at either end
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._check_address(base_url)
        self.timeout = (connect_timeout, read_timeout)
        self.retry = retry or RetryPolicy()
        self.requests_sent = 0
        self.answered = False  # whether the server has answered any request yet
        self.clock_skew_seconds: float | None = None
        self._sleep = sleep
        self._skew_warned = False

        self._auth = (username, password or "") if username is not None else None
        # Passed with each request: requests lets REQUESTS_CA_BUNDLE override a
        # session-wide setting, which would silently drop the user's choice.
        self._verify: bool | str = True
        self._system_trust = trusted_certificate is None
        if trusted_certificate is not None:
            if not trusted_certificate.is_file():
                raise CertificateNotTrusted(
                    f"The certificate file to trust, {trusted_certificate}, is not there.",
                    next_step="Give the path of the repository's certificate (PEM) "
                    "again, on the Repository screen or with --trust-certificate.",
                )
            _check_is_a_certificate(trusted_certificate)
            self._verify = str(trusted_certificate)
        # What requests would read from the environment (proxies, a CA bundle,
        # ~/.netrc) on every request, read once: every request goes to one host.
        self._proxies = requests.utils.get_environ_proxies(self.base_url)
        if self._verify is True:
            self._verify = (
                os.environ.get("REQUESTS_CA_BUNDLE")
                or os.environ.get("CURL_CA_BUNDLE")
                or True
            )
        if self._auth is None:
            self._auth = requests.utils.get_netrc_auth(self.base_url)
        self._lock = threading.Lock()
        self._sessions: list[tuple[threading.Thread, requests.Session]] = []
        self._local = threading.local()
        self.session = self._session()

    def _session(self) -> requests.Session:
        """This thread's session (keep-alive per thread), made on first use."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # read once in __init__ instead
            session.proxies.update(self._proxies)
            session.headers["User-Agent"] = "InvictusQUADDesktop-sync/1"
            if self._auth is not None:
                session.auth = self._auth
            if self._system_trust:
                session.mount("https://", _SystemTrustAdapter())
            self._local.session = session
            with self._lock:
                self._sessions.append((threading.current_thread(), session))
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for _thread, session in sessions:
            session.close()

    def close_finished_threads(self) -> None:
        """Close the sessions (and their connections) of threads that have ended,
        such as a finished round's transfer threads."""
        with self._lock:
            ended = [pair for pair in self._sessions if not pair[0].is_alive()]
            self._sessions = [pair for pair in self._sessions if pair[0].is_alive()]
        for _thread, session in ended:
            session.close()

    def url(self, path: str) -> str:
        parts = [quote(part, safe="") for part in path.split("/")]
        return self.base_url + "/".join(parts)

    # -- reading -------------------------------------------------------------

    def list_folder(self, path: str) -> list[Entry] | None:
        """The folder's direct children, or None when the folder does not exist."""
        response = self._send(
            "PROPFIND",
            path,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            data=PROPFIND_BODY,
            stream=True,
        )
        if response.status_code == 404:
            response.close()
            return None
        if response.status_code not in (200, 207):
            self._raise_for(response, f"list {path}")
        try:
            body = _read_capped(response, MAX_LISTING_BYTES)
        except TooLarge:
            raise NotARepository(f"The listing of {path} is implausibly large.") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise RepositoryUnreachable(
                f"The connection to {self._host()} broke while listing {path}.",
                next_step="Sync will try again later.",
            ) from exc
        return parse_multistatus(body, self.url(path), response.headers.get("Content-Type"))

    def get(self, path: str, max_bytes: int) -> bytes | None:
        """The file's bytes, or None when it does not exist (or is not there in full,
        or is larger than `max_bytes`: see `get_capped` to tell that apart)."""
        try:
            return self.get_capped(path, max_bytes)
        except TooLarge:
            log.warning("%s is larger than %d bytes; not read", path, max_bytes)
            return None

    def get_capped(self, path: str, max_bytes: int) -> bytes | None:
        """The file's bytes, or None when it does not exist or reading it was cut
        off (not there in full yet: try later). A file larger than `max_bytes`
        raises `TooLarge`, read no further than the cap: it is there, and a
        caller may need to know that rather than wait for it."""
        response = self._send("GET", path, stream=True)
        if response.status_code == 404:
            response.close()
            return None
        if response.status_code != 200:
            self._raise_for(response, f"read {path}")
        try:
            return _read_capped(response, max_bytes)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            log.warning("reading %s was cut off; will try again later", path)
            return None

    def exists(self, path: str) -> bool:
        """Whether anything is at `path`, whatever its size (a `HEAD`: no body)."""
        response = self._send("HEAD", path)
        response.close()
        if response.status_code == 404:
            return False
        if response.status_code not in (200, 204):
            self._raise_for(response, f"check {path}")
        return True

    def exists_with(self, path: str, data: bytes) -> bool:
        """Whether `path` holds exactly `data` (size and SHA-256 of a fresh GET)."""
        try:
            found = self.get_capped(path, max_bytes=len(data) + 1)
        except TooLarge:
            return False  # there, and longer than `data`
        return (
            found is not None
            and len(found) == len(data)
            and hashlib.sha256(found).digest() == hashlib.sha256(data).digest()
        )

    # -- writing -------------------------------------------------------------

    def ensure_folder(self, path: str) -> bool:
        """Make the folder and any missing parents; 405 means it is already there.
        Returns whether anything was created."""
        created = False
        parts = [part for part in path.split("/") if part]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth]) + "/"
            response = self._send("MKCOL", folder)
            response.close()
            if response.status_code in (200, 201):
                created = True
                continue
            if response.status_code == 405:
                continue
            if response.status_code == 409:
                raise RepositoryRefused(
                    f"The repository would not create the folder {folder}."
                )
            self._raise_for(response, f"create folder {folder}")
        return created

    def put_immutable(self, path: str, data: bytes) -> None:
        """Place `data` at `path` for good and confirm it by reading it back.

        Repeating the call is harmless. If `path` already holds other bytes (a
        truncated earlier attempt of ours: names are derived from content, and
        only this laptop writes under its own folder) they are replaced.
        """
        if self.place(path, data) == Placement.MOVED and not self.exists_with(path, data):
            raise _not_confirmed()

    def place(self, path: str, data: bytes) -> str:
        """Upload to a staging name and move it to `path` without overwriting.

        Returns `Placement.CHECKED` when `path` was already there and has been
        read back (replaced first if it held other bytes), or `Placement.MOVED`
        when our staged copy was moved in: the caller must still confirm it,
        with `exists_with` or, for many files of one folder, `confirm_listed`.
        Nothing under the final name is ever a partial upload of this call.
        """
        staging = f"{path}.{secrets.token_hex(6)}.uploading"
        self._put(staging, data)

        outcome = self._move(staging, path, overwrite=False)
        if outcome != 412:
            return Placement.MOVED
        if self.exists_with(path, data):
            self._delete_quietly(staging)
            return Placement.CHECKED
        log.warning("%s held different bytes; replacing our incomplete copy", path)
        self._put(staging, data)
        outcome = self._move(staging, path, overwrite=True)
        if outcome == 412:
            self._delete_quietly(staging)
        if not self.exists_with(path, data):
            raise _not_confirmed()
        return Placement.CHECKED

    def confirm_listed(self, folder: str, files: dict[str, int]) -> set[str]:
        """Of `files` (name -> size) moved into `folder` by `place`, those the
        folder's listing shows whole, in one `PROPFIND Depth: 1`.

        The size is what an interrupted or cut-short upload changes; the bytes
        themselves came from our own staged `PUT`, which the server acknowledged
        whole, by a move that copies nothing over the network. The content hash
        is in the file's name and under its author's signature, and every reader
        checks both before trusting it.
        """
        listing = self.list_folder(folder) or []
        sizes = {entry.name: entry.size for entry in listing if not entry.is_folder}
        return {name for name, size in files.items() if sizes.get(name) == size}

    def put_new(self, path: str, data: bytes) -> bool:
        """Create a small file only if absent (`If-None-Match: *`, then a check,
        since some servers ignore the header); False if something else was there.

        Presence is asked with `HEAD` rather than read: a file of any size counts
        as there (a capped read of a larger one would look absent, and a server
        ignoring the header would then have it overwritten), and a read cut off
        halfway cannot pass for "absent" either.
        """
        if self.exists(path):
            return self.exists_with(path, data)
        response = self._send("PUT", path, data=data, headers={"If-None-Match": "*"})
        response.close()
        if response.status_code in (400, 405, 501):
            # The header itself was refused: try again without it.
            response = self._send("PUT", path, data=data)
            response.close()
        if response.status_code not in (200, 201, 204, 412):
            self._raise_for(response, f"write {path}")
        return self.exists_with(path, data)

    def _put(self, path: str, data: bytes) -> None:
        response = self._send(
            "PUT", path, data=data, headers={"Content-Type": "application/octet-stream"}
        )
        response.close()
        if response.status_code not in (200, 201, 204):
            self._raise_for(response, f"upload {path}")

    def _move(self, source: str, destination: str, *, overwrite: bool) -> int:
        response = self._send(
            "MOVE",
            source,
            headers={
                "Destination": self.url(destination),
                "Overwrite": "T" if overwrite else "F",
            },
        )
        response.close()
        # 404 after a retried MOVE: the first attempt went through.
        if response.status_code in (200, 201, 204, 404, 412):
            return response.status_code
        self._raise_for(response, f"move into {destination}")
        return response.status_code

    def _delete_quietly(self, path: str) -> None:
        try:
            self._send("DELETE", path).close()
        except RepositoryUnreachable:
            log.info("could not tidy the staging file %s", path)

    # -- one request, with retries -------------------------------------------

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        url = self.url(path)
        delay = self.retry.first_delay
        for attempt in range(1, self.retry.attempts + 1):
            last_try = attempt == self.retry.attempts
            try:
                with self._lock:
                    self.requests_sent += 1
                response = self._session().request(
                    method, url, timeout=self.timeout, verify=self._verify, **kwargs
                )
            except requests.exceptions.SSLError as exc:
                if "WRONG_VERSION_NUMBER" in str(exc):
                    raise NotARepository(
                        f"The server at {self._host()} does not answer HTTPS.",
                        next_step="Check the address: its port, and whether it begins "
                        "with https:// or http://.",
                    ) from None
                raise CertificateNotTrusted(
                    f"The certificate of {self._host()} is not trusted.",
                    next_step="If this is your trust's own server, trust its certificate: "
                    "on the Repository screen, or with --trust-certificate FILE.",
                ) from None
            except requests.exceptions.InvalidURL:
                raise _not_an_address(self.base_url) from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                out_of_reach = not self.answered and attempt >= self.retry.attempts_unanswered
                if last_try or out_of_reach:
                    raise RepositoryUnreachable(
                        f"The repository at {self._host()} could not be reached.",
                        next_step="Check the network; your work is safe here and "
                        "will be sent later.",
                    ) from exc
                log.info("%s %s failed (%s); retrying", method, path, type(exc).__name__)
                self._sleep(delay)
                delay = min(delay * 2, self.retry.max_delay)
                continue

            self.answered = True
            self._check_clock(response)
            if response.status_code not in RETRY_STATUSES:
                return response

            wait = _retry_after(response) if response.status_code != 502 else None
            response.close()
            if last_try or (wait is not None and wait > self.retry.longest_retry_after):
                raise RepositoryBusy(
                    f"The repository at {self._host()} is busy "
                    f"(it answered {response.status_code}).",
                    next_step="Sync will try again later.",
                )
            pause = delay if wait is None else wait
            log.info(
                "%s %s answered %d; waiting %.1fs",
                method,
                path,
                response.status_code,
                pause,
            )
            self._sleep(pause)
            delay = min(delay * 2, self.retry.max_delay)
        raise AssertionError("unreachable")

    def _raise_for(self, response: requests.Response, action: str) -> None:
        status = response.status_code
        response.close()
        host = self._host()
        if status == 401 and self._auth is None:
            raise RepositoryLoginRefused(
                f"The repository at {host} asks for a user name and password.",
                next_step="Give them on the Repository screen, or with --user NAME "
                "on the command line.",
            )
        if status == 401:
            raise RepositoryLoginRefused(
                f"The repository at {host} did not accept the user name and password.",
                next_step="Type them again on the Repository screen (or give --user "
                "NAME and the password on the command line).",
            )
        if status == 403:
            raise RepositoryForbidden(
                f"The repository at {host} does not allow this account to {action}.",
                next_step="Ask the trust's administrator for access.",
            )
        if status == 507:
            raise RepositoryFull(
                f"The repository at {host} is out of space.",
                next_step="Ask the trust's administrator to free space; "
                "your work is safe here.",
            )
        # Also a full or read-only disk on servers that answer 500 for it (WsgiDAV).
        raise RepositoryRefused(
            f"The repository at {host} refused to {action} (HTTP {status}).",
            next_step="Your work is safe here and will be sent at a later sync. If this "
            "keeps happening, ask whoever runs the repository to check its disk and "
            "its log.",
        )

    def _check_clock(self, response: requests.Response) -> None:
        stamp = response.headers.get("Date")
        if not stamp:
            return
        try:
            server_time = email.utils.parsedate_to_datetime(stamp)
        except (TypeError, ValueError):
            return
        if server_time.tzinfo is None:
            server_time = server_time.replace(tzinfo=UTC)
        self.clock_skew_seconds = (datetime.now(UTC) - server_time).total_seconds()
        if (
            abs(self.clock_skew_seconds) > CLOCK_SKEW_WARNING_SECONDS
            and not self._skew_warned
        ):
            self._skew_warned = True
            log.warning(
                "this computer's clock is %.0f minutes %s the repository's; "
                "sync stays correct, but times shown to people may look odd",
                abs(self.clock_skew_seconds) / 60,
                "ahead of" if self.clock_skew_seconds > 0 else "behind",
            )

    def _check_address(self, given: str) -> None:
        """Refuse, in words, an address requests would trip over later (a space,
        a port out of range, a broken IPv6 host) or that is not https://."""
        if "://" not in given:
            raise NotARepository(
                f"{given} is not a web address.",
                next_step=f"Begin it with https://, as in https://{given.lstrip('/')}",
            )
        try:
            parsed = urlparse(self.base_url)
            host = parsed.hostname or ""
            parsed.port  # noqa: B018 - raises ValueError when not a port
        except ValueError:
            raise _not_an_address(given) from None
        if not host or any(character.isspace() for character in given):
            raise _not_an_address(given)
        if parsed.scheme == "https":
            return
        if parsed.scheme == "http" and is_loopback(host):
            return
        raise NotARepository(
            f"{given} is not an https:// address.",
            next_step="Use the repository's https:// address "
            "(plain http only on this computer).",
        )

    def _host(self) -> str:
        return urlparse(self.base_url).netloc


def _not_an_address(given: str) -> NotARepository:
    return NotARepository(
        f"{given!r} is not a web address.",
        next_step="Check it for a typing slip: like https://quad.example.org:8443/ "
        "(no spaces; a port from 1 to 65535).",
    )


def _check_is_a_certificate(path: Path) -> None:
    """Refuse in words a file that cannot be trusted as a certificate (its key,
    a users file): requests would only say the server's certificate is not."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_CERTIFICATE_BYTES)
    except OSError as exc:
        raise CertificateNotTrusted(
            f"Cannot read the certificate file to trust, {path}: {exc.strerror}."
        ) from None
    if b"-----BEGIN CERTIFICATE-----" in head:
        return
    if b"PRIVATE KEY-----" in head:
        raise CertificateNotTrusted(
            f"{path} is a private key, not a certificate.",
            next_step="Give the certificate (the file the server was given with --cert); "
            "the key stays on the server.",
        )
    raise CertificateNotTrusted(
        f"{path} is not a certificate.",
        next_step="Give the repository's certificate, a PEM file beginning "
        "-----BEGIN CERTIFICATE-----.",
    )


def _not_confirmed() -> UploadNotConfirmed:
    return UploadNotConfirmed(
        "The repository did not keep a file exactly as it was sent.",
        next_step="It will be sent again at the next sync.",
    )


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine: the one place plain HTTP is allowed."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_multistatus(
    body: bytes, request_url: str, content_type: str | None
) -> list[Entry] | None:
    """Children of the listed folder from an untrusted 207 body; None if it says
    the folder is not there."""
    if content_type and "html" in content_type.lower():
        raise NotARepository(
            "The address answered with a web page, not the repository.",
            next_step="If this network needs you to sign in (hotel or school Wi-Fi), "
            "do so in a browser, then sync again.",
        )
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise NotARepository(
            "The repository's answer could not be read as WebDAV.",
            next_step="Check the repository address.",
        ) from None
    if root.tag != f"{DAV}multistatus":
        raise NotARepository("The repository's answer is not a WebDAV listing.")

    requested = _normal_path(urlparse(request_url).path)
    entries: list[Entry] = []
    found_self = False
    for response in root.findall(f"{DAV}response"):
        href = response.findtext(f"{DAV}href")
        if not href:
            continue
        path = _normal_path(urlparse(urljoin(request_url, href.strip())).path)
        props = _found_props(response)
        if props is None:
            continue
        if path.rstrip("/") == requested.rstrip("/"):
            found_self = True
            continue
        entries.append(_entry(path, props))

    if not found_self and not entries:
        return None
    return entries


def _found_props(response) -> list | None:
    """The <prop> elements reported with a 2xx status, or None if all are 404."""
    direct = response.findtext(f"{DAV}status")
    if direct is not None and not _is_success(direct):
        return None
    props = []
    for propstat in response.findall(f"{DAV}propstat"):
        if _is_success(propstat.findtext(f"{DAV}status") or ""):
            props.extend(propstat.findall(f"{DAV}prop"))
    if not props and direct is None:
        return None
    return props


def _entry(path: str, props: list) -> Entry:
    is_folder, size, etag = path.endswith("/"), None, None
    for prop in props:
        resource_type = prop.find(f"{DAV}resourcetype")
        if resource_type is not None and resource_type.find(f"{DAV}collection") is not None:
            is_folder = True
        length = prop.findtext(f"{DAV}getcontentlength")
        if length and length.strip().isdigit():
            size = int(length.strip())
        tag = prop.findtext(f"{DAV}getetag")
        if tag:
            etag = tag.strip()
    name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    return Entry(name=name, is_folder=is_folder, size=size, etag=etag)


def _normal_path(path: str) -> str:
    decoded = unquote(path)
    return decoded.rstrip("/") + "/" if decoded.endswith("/") else decoded


def _is_success(status_line: str) -> bool:
    parts = status_line.split()
    return len(parts) >= 2 and parts[1].startswith("2")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_capped(response: requests.Response, max_bytes: int) -> bytes:
    chunks, total = [], 0
    try:
        for chunk in response.iter_content(64 * 1024):
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge
            chunks.append(chunk)
    finally:
        response.close()
    return b"".join(chunks)
