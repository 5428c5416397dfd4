"""The reference cloud in its own process (``facepay-cloud serve``), so a test can SIGKILL
it and start it again like a real server dying."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.cloud_keys import server_environment
from tests.support.postgres_cluster import free_port


class CloudProcess:
    def __init__(self, db_url: str, log: Path, *, models_dir: Path | None = None):
        self.db_url = db_url
        self.models_dir = models_dir
        self.port = free_port()
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "deploy.cloud", "serve", "--db", self.db_url,
                   "--host", "127.0.0.1", "--port", str(self.port)]  # fmt: skip
        if self.models_dir is not None:
            command += ["--models-dir", str(self.models_dir)]
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
            stdin=subprocess.DEVNULL,
            env=server_environment(),
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the cloud exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the cloud did not come up in 30 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None
