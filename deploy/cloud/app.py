"""``create_app``: the FastAPI application with its database, model store and routes.

The database is opened (and its schema created) here, before the app serves anything,
so a bad ``--db`` fails at start with a clear message rather than on the first request.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from deploy.cloud import API_VERSION, consent_registry
from deploy.cloud.database import Database
from deploy.cloud.errors import install_error_handlers
from deploy.cloud.model_files import ModelFiles
from deploy.cloud.rate_limit import AUTH_FAILURES, REGISTRATIONS
from deploy.cloud.request_guard import RequestGuard
from deploy.cloud.routes import ROUTERS
from deploy.cloud.sms import RecordingGateway, SmsGateway
from deploy.cloud.vault import Vault

log = logging.getLogger(__name__)

DEFAULT_MERGE_THRESHOLD = 0.6
DESCRIPTION = (
    "The reference cloud for facepay terminals. Every write is idempotent on a client-made "
    'key; errors are `{"error": code, "message": text}`. Money is integer cents, times '
    "UTC ISO-8601."
)


def create_app(
    db_url: str | Database,
    models_dir: Path | None = None,
    *,
    master_key: bytes,
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
    sms_gateway: SmsGateway | None = None,
) -> FastAPI:
    """The app on ``db_url`` (a file path, ``:memory:`` or a postgresql:// URL), or on an
    open ``Database`` (then the caller closes it). ``master_key`` wraps every member's
    data key (``deploy.cloud.vault``); it never goes into the database."""
    if not 0.0 < merge_threshold <= 1.0:
        raise ValueError(f"merge threshold must be in (0, 1], got {merge_threshold}")
    vault = Vault(master_key)
    owned = not isinstance(db_url, Database)
    db = Database(db_url) if isinstance(db_url, str) else db_url
    # The consent texts this release's tills show are in the registry before the first
    # enrollment can name them (registering is idempotent; a text is never changed).
    with db.write() as conn:
        consent_registry.seed_texts(conn, consent_registry.terminal_texts())
    model_files = ModelFiles(models_dir)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        log.info("serving on %s database", db.dialect)
        yield
        if owned:
            db.close()

    app = FastAPI(
        title="facepay cloud",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.model_files = model_files
    app.state.merge_threshold = merge_threshold
    app.state.vault = vault
    # Where one-time codes go: a real provider, or the reference gateway that records the
    # messages in a table (tests and the demo read the codes there).
    app.state.sms_gateway = sms_gateway or RecordingGateway(db)
    # Per-process limits on guessing (registration codes, tokens); see rate_limit.py.
    for limit in (REGISTRATIONS, AUTH_FAILURES):
        setattr(app.state, limit.state_name, limit.new_limiter())
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/v1")
    app.add_middleware(RequestGuard)
    return app
