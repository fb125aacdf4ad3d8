"""The app's own small repository server: WsgiDAV on cheroot.

For a small trust or a demo; a larger trust points the app at its Nextcloud or
similar instead. The server only stores files: segments are signed by their
authors, so the server is trusted with availability, not with content.

Users file: one person per line, `name:scrypt$N$r$p$<salt>$<hash>` (salt and
hash base64), blank lines and `#` comments ignored. `add_user` writes such a
line; passwords themselves are never stored. Without a users file the server
answers anyone, so it then listens on loopback only. Off loopback it needs a
certificate and key (HTTPS), so passwords never cross a network in the clear.
"""

import base64
import hashlib
import hmac
import logging
import os
import secrets
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from wsgidav.dc.base_dc import BaseDomainController
from wsgidav.wsgidav_app import WsgiDAVApp

from invictus_desktop.errors import UserFacingError
from invictus_desktop.sync.webdav import is_loopback

log = logging.getLogger(__name__)

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
USERS_CONFIG_KEY = "invictus_users"
REALM = "Invictus repository"


class ServerSetupError(UserFacingError):
    pass


@dataclass(frozen=True)
class PasswordRecord:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def matches(self, password: str) -> bool:
        candidate = hashlib.scrypt(
            password.encode("utf-8"),
            salt=self.salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=SCRYPT_MAXMEM,
            dklen=len(self.digest),
        )
        return hmac.compare_digest(candidate, self.digest)

    def encode(self) -> str:
        salt = base64.b64encode(self.salt).decode()
        digest = base64.b64encode(self.digest).decode()
        return f"scrypt${self.n}${self.r}${self.p}${salt}${digest}"


def hash_password(password: str) -> PasswordRecord:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )
    return PasswordRecord(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest)


def read_users(users_file: Path) -> dict[str, PasswordRecord]:
    users: dict[str, PasswordRecord] = {}
    try:
        text = users_file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ServerSetupError(
            f"Cannot read the users file {users_file}: {_reason(exc)}.",
            next_step="Make it with `invictus-desktop repository add-user FILE NAME`.",
        ) from None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            name, encoded = line.split(":", 1)
            scheme, n, r, p, salt, digest = encoded.split("$")
            if scheme != "scrypt" or not name:
                raise ValueError(scheme)
            users[name] = PasswordRecord(
                int(n), int(r), int(p), base64.b64decode(salt), base64.b64decode(digest)
            )
        except ValueError:
            raise ServerSetupError(
                f"Line {number} of the users file {users_file} is not understood.",
                next_step="Each line is name:scrypt$... as written by `add_user`.",
            ) from None
    if not users:
        raise ServerSetupError(
            f"The users file {users_file} names nobody, so nobody could sign in.",
            next_step="Add people with `invictus-desktop repository add-user FILE NAME`.",
        )
    return users


def add_user(users_file: Path, name: str, password: str) -> None:
    """Add or replace one person's line; the file stays readable by its owner only."""
    if not name or ":" in name or name != name.strip():
        raise ServerSetupError(
            "A user name cannot be empty, contain ':' or spaces at its ends."
        )
    if not password:
        # An empty password would let anyone who knows the name sign in.
        raise ServerSetupError(f"{name} needs a password: an empty one is refused.")
    lines = [
        line
        for line in _users_file_lines(users_file)
        if not line.startswith(f"{name}:")
    ]
    lines.append(f"{name}:{hash_password(password).encode()}")

    temporary = users_file.with_name(users_file.name + ".tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, users_file)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ServerSetupError(
            f"Cannot write the users file {users_file}: {_reason(exc)}.",
            next_step="Check that its folder exists and that you may write there.",
        ) from None


def _users_file_lines(users_file: Path) -> list[str]:
    """The file's lines, none if it is new; a file that cannot be read is refused,
    so that adding one person never drops the others."""
    if not users_file.exists():
        return []
    try:
        return users_file.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ServerSetupError(
            f"Cannot read the users file {users_file}: {_reason(exc)}.",
            next_step="Give the users file itself, or a new file's name.",
        ) from None


class UsersFileDomainController(BaseDomainController):
    """Basic authentication against the users file's scrypt hashes.

    Basic authentication sends the password with every request, and a sync round
    makes dozens; paying scrypt (about 0.1 s) for each made a round of one change
    take ten seconds. So a password that verified is remembered, as a keyed hash
    under a key that lives only in this process (never the password itself), and
    the same name and password are let in again by comparing that hash. Each name
    keeps only its last good password; a wrong one always pays scrypt in full."""

    def __init__(self, wsgidav_app, config) -> None:
        super().__init__(wsgidav_app, config)
        self._users: dict[str, PasswordRecord] = config[USERS_CONFIG_KEY]
        self._login_key = secrets.token_bytes(32)
        self._verified: dict[str, bytes] = {}
        self._verified_lock = threading.Lock()

    def get_domain_realm(self, path_info, environ):
        return REALM

    def require_authentication(self, realm, environ):
        return True

    def basic_auth_user(self, realm, user_name, password, environ):
        record = self._users.get(user_name)
        if record is None:
            # Spend the same time as for a known name, so names cannot be probed.
            hash_password(password)
            return False
        login = hmac.new(
            self._login_key, f"{user_name}\0{password}".encode(), hashlib.sha256
        ).digest()
        with self._verified_lock:
            known = self._verified.get(user_name)
        if known is not None and hmac.compare_digest(known, login):
            return True
        if not record.matches(password):
            return False
        with self._verified_lock:
            self._verified[user_name] = login
        return True

    def supports_http_digest_auth(self):
        return False


