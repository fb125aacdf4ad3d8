"""Sync with the trust's WebDAV repository: segments, transport, server, engine."""
