"""Where headless verbs get the passphrase: a file, the environment, or a prompt."""

import getpass
import os
import sys
from pathlib import Path

from invictus_desktop.errors import UserFacingError

PASSPHRASE_ENV = "INVICTUS_PASSPHRASE"


def read_passphrase(passphrase_file: str | None, *, confirm: bool = False) -> str:
    if passphrase_file:
        try:
            text = Path(passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserFacingError(f"Cannot read the passphrase file: {exc}.") from None
        return text.removesuffix("\n").removesuffix("\r")

    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env

    if not sys.stdin.isatty():
        raise UserFacingError(
            "No passphrase given.",
            next_step=f"Use --passphrase-file FILE or set {PASSPHRASE_ENV}, "
            "or run this in a terminal to be asked.",
        )
    first = getpass.getpass("Passphrase: ")
    if confirm and getpass.getpass("Passphrase again: ") != first:
        raise UserFacingError("The two passphrases differ.", next_step="Try again.")
    return first
