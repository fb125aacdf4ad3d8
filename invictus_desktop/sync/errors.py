"""What can go wrong between this laptop and the repository, in the user's words."""

from invictus_desktop.errors import UserFacingError


class RepositoryError(UserFacingError):
    """Sync could not finish; nothing recorded here is lost, and it will try again."""


class RepositoryUnreachable(RepositoryError):
    pass


class RepositoryLoginRefused(RepositoryError):
    pass


class RepositoryForbidden(RepositoryError):
    pass


class RepositoryBusy(RepositoryError):
    pass


class RepositoryFull(RepositoryError):
    pass


class RepositoryRefused(RepositoryError):
    """The server answered with an error that fits none of the cases above."""


class UploadNotConfirmed(RepositoryRefused):
    """The read-back after an upload did not match (a cut-off body, a flaky link)."""


class NotARepository(RepositoryError):
    """The address answered, but not as a WebDAV repository (a Wi-Fi sign-in page,
    a web site, a wrong address)."""


class CertificateNotTrusted(RepositoryError):
    pass


class RepositoryMismatch(RepositoryError):
    """The address now holds a different or empty repository."""
