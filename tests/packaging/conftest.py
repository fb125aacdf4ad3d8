"""Fixtures for the packaging tests."""

import importlib.util

import pytest

from tests.packaging.support import PACKAGING


@pytest.fixture(scope="session")
def qt_policy():
    """packaging/qt_policy.py, loaded by path: `packaging` is also a PyPI package."""
    spec = importlib.util.spec_from_file_location("qt_policy", PACKAGING / "qt_policy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
