"""The README's first command on a real X display (Xvfb): ``facepay-terminal demo`` opens
both windows through Qt's xcb platform, the simulated scanner rings items up, the
simulated camera's customer is greeted as a member, and ``--quit-after`` grabs both
windows and quits cleanly."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A private Xvfb server; ``-displayfd`` lets it pick a free display number."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "xvfb.log").open("wb"),
    )
    os.close(write)
    with os.fdopen(read) as handle:
        number = handle.readline().strip()
    try:
        assert number, (tmp_path / "xvfb.log").read_text()
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def test_the_demo_shows_both_windows_on_x_and_quits_when_asked(
    x_display: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_QPA", "WAYLAND"))}
    env.update(DISPLAY=x_display, XDG_DATA_HOME=str(tmp_path / "data"))
    out = tmp_path / "shots"
    db = tmp_path / "demo.db"
    started = time.monotonic()
    command = [sys.executable, "-m", "terminal", "demo", "--quit-after", "9"]
    done = subprocess.run(
        [*command, "--out", str(out), "--db", str(db)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert time.monotonic() - started < 100
    shots = sorted(p.name for p in out.iterdir())
    assert shots == ["cashier-display-zh_CN.png", "customer-display-zh_CN.png"]
    for name in shots:
        image = QImage(str(out / name))
        assert image.width() >= 400 and image.height() >= 400, name
    # The simulated scanner rang items up: one scan every 3 s, the first at once.
    with sqlite3.connect(db) as conn:
        lines = conn.execute("select count(*) from order_lines").fetchone()[0]
    assert lines >= 2
    assert "member Zhang**" in done.stdout
