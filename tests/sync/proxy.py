"""A small fault-injecting HTTP proxy for sync tests, on loopback only.

It sits between the client and the real WsgiDAV server and understands just
enough HTTP/1.1 (request line, headers, Content-Length bodies) to forward each
request on a fresh upstream connection, or to misbehave on purpose: add
latency, cap bandwidth, reset the connection, cut a body short, answer with a
chosen status (with or without Retry-After), or pretend to be a captive portal.

Faults are queued with `add`; each matches by method, a path fragment and
optionally a test of the whole request (its headers, say), and fires a given
number of times. A fault may also change the request before it is forwarded
(drop a header the server should never see, or act as another client writing
in between). `seen` records (method, path, status) for every request the
client sent, and `requests` each request as the client sent it.
"""

import contextlib
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

CAPTIVE_PORTAL_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in to Wi-Fi</title></head>"
    b"<body><form>Accept the terms to continue</form></body></html>"
)


@dataclass
class Fault:
    method: str | None = None
    path_contains: str = ""
    times: int = 1
    # One of: status, captive_portal, reset_before, reset_mid_response,
    # truncate_request, truncate_response, delay, slow, rewrite, rewrite_request
    action: str = "status"
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    bytes_per_second: int = 0
    keep_bytes: int = 0
    rewrite: (
        Callable[[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]] | None
    ) = None
    # Called with the request before it is forwarded; returns what to forward.
    rewrite_request: Callable[["Request"], "Request"] | None = None
    when: Callable[["Request"], bool] | None = None

    def matches(self, request: "Request") -> bool:
        return (
            self.times > 0
            and (self.method is None or self.method == request.method)
            and self.path_contains in request.path
            and (self.when is None or self.when(request))
        )


