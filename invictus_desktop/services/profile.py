"""Creating, unlocking, locking and re-keying a profile.

A profile is a folder holding `vault.json` (the wrapped database key) and
`store.db` (the SQLCipher store). The vault is written last when a profile is
made, so its presence means the profile is complete.
"""

import contextlib
import errno
import logging
import os
from dataclasses import dataclass

from sqlalchemy import select

from invictus_desktop.crypto import keywrap
from invictus_desktop.crypto.identity_keys import generate_key_pairs, sign
from invictus_desktop.crypto.kdf import KdfParams, calibrate
from invictus_desktop.crypto.sealing import derive_subkey
from invictus_desktop.errors import StorageUnavailable, StoreDamaged, UserFacingError
from invictus_desktop.paths import ProfilePaths
from invictus_desktop.store.database import Store
from invictus_desktop.store.engine import database_errors_explained
from invictus_desktop.store.migrate import bring_up_to_date
from invictus_desktop.store.models import (
    AuditEntry,
    LocalIdentity,
    Person,
    PersonKey,
    Role,
    RoleAssignment,
    Trust,
    new_id,
)
from invictus_desktop.store.vault import Vault, read_vault, write_vault

log = logging.getLogger(__name__)

MIN_PASSPHRASE_LENGTH = 10
DEFAULT_TRUST_NAME = "Invictus Education Trust"


@dataclass
class NewProfile:
    name: str
    role: Role
    passphrase: str
    with_recovery_key: bool = False
    trust_name: str = DEFAULT_TRUST_NAME
    email: str = ""


HOLD_KEY_PURPOSE = b"invictus held edits v1"


class UnlockedProfile:
    """An open profile: the store, and who is using it. `lock()` drops the key.

    Attributes:
        hold_key: a key derived from the database key, for sealing edits that
            must wait in memory across a lock (`services.held_edits`); None
            once locked, and when the profile was opened without its key.
    """

    def __init__(
        self,
        paths: ProfilePaths,
        store: Store,
        person_id: str,
        data_key: bytes | None = None,
    ) -> None:
        self.paths = paths
        self.store = store
        self.person_id = person_id
        self.migrated = False
        self.hold_key = (
            None if data_key is None else derive_subkey(data_key, HOLD_KEY_PURPOSE)
        )

    def lock(self) -> None:
        self.hold_key = None
        self.store.close()
        log.info("profile locked")