class RepositoryServer:
    """A bound server; `start()` runs it in a thread, `serve_forever()` in this one."""

    def __init__(self, server: wsgi.Server, scheme: str, root: Path) -> None:
        self.root = root
        self._server = server
        self._scheme = scheme
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.bind_addr[1]

    @property
    def url(self) -> str:
        host = self._server.bind_addr[0]
        if ":" in host:
            host = f"[{host}]"
        return f"{self._scheme}://{host}:{self.port}/"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve, name="repository-server", daemon=True
        )
        self._thread.start()

    def serve_forever(self) -> None:
        self._server.serve()

    def stop(self) -> None:
        self._server.stop()
        if self._thread is not None:
            self._thread.join(timeout=10)


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    users_file: Path | None = None,
    cert: Path | None = None,
    key: Path | None = None,
) -> RepositoryServer:
    """Bind (port 0 picks a free one) without serving yet."""
    loopback = is_loopback(host)
    if users_file is None and not loopback:
        raise ServerSetupError(
            "Without a users file the repository would be open to anyone.",
            next_step="Give --users FILE, or serve on 127.0.0.1 only.",
        )
    if (cert is None) != (key is None):
        raise ServerSetupError(
            "HTTPS needs both the certificate and its private key.",
            next_step="Give --cert FILE and --key FILE (both PEM).",
        )
    if not loopback and cert is None:
        raise ServerSetupError(
            "Serving beyond this computer needs HTTPS, so passwords are not sent "
            "in the clear.",
            next_step="Give a certificate and its key.",
        )
    # Checked before anything is made, so a mistake leaves nothing behind.
    ssl_adapter = _ssl_adapter(cert, key) if cert is not None and key is not None else None
    users = read_users(users_file) if users_file is not None else None
    _make_folder(root)

    config = {
        "host": host,
        "port": port,
        "provider_mapping": {"/": str(root)},
        "verbose": 1,
        "logging": {"enable": False},
        "dir_browser": {"enable": True, "response_trailer": False, "davmount": False},
    }
    if users_file is None:
        config["simple_dc"] = {"user_mapping": {"*": True}}
    else:
        config["http_authenticator"] = {
            "domain_controller": UsersFileDomainController,
            "accept_basic": True,
            "accept_digest": False,
            "default_to_digest": False,
        }
        config[USERS_CONFIG_KEY] = users

    server = wsgi.Server((host, port), WsgiDAVApp(config), numthreads=8, timeout=30)
    scheme = "http"
    if ssl_adapter is not None:
        server.ssl_adapter = ssl_adapter
        scheme = "https"
    _check_port(host, port)
    try:
        server.prepare()
    except OSError as exc:  # taken between the check and now
        raise _port_refused(host, port, str(exc)) from None
    log.info("repository server listening on %s:%d (%s)", host, server.bind_addr[1], scheme)
    return RepositoryServer(server, scheme, root)


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    users_file: Path | None = None,
    cert: Path | None = None,
    key: Path | None = None,
) -> None:
    """Serve `root` until interrupted."""
    server = make_server(root, host, port, users_file, cert, key)
    try:
        server.serve_forever()
    finally:
        server.stop()


def _make_folder(root: Path) -> None:
    """The repository's folder, made if it is new (the first time it is served)."""
    if root.exists() and not root.is_dir():
        raise ServerSetupError(
            f"Cannot serve {root}: it is a file, not a folder.",
            next_step="Give the repository's folder (a new or empty one to start).",
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerSetupError(
            f"Cannot serve {root}: {_reason(exc)}.",
            next_step="Give the repository's folder (a new or empty one to start).",
        ) from None


def _check_port(host: str, port: int) -> None:
    """Refuse a port another program holds with the reason, before cheroot
    tries it: its own error is a traceback, and leaves a socket open."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.create_server((host, port), family=family):
            pass
    except OSError as exc:
        raise _port_refused(host, port, _reason(exc)) from None


def _port_refused(host: str, port: int, why: str) -> ServerSetupError:
    return ServerSetupError(
        f"Cannot listen on {host} port {port}: {why}.",
        next_step="Another program (perhaps a repository server already running) "
        "may be using that port: stop it, or choose another with --port.",
    )


def _ssl_adapter(cert: Path, key: Path) -> BuiltinSSLAdapter:
    try:
        return BuiltinSSLAdapter(str(cert), str(key))
    except ssl.SSLError:
        raise ServerSetupError(
            f"{cert} and {key} are not a certificate and its private key.",
            next_step="Give the certificate (PEM) with --cert and its private key "
            "(PEM) with --key.",
        ) from None
    except OSError as exc:
        raise ServerSetupError(
            f"Cannot read the certificate {cert} or its key {key}: {_reason(exc)}.",
            next_step="Give the certificate (PEM) with --cert and its private key "
            "(PEM) with --key.",
        ) from None


def _reason(error: OSError | UnicodeDecodeError) -> str:
    """An OS error in words, without Python's decoration."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
