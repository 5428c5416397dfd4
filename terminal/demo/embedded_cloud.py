"""``EmbeddedCloud``: the reference cloud inside the demo's own process, on loopback.

The real FastAPI app (``deploy.cloud.app.create_app``) is served by uvicorn on a
background thread, on 127.0.0.1 and a free port, over an SQLite file in a folder the
caller gives. Starting it seeds the demo store (catalog, members Zhang**/Li**/Wang** with
balances, the store's config) and sets the store's offline face-pay caps, so the demo can
also show a sale while "offline". ``register`` enrols a till through the real HTTP API,
as ``facepay-terminal register`` does; ``enroll_demo_member`` gives a seeded member a
face template that the till pulls with the members stream.

It is a demo and test fixture, not a server for stores: no TLS, loopback only, and the
operator actions (seeding, templates) go straight to its database.

What must not live here: anything the till does with the cloud (``terminal/sync``), and
the cloud's own rules (``deploy/cloud``).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from deploy.cloud import admin, device_admin, vault
from deploy.cloud.app import create_app
from deploy.cloud.database import Database
from deploy.cloud.vault import Vault
from drivers.listeners import join_worker
from terminal.clock import utc_now
from terminal.private_files import make_private_folder
from terminal.sync.client import CloudClient, CloudError
from terminal.sync.registration import (
    Registration,
    load_registration,
    new_registration,
    save_registration,
    secrets_path_for,
)

log = logging.getLogger(__name__)

CLOUD_DB_NAME = "cloud.db"
# The demo's master key, made once beside its database (0600). A real cloud keeps its key
# apart from the database; the demo has nowhere else to keep it.
MASTER_KEY_NAME = "cloud-master.key"
# The demo store's offline caps: one payment up to 100.00, 300.00 a day on one till.
DEMO_OFFLINE_MAX_CENTS = 10_000
DEMO_OFFLINE_DAILY_CENTS = 30_000


class EmbeddedCloudError(Exception):
    """The embedded cloud could not start, or an action on it failed; the message says
    which and why."""


class EmbeddedCloud:
    """The reference cloud on ``127.0.0.1``; ``with EmbeddedCloud(folder) as cloud: ...``
    or ``start()`` / ``stop()``. Not thread-safe: one owner starts and stops it."""

    def __init__(
        self,
        folder: Path,
        *,
        store_id: str = admin.DEMO_STORE,
        port: int = 0,
        offline_max_cents: int = DEMO_OFFLINE_MAX_CENTS,
        offline_daily_cents: int = DEMO_OFFLINE_DAILY_CENTS,
        start_timeout_s: float = 20.0,
        stop_timeout_s: float = 5.0,
    ) -> None:
        self.folder = folder
        self.store_id = store_id
        self._port = port  # 0: a free port, chosen at each start
        self._offline_max_cents = offline_max_cents
        self._offline_daily_cents = offline_daily_cents
        self._start_timeout_s = start_timeout_s
        self._stop_timeout_s = stop_timeout_s
        self._db: Database | None = None
        self._vault: Vault | None = None
        self._master_key = b""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._bound_port: int | None = None

    # -- life -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def port(self) -> int:
        if self._bound_port is None:
            raise EmbeddedCloudError("the embedded cloud is not started")
        return self._bound_port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _require_vault(self) -> Vault:
        if self._vault is None:
            raise EmbeddedCloudError("the embedded cloud is not started")
        return self._vault

    @property
    def db(self) -> Database:
        """The cloud's database, for operator actions (``deploy.cloud.admin``)."""
        if self._db is None:
            raise EmbeddedCloudError("the embedded cloud is not started")
        return self._db

    def start(self) -> EmbeddedCloud:
        """Open (or create) the database, seed the demo store, and serve; returns when the
        server accepts connections. Raises ``EmbeddedCloudError`` naming the cause."""
        if self.running:
            raise EmbeddedCloudError(f"the embedded cloud is already running at {self.url}")
        started = time.monotonic()
        make_private_folder(self.folder)  # it holds the master key and members' data
        self._db = Database(str(self.folder / CLOUD_DB_NAME))
        try:
            key_file = self.folder / MASTER_KEY_NAME
            if not key_file.exists():
                vault.write_master_key(key_file)
            self._master_key = vault.load_master_key(key_file)
            self._vault = Vault(self._master_key)
            admin.seed(self._db, self.store_id, vault=self._vault)
            admin.set_config(
                self._db,
                self.store_id,
                offline_face_pay_max_cents=self._offline_max_cents,
                offline_face_pay_daily_cents=self._offline_daily_cents,
            )
            self._serve()
        except BaseException:
            self.stop()
            raise
        log.info(
            "embedded cloud started",
            extra={
                "url": self.url,
                "store": self.store_id,
                "seconds": round(time.monotonic() - started, 3),
            },
        )
        return self

    def _serve(self) -> None:
        # The socket is bound here, not by uvicorn, so the port is known and cannot be
        # taken by someone else between choosing it and listening on it.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", self._port))
        except OSError as exc:
            listener.close()
            raise EmbeddedCloudError(
                f"the embedded cloud cannot listen on 127.0.0.1:{self._port}: {exc}"
            ) from None
        self._socket = listener
        self._bound_port = int(listener.getsockname()[1])
        # Our Database: the app leaves closing it to us.
        app = create_app(self.db, master_key=self._master_key)
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            log_config=None,  # leave the process's logging as the terminal set it up
            timeout_graceful_shutdown=max(1, int(self._stop_timeout_s / 2)),
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [listener]},
            name=f"embedded-cloud :{self._bound_port}",
            daemon=True,  # a stuck request must not keep the demo from exiting
        )
        self._thread.start()
        deadline = time.monotonic() + self._start_timeout_s
        while not server.started:
            if not self._thread.is_alive():
                raise EmbeddedCloudError("the embedded cloud stopped while starting; see the log")
            if time.monotonic() > deadline:
                raise EmbeddedCloudError(
                    f"the embedded cloud did not start within {self._start_timeout_s:g} s"
                )
            time.sleep(0.01)

    def stop(self, timeout_s: float | None = None) -> bool:
        """Stop serving, release the port and close the database; False when the server
        thread did not end within ``timeout_s`` (default: the ``stop_timeout_s`` it was
        built with, which also sets uvicorn's grace period; the thread is a daemon: it
        dies with us)."""
        if self._server is not None:
            self._server.should_exit = True
        stopped = join_worker(
            self._thread,
            self._stop_timeout_s if timeout_s is None else timeout_s,
            worker="embedded cloud",
            port=self._bound_port,
        )
        if self._socket is not None:
            self._socket.close()  # uvicorn closed it already, unless it never served
        if stopped and self._db is not None:
            self._db.close()
        self._server = self._thread = self._socket = None
        self._db = None
        self._bound_port = None
        return stopped

    def __enter__(self) -> EmbeddedCloud:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what the demo does with it -------------------------------------------------

    def register(
        self, db_path: Path, name: str, *, secrets_path: Path | None = None
    ) -> Registration:
        """Enrol the till whose store is ``db_path`` with a one-time code, over HTTP, and
        save its secrets file (``secrets_path``, else beside the store) as ``facepay-terminal
        register --force`` does: the demo cloud's port changes between runs, so the till is
        registered anew each time, keeping its template key."""
        path = secrets_path_for(db_path, secrets_path)
        existing = load_registration(path)
        code = admin.create_code(self.db, self.store_id)
        with CloudClient(self.url) as client:
            try:
                answer = client.register(code, name)
            except CloudError as exc:
                raise EmbeddedCloudError(f"the embedded cloud refused the till: {exc}") from exc
        registration = new_registration(self.url, answer, utc_now(), keep_key_of=existing)
        save_registration(path, registration)
        if existing is not None and existing.device_id != registration.device_id:
            # The old device id is done with: its token must not stay valid.
            with contextlib.suppress(device_admin.DeviceError):
                device_admin.revoke(self.db, existing.device_id, by="demo: registered again")
        log.info(
            "till registered with the embedded cloud",
            extra={"device": registration.device_id, "store": registration.store_id},
        )
        return registration

    def enroll_demo_member(self, key_or_member_id: str, vector: bytes, model: str) -> str:
        """Give a seeded member (``"zhang"``, ``"li"``, ``"wang"``, or a member id of the
        store) a face template of ``model`` (little-endian float32); the till gets it at
        its next members pull. Returns the member id."""
        keys = {key for key, *_ in admin.DEMO_MEMBERS}
        member_id = (
            admin.demo_member_id(self.store_id, key_or_member_id)
            if key_or_member_id in keys
            else key_or_member_id
        )
        admin.add_member_template(
            self.db, self.store_id, member_id, model, vector, vault=self._require_vault()
        )
        log.info("demo member given a face", extra={"member": member_id[:8], "model": model})
        return member_id