def check_passphrase_acceptable(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise UserFacingError(
            f"The passphrase must be at least {MIN_PASSPHRASE_LENGTH} characters.",
            next_step="A few unrelated words make a strong, memorable passphrase.",
        )


def create_profile(
    paths: ProfilePaths, spec: NewProfile, kdf_params: KdfParams | None = None
) -> tuple[UnlockedProfile, str | None]:
    """Make a new profile; returns it open, and the recovery key if one was asked for."""
    check_passphrase_acceptable(spec.passphrase)
    if not spec.name.strip():
        raise UserFacingError("Please enter your name.")
    if paths.vault.exists() or paths.database.exists():
        raise UserFacingError(
            f"There is already a profile in {paths.root}.",
            next_step="Unlock it, or choose another folder with --profile.",
        )
    _make_private_folder(paths)

    data_key = keywrap.new_data_key()
    params = kdf_params or calibrate()
    try:
        # Made private before SQLCipher opens it; SQLite gives -wal/-shm the same mode.
        os.close(os.open(paths.database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        store = Store(paths.database, data_key)
        try:
            with database_errors_explained(paths.database):
                bring_up_to_date(store.engine, paths.database, data_key, paths.backups)
                person_id = _seed_identity(store, spec)
        except BaseException:
            store.close()
            raise

        vault = Vault()
        vault.wrap_with_passphrase(data_key, spec.passphrase, params)
        recovery_key = None
        if spec.with_recovery_key:
            recovery_key = keywrap.new_recovery_key()
            vault.wrap_with_recovery_key(data_key, recovery_key)
        write_vault(paths, vault)
    except OSError as exc:
        _remove_partial_profile(paths)
        raise storage_error(paths, exc) from None
    except BaseException:
        _remove_partial_profile(paths)
        raise

    log.info("profile created (recovery key: %s)", "yes" if recovery_key else "no")
    return UnlockedProfile(paths, store, person_id, data_key), recovery_key


def _make_private_folder(paths: ProfilePaths) -> None:
    try:
        paths.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe = paths.root / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise storage_error(paths, exc) from None


def remove_unfinished_profile(paths: ProfilePaths, made_folder: bool) -> None:
    """Undo a profile that was created but not finished (a demo whose filling
    failed): remove its key file, store and empty subfolders, and the folder
    itself if this run made it and nothing else is left in it. Only names a
    profile uses are touched; the logs stay, since they say what failed."""
    paths.vault.unlink(missing_ok=True)
    _remove_partial_profile(paths)
    for folder in (paths.backups, paths.logs, *([paths.root] if made_folder else [])):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty
    log.info("unfinished profile removed")


def _remove_partial_profile(paths: ProfilePaths) -> None:
    for leftover in (paths.database, *paths.root.glob("store.db-*")):
        leftover.unlink(missing_ok=True)


def storage_error(paths: ProfilePaths, exc: OSError) -> StorageUnavailable:
    if exc.errno == errno.ENOSPC:
        return StorageUnavailable(
            f"The disk holding {paths.root} is full.",
            next_step="Free some space and try again.",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageUnavailable(
            f"The profile folder {paths.root} cannot be written to.",
            next_step="Make it writable, or choose another folder with --profile.",
        )
    return StorageUnavailable(
        f"The profile folder {paths.root} is not usable ({exc.strerror})."
    )


def _seed_identity(store: Store, spec: NewProfile) -> str:
    keys = generate_key_pairs()
    with store.session() as session:
        trust = Trust(name=spec.trust_name.strip() or DEFAULT_TRUST_NAME)
        person = Person(id=new_id(), name=spec.name.strip(), email=spec.email.strip())
        person.roles.append(RoleAssignment(role=spec.role))
        # A founder's keys are self-enrolled; invitations add countersigned keys.
        person.public_keys.append(
            PersonKey(
                signing_public=keys.signing_public,
                exchange_public=keys.exchange_public,
                enrolled_by_id=person.id,
                enrolment_signature=sign(
                    keys.signing_private, keys.signing_public + keys.exchange_public
                ),
            )
        )
        session.add_all([trust, person])
        session.add(
            LocalIdentity(
                person_id=person.id,
                device_id=new_id(),
                signing_private=keys.signing_private,
                exchange_private=keys.exchange_private,
            )
        )
        session.add(
            AuditEntry(
                actor_id=person.id,
                action="profile.created",
                entity="person",
                entity_id=person.id,
            )
        )
        return person.id


def unlock(paths: ProfilePaths, passphrase: str) -> UnlockedProfile:
    """Unwrap the key (the slow step: Argon2id) and open the store."""
    data_key = read_vault(paths).unwrap_with_passphrase(passphrase)
    return open_with_key(paths, data_key)


def unlock_with_recovery_key(paths: ProfilePaths, recovery_key: str) -> UnlockedProfile:
    data_key = read_vault(paths).unwrap_with_recovery_key(recovery_key)
    return open_with_key(paths, data_key)


def open_with_key(paths: ProfilePaths, data_key: bytes) -> UnlockedProfile:
    _check_store_usable(paths)
    store = Store(paths.database, data_key)
    try:
        with database_errors_explained(paths.database):
            migrated = bring_up_to_date(
                store.engine, paths.database, data_key, paths.backups
            )
            with store.session() as session:
                person_id = session.scalar(select(LocalIdentity.person_id))
        if person_id is None:
            raise UserFacingError(
                "This store has no owner: it was not finished when it was made.",
                next_step="Create the profile again in an empty folder.",
            )
    except BaseException:
        store.close()
        raise
    profile = UnlockedProfile(paths, store, person_id, data_key)
    profile.migrated = migrated
    log.info("profile unlocked%s", " and migrated" if migrated else "")
    return profile


def _check_store_usable(paths: ProfilePaths) -> None:
    """Refuse, before SQLite touches anything, a store that cannot be used as is."""
    if not paths.database.exists():
        raise UserFacingError(
            f"The key file is here but the store {paths.database.name} is missing "
            f"from {paths.root}.",
            next_step="Restore store.db from the backups folder or your own backup.",
        )
    # SQLite takes an empty file for a new database and would build a schema in it.
    if paths.database.stat().st_size == 0:
        raise StoreDamaged(
            f"The store {paths.database} is empty: its contents were lost.",
            next_step="Restore the newest copy from the profile's backups folder; "
            "nothing has been changed.",
        )
    # The store keeps a journal beside it and writes on every change.
    if not all(os.access(p, os.W_OK) for p in (paths.root, paths.database)):
        raise StorageUnavailable(
            f"The profile folder {paths.root} is read-only.",
            next_step="Make it writable (or copy the profile to a writable folder) "
            "and try again; nothing has been changed.",
        )


def change_passphrase(
    paths: ProfilePaths, old: str, new: str, kdf_params: KdfParams | None = None
) -> None:
    """Re-wrap the database key under a new passphrase; the store is untouched."""
    check_passphrase_acceptable(new)
    vault = read_vault(paths)
    data_key = vault.unwrap_with_passphrase(old)
    vault.wrap_with_passphrase(data_key, new, kdf_params or calibrate())
    write_vault(paths, vault)
    log.info("passphrase changed")


def reset_passphrase_with_recovery_key(
    paths: ProfilePaths, recovery_key: str, new: str, kdf_params: KdfParams | None = None
) -> None:
    check_passphrase_acceptable(new)
    vault = read_vault(paths)
    data_key = vault.unwrap_with_recovery_key(recovery_key)
    vault.wrap_with_passphrase(data_key, new, kdf_params or calibrate())
    write_vault(paths, vault)
    log.info("passphrase reset with the recovery key")


def profile_exists(paths: ProfilePaths) -> bool:
    return paths.exists() or os.path.exists(paths.database)
