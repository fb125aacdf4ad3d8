"""The encrypted local store: vault, SQLCipher engine, models, migrations."""
