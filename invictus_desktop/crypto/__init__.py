"""Cryptography for the app, built only on the `cryptography` library."""
