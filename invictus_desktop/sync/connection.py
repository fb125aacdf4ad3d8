"""How this profile reaches its repository, kept in the encrypted store.

The password is stored like every other secret here: inside the SQLCipher
store, never in a plain file and never in a log.
"""

from dataclasses import dataclass
from pathlib import Path

from invictus_desktop.store.database import Store
from invictus_desktop.store.models import Setting
from invictus_desktop.sync.webdav import WebDavClient

URL = "sync.repository_url"
USERNAME = "sync.username"
PASSWORD = "sync.password"
TRUSTED_CERTIFICATE = "sync.trusted_certificate"


@dataclass(frozen=True)
class RepositoryConnection:
    url: str
    username: str | None = None
    password: str | None = None
    trusted_certificate: Path | None = None

    def __repr__(self) -> str:  # keeps the password out of tracebacks and logs
        return f"RepositoryConnection(url={self.url!r}, username={self.username!r})"

    def open_client(self) -> WebDavClient:
        return WebDavClient(
            self.url,
            username=self.username,
            password=self.password,
            trusted_certificate=self.trusted_certificate,
        )


def save_connection(store: Store, connection: RepositoryConnection) -> None:
    values = {
        URL: connection.url,
        USERNAME: connection.username,
        PASSWORD: connection.password,
        # Absolute: a later round may run from another folder.
        TRUSTED_CERTIFICATE: str(connection.trusted_certificate.resolve())
        if connection.trusted_certificate
        else None,
    }
    with store.session() as session:
        for key, value in values.items():
            setting = session.get(Setting, key)
            if value is None:
                if setting is not None:
                    session.delete(setting)
            elif setting is None:
                session.add(Setting(key=key, value=value))
            else:
                setting.value = value


def load_connection(store: Store) -> RepositoryConnection | None:
    with store.session() as session:
        values = {
            key: (setting.value if (setting := session.get(Setting, key)) else None)
            for key in (URL, USERNAME, PASSWORD, TRUSTED_CERTIFICATE)
        }
    if values[URL] is None:
        return None
    certificate = values[TRUSTED_CERTIFICATE]
    return RepositoryConnection(
        url=values[URL],
        username=values[USERNAME],
        password=values[PASSWORD],
        trusted_certificate=Path(certificate) if certificate else None,
    )
