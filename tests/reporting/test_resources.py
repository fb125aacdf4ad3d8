"""The fonts ship with the app, with their licence, where resources_dir() finds them."""

from invictus_desktop.reporting.fonts import _FILES
from invictus_desktop.resources import resources_dir


def test_the_embedded_fonts_and_their_licence_are_shipped():
    folder = resources_dir() / "fonts"

    for filename in _FILES.values():
        font = folder / filename
        assert font.read_bytes()[:4] == b"\x00\x01\x00\x00", filename  # a TrueType file
    assert "Bitstream Vera" in (folder / "LICENSE-DejaVu.txt").read_text()
