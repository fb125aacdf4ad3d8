"""The log file rotates as `logging.handlers.RotatingFileHandler` would."""

import logging

import pytest

from invictus_desktop.logs import LOG_FILE, RotatingLogFile, configure_logging


def lines_of(path):
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def logger():
    logger = logging.getLogger("tests.logs")
    logger.propagate = False
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_a_full_file_moves_to_dot_1_and_the_oldest_is_dropped(tmp_path, logger):
    handler = RotatingLogFile(tmp_path / "app.log", max_bytes=20, backup_count=2)
    logger.addHandler(handler)
    for word in ["one", "two", "three", "four"]:
        logger.warning(word * 3)  # 10-16 bytes a line: each line fills a file
    handler.close()

    assert lines_of(tmp_path / "app.log") == ["fourfourfour"]
    assert lines_of(tmp_path / "app.log.1") == ["threethreethree"]
    assert lines_of(tmp_path / "app.log.2") == ["twotwotwo"]
    assert not (tmp_path / "app.log.3").exists()


def test_lines_append_until_the_limit(tmp_path, logger):
    (tmp_path / "app.log").write_text("earlier\n", encoding="utf-8")
    handler = RotatingLogFile(tmp_path / "app.log", max_bytes=1000, backup_count=3)
    logger.addHandler(handler)
    logger.warning("Zoë – later")
    handler.close()

    assert lines_of(tmp_path / "app.log") == ["earlier", "Zoë – later"]
    assert not (tmp_path / "app.log.1").exists()


def test_configure_logging_writes_into_the_folder_and_detaches(tmp_path):
    configure_logging(tmp_path / "logs")
    try:
        logging.getLogger("invictus_desktop.tests").info("started")
    finally:
        configure_logging(None)

    assert lines_of(tmp_path / "logs" / LOG_FILE)[-1].endswith(
        "INFO invictus_desktop.tests: started"
    )
    assert not [h for h in logging.getLogger("invictus_desktop").handlers
                if getattr(h, "_invictus", False)]