def infinite_depth_refused() -> Fault:
    """A fault for every PROPFIND asking deeper than one level (no Depth header
    means infinity): 403, as nginx, ownCloud and Apache's default answer."""
    return Fault(
        method="PROPFIND",
        status=403,
        when=lambda request: request.header("Depth") not in ("0", "1"),
        times=10**9,
    )


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    def without_header(self, name: str) -> "Request":
        kept = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        return Request(self.method, self.path, kept, self.body)


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.faults: list[Fault] = []
        self.seen: list[tuple[str, str, int]] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._running = True
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/"

    def start(self) -> "FaultProxy":
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._acceptor.join(timeout=5)
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()
            self.seen.clear()
            self.requests.clear()

    def count(self, method: str | None = None) -> int:
        return sum(1 for m, _, _ in self.seen if method is None or m == method)

    # -- plumbing ----------------------------------------------------------

    def _accept_loop(self) -> None:
        while self._running:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(
                target=self._serve_client, args=(client,), daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _serve_client(self, client: socket.socket) -> None:
        client.settimeout(30)
        # Small writes (head, then body) must not wait on Nagle and delayed ACKs.
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = client.makefile("rb")
        try:
            while self._running:
                request = _read_request(reader)
                if request is None:
                    return
                if not self._handle(client, request):
                    return
        except OSError:
            return
        finally:
            reader.close()
            client.close()

    def _take_fault(self, request: Request) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(request):
                    fault.times -= 1
                    return fault
        return None

    def _handle(self, client: socket.socket, request: Request) -> bool:
        """Answer one request; False when the client connection must end."""
        with self._lock:
            self.requests.append(request)
        fault = self._take_fault(request)
        action = fault.action if fault else "forward"

        if action == "status":
            headers = {"Content-Type": "text/plain", **fault.headers}
            self._record(request, fault.status)
            _send_response(client, fault.status, headers, b"injected by the test proxy\n")
            return True
        if action == "captive_portal":
            self._record(request, 200)
            _send_response(client, 200, {"Content-Type": "text/html"}, CAPTIVE_PORTAL_PAGE)
            return True
        if action == "reset_before":
            self._record(request, 0)
            _reset(client)
            return False
        if action == "truncate_request":
            # The server sees the start of the body, then the connection dies.
            self._record(request, 0)
            _forward_partial(self.upstream, request, fault.keep_bytes)
            _reset(client)
            return False

        if action == "delay":
            time.sleep(fault.seconds)
        if action == "rewrite_request" and fault.rewrite_request is not None:
            request = fault.rewrite_request(request)
        status, headers, body = _forward(self.upstream, request)
        if action == "rewrite" and fault.rewrite is not None:
            status, headers, body = fault.rewrite(status, headers, body)
        self._record(request, status)

        if action == "truncate_response":
            _send_head(client, status, headers, len(body))
            client.sendall(body[: fault.keep_bytes])
            _reset(client)
            return False
        if action == "reset_mid_response":
            _send_head(client, status, headers, len(body))
            client.sendall(body[: len(body) // 2])
            _reset(client)
            return False
        if action == "slow":
            _send_head(client, status, headers, len(body))
            _send_slowly(client, body, fault.bytes_per_second)
            return True
        _send_response(client, status, headers, body)
        return True

    def _record(self, request: Request, status: int) -> None:
        with self._lock:
            self.seen.append((request.method, request.path, status))


def _read_request(reader) -> Request | None:
    line = reader.readline(65536)
    if not line:
        return None
    method, path, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header_line = reader.readline(65536)
        if header_line in (b"\r\n", b"\n", b""):
            break
        name, _, value = header_line.decode("latin-1").partition(":")
        headers[name.strip()] = value.strip()
    length = int(_header(headers, "Content-Length") or 0)
    body = reader.read(length) if length else b""
    return Request(method, path, headers, body)


def _header(headers: dict[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _upstream_bytes(upstream: tuple[str, int], request: Request) -> tuple[bytes, bytes]:
    skip = {"connection", "keep-alive", "proxy-connection", "host", "content-length"}
    host = f"{upstream[0]}:{upstream[1]}"
    lines = [
        f"{request.method} {request.path} HTTP/1.1",
        f"Host: {host}",
        "Connection: close",
    ]
    for name, value in request.headers.items():
        if name.lower() in skip:
            continue
        if name.lower() == "destination":
            value = re.sub(r"^https?://[^/]+", f"http://{host}", value)
        lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(request.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"), request.body


def _forward(
    upstream: tuple[str, int], request: Request
) -> tuple[int, dict[str, str], bytes]:
    head, body = _upstream_bytes(upstream, request)
    with socket.create_connection(upstream, timeout=30) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.sendall(head + body)
        reader = connection.makefile("rb")
        status_line = reader.readline().decode("latin-1")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        while True:
            line = reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip()] = value.strip()
        if request.method == "HEAD" or status in (204, 304):
            payload = b""  # whatever Content-Length says, no body follows
        elif (_header(headers, "Transfer-Encoding") or "").lower() == "chunked":
            payload = _read_chunked(reader)
        elif _header(headers, "Content-Length") is not None:
            payload = reader.read(int(_header(headers, "Content-Length")))
        else:
            payload = reader.read()
        reader.close()
    for drop in ("Transfer-Encoding", "Content-Length", "Connection"):
        for key in [k for k in headers if k.lower() == drop.lower()]:
            del headers[key]
    return status, headers, payload


def _read_chunked(reader) -> bytes:
    parts = []
    while True:
        size = int(reader.readline().split(b";")[0].strip(), 16)
        if size == 0:
            reader.readline()
            return b"".join(parts)
        parts.append(reader.read(size))
        reader.readline()


def _forward_partial(upstream: tuple[str, int], request: Request, keep_bytes: int) -> None:
    head, body = _upstream_bytes(upstream, request)
    with socket.create_connection(upstream, timeout=30) as connection:
        connection.sendall(head + body[:keep_bytes])
        time.sleep(0.05)
        _reset(connection)
    # Give the server a moment to notice the broken upload before the client retries.
    time.sleep(0.2)


def _send_head(
    client: socket.socket, status: int, headers: dict[str, str], length: int
) -> None:
    lines = [f"HTTP/1.1 {status} Status"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {length}")
    client.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def _send_response(
    client: socket.socket, status: int, headers: dict[str, str], body: bytes
):
    _send_head(client, status, headers, len(body))
    client.sendall(body)


def _send_slowly(client: socket.socket, body: bytes, bytes_per_second: int) -> None:
    step = max(1, bytes_per_second // 10)
    for start in range(0, len(body), step):
        client.sendall(body[start : start + step])
        time.sleep(0.1)


def _reset(sock: socket.socket) -> None:
    """Close with RST rather than FIN, as a dropped Wi-Fi link or a middlebox would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
