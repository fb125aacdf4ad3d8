"""Sync with the trust's WebDAV repository.

Modules, from the wire inwards:

- `webdav`: a small client on one `requests.Session` (PROPFIND Depth 1 only,
  staging PUT then MOVE with `Overwrite: F`, read-back before trusting,
  Retry-After backoff, no retry on 401/403, defusedxml for listings).
- `server`: the app's own repository on WsgiDAV + cheroot, with a users file
  of scrypt hashes and HTTPS when given a certificate.
- `layout`: where identity, partitions, logs and buckets live on the server.
- `segment`: the signed, canonical, content-addressed file format and its
  strict parser for untrusted bytes.
- `outgoing`: the outbox sealed into segments, kept byte for byte until sent.
- `merge` and `tables`: applying remote ops by table name onto `Synced`
  models only, with a clock per field, kept conflicts and tombstones.
- `engine`: one round: identity check, push, own-log repair, pull.
- `change_detection`: which partitions a round may leave unlisted, by their
  folders' ETags, and the records of it kept in a local setting.
- `enrol`: the roster of enrolled public keys; `connection`: the saved address.
- `trust`: who may enrol keys and assign roles (the leads, from this laptop's
  roots), and whether a key's enrolment leads back to them.

Design choices worth knowing:

- One log per laptop per partition; nothing on the server is edited or
  deleted, except that a laptop replaces a damaged copy of its own segment.
- A reader's cursor per (partition, laptop) moves in the transaction that
  applies the segment; a gap or a damaged file means wait, never skip.
- Each op carries, per field, the clock of the value its author replaced.
  The newest clock wins everywhere; a value that loses without having been
  replaced knowingly is kept as a conflict, so concurrent edits keep both.
- Buckets of 1,000 segments keep each listing small, so a round with nothing
  new costs the same number of requests however long the history. Where the
  server's folder ETags are shown to follow deep changes, a partition whose
  ETag has not moved since this laptop last had all of it is not listed at
  all (`change_detection`); a thorough round every half hour bounds what a
  stale ETag could hide.
- Segments from a laptop are accepted only when signed by an enrolled key of
  the person who owns that laptop's log, enrolled through a chain of leads;
  keys and roles in segments are applied only from leads.
"""
