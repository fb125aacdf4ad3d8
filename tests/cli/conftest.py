"""A demo trust made once per module through the command line itself."""

import pytest

from invictus_desktop.cli.main import main


@pytest.fixture(scope="module")
def demo_profile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "profile"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INVICTUS_PASSPHRASE", "a demo passphrase")
        assert main(["--profile", str(folder), "demo"]) == 0
    return folder


@pytest.fixture(autouse=True)
def passphrase(monkeypatch):
    monkeypatch.setenv("INVICTUS_PASSPHRASE", "a demo passphrase")
