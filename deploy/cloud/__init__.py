"""The reference cloud API server for facepay terminals (FastAPI, SQLAlchemy Core).

One process serves a chain: stores, their devices, catalog, members and face templates,
enrollments, orders and payments. Terminals sell offline and sync later, so every write
is idempotent on a client-made key. The HTTP contract lives in ``contract.py`` and is
checked in as ``openapi.json``; nothing here imports ``terminal``.
"""

API_VERSION = "1"
