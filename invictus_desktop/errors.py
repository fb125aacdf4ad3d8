"""Errors split by audience.

`UserFacingError` describes the user's situation (wrong passphrase, damaged
file, full disk): its message is plain English, says what happened and what to
do, and is shown as is. Anything else that escapes is a bug: logged with its
trace and reported as such.
"""


class UserFacingError(Exception):
    """A problem the user can understand and act on."""

    def __init__(self, message: str, *, next_step: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.next_step = next_step

    def __str__(self) -> str:
        if self.next_step:
            return f"{self.message} {self.next_step}"
        return self.message


class WrongPassphrase(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "That passphrase does not unlock this profile.",
            next_step="Check Caps Lock and try again, or use your recovery key.",
        )


class ProfileMissing(UserFacingError):
    pass


class VaultDamaged(UserFacingError):
    pass


class StoreDamaged(UserFacingError):
    pass


class StoreNotOurs(UserFacingError):
    pass


class StorageUnavailable(UserFacingError):
    """The disk is full, read-only or locked by another program."""


class PermissionDenied(UserFacingError):
    """The signed-in person's role does not allow this change."""
