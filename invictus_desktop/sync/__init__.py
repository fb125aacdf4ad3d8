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
- Collection ETags are not used to skip listings: WsgiDAV and nginx give none,
  and a stale one would hide changes. Buckets of 1,000 segments keep each
  listing small instead, so a round with nothing new costs the same number of
  requests however long the history.
- Segments from a laptop are accepted only when signed by an enrolled key of
  the person who owns that laptop's log, enrolled through a chain of leads;
  keys and roles in segments are applied only from leads.
"""
