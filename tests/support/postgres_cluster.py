"""A throw-away PostgreSQL cluster for the tests: ``initdb`` + ``pg_ctl`` from the
installed server binaries, run as the ``postgres`` OS user when we are root (PostgreSQL
refuses to run as root), data and unix socket in a private temp dir, trust auth on a
free 127.0.0.1 port, fsync off (a test cluster never outlives a crash).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DATABASE = "facepay_test"


def find_bin_dir() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresCluster:
    bin_dir: Path
    base: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, *args], capture_output=True, text=True, timeout=60, check=False
        )
        if result.returncode != 0:
            log = self.base / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}): {result.stderr}\n{tail}"
            )

    @classmethod
    def start(cls, bin_dir: Path) -> PostgresCluster:
        base = Path(tempfile.mkdtemp(prefix="facepay-pg-"))
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        cluster = cls(bin_dir=bin_dir, base=base, port=free_port())
        data = base / "data"
        cluster._run(
            str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {cluster.port} -k {base} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        cluster._run(
            str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        return cluster

    def new_database(self, name: str) -> str:
        """A fresh, empty database in this cluster; its URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(
                str(self.bin_dir / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate",
                "-w", "stop",
            )  # fmt: skip
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
