"""``FakeTransport``: the printer of ``file:/path``, which appends the exact byte stream
to a file and answers status requests like a real printer.

It plugs in where a real transport does, so the real printer code (status requests, job,
drawer kick) runs against it in tests and demos; ``paper.py`` reads the file back and
``paper_image.py`` draws it. Its condition comes from the constructor and from flag files
beside the stream, read at every connect so a technician or a test can change it while
the till runs:

    <path>.offline      the printer cannot be reached (connect fails)
    <path>.no-reply     it takes bytes but never answers a status request
    <path>.paper-out    out of paper          <path>.paper-low   the roll is near its end
    <path>.cover-open   the cover is open

Everything written goes to the file, status requests included (DLE EOT: they print
nothing). What must not live here: anything the product needs (the product's printers
are in ``transports.py``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from drivers.printer.commands import DLE, EOT
from drivers.printer.device import FileDevice
from drivers.printer.status import NORMAL, Condition, status_reply


class FakeLink:
    def __init__(self, path: Path, condition: Condition, answers: bool) -> None:
        self._file = path.open("ab")
        self._condition = condition
        self._answers = answers

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._file.flush()

    def ask(self, query: bytes, timeout_s: float) -> bytes:
        self.write(query)
        if not self._answers or len(query) != 3 or query[:2] != bytes([DLE, EOT]):
            return b""
        return bytes([status_reply(query[2], self._condition)])

    def close(self) -> None:
        self._file.close()


class FakeTransport:
    replies = True

    def __init__(
        self,
        path: Path | str,
        *,
        condition: Condition = NORMAL,
        offline: bool = False,
        answers: bool = True,
    ) -> None:
        self.path = Path(path)
        self.condition = condition
        self.offline = offline
        self.answers = answers

    @classmethod
    def for_device(cls, device: FileDevice) -> FakeTransport:
        return cls(device.path)

    @property
    def target(self) -> str:
        return f"file:{self.path}"

    def _flag(self, name: str) -> bool:
        return self.path.with_name(f"{self.path.name}.{name}").exists()

    def connect(self) -> FakeLink:
        if self.offline or self._flag("offline"):
            raise ConnectionRefusedError(f"fake printer {self.path} is offline")
        condition = replace(
            self.condition,
            paper_out=self.condition.paper_out or self._flag("paper-out"),
            paper_low=self.condition.paper_low or self._flag("paper-low"),
            cover_open=self.condition.cover_open or self._flag("cover-open"),
        )
        return FakeLink(self.path, condition, self.answers and not self._flag("no-reply"))
