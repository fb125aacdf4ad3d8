"""A real WsgiDAV repository on a free loopback port, and the fault proxy before it."""

import pytest

from invictus_desktop.sync.server import make_server
from invictus_desktop.sync.webdav import RetryPolicy, WebDavClient
from tests.sync.proxy import FaultProxy

# Quick retries keep fault tests short; the policy's shape is what is under test.
QUICK_RETRIES = RetryPolicy(attempts=4, first_delay=0.02, max_delay=0.1)


@pytest.fixture
def repository(tmp_path):
    """The app's own repository server, serving tmp_path/'repository' anonymously."""
    server = make_server(tmp_path / "repository")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def proxy(repository):
    fault_proxy = FaultProxy(repository.port).start()
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture
def waits():
    """Pauses the client asked for, recorded instead of slept."""
    return []


@pytest.fixture
def client(proxy, waits):
    webdav = WebDavClient(
        proxy.url, retry=QUICK_RETRIES, read_timeout=5, sleep=waits.append
    )
    yield webdav
    webdav.close()
