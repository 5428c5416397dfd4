"""Security review, issue 13 item 7, on the machine itself: a database error never shows
the values it was given, the stores and the face debug crops are owner-only files in
owner-only folders, and ``run`` refuses the debug settings unless told it is a bench."""

from __future__ import annotations

import logging
import os
import stat
import time
import traceback
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection

from deploy.cloud.database import Database as CloudDatabase
from terminal.__main__ import main
from terminal.cli import exit_codes
from terminal.face.debug_crops import DebugCrops
from terminal.face.detect import Face
from terminal.face.models import ModelLocator
from terminal.face.pipeline import FaceModels, FacePipeline
from terminal.storage.database import open_store
from tests.support.postgres_cluster import PostgresCluster

# A phone number in every value written: no error message has any reason to show it.
PHONE = "13800138000"
SECRET_KEY = f"K{PHONE}"
SECRET_TEXT = f"Zhang San {PHONE}"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def wal_mode_files(db: Path) -> list[Path]:
    """The files of an open SQLite database in WAL mode."""
    return [db, Path(f"{db}-wal"), Path(f"{db}-shm")]


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0: without their own chmod, new files would be 0666 and folders 0777."""
    previous = os.umask(0)
    yield
    os.umask(previous)


# -- database errors ---------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def cloud_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CloudDatabase]:
    if request.param == "sqlite":
        url = str(tmp_path / "cloud.db")
    else:
        cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
        url = cluster.new_database(f"leak_{uuid.uuid4().hex[:12]}")
    database = CloudDatabase(url)
    yield database
    database.close()


def failed_writes(db: CloudDatabase) -> list[exc.DBAPIError]:
    """Writes the database refuses, each with the phone number among its parameters."""
    probe = sa.Table(
        f"leak_probe_{uuid.uuid4().hex[:8]}",
        sa.MetaData(),
        sa.Column("k", sa.String(12), primary_key=True),
        sa.Column("v", sa.Text, nullable=False),
        sa.Column("n", sa.Integer),
    )
    with db.write() as conn:
        probe.create(conn)
        conn.execute(sa.insert(probe).values(k=SECRET_KEY, v=SECRET_TEXT))
    attempts: list[dict[str, object]] = [
        {"k": SECRET_KEY, "v": SECRET_TEXT},  # the same key again
        {"k": f"J{PHONE}", "v": None},  # a NOT NULL column left empty
    ]
    if db.dialect == "postgresql":  # SQLite neither limits lengths nor checks types
        attempts += [
            {"k": SECRET_KEY * 2, "v": SECRET_TEXT},  # longer than the column
            {"k": "K3", "v": "x", "n": SECRET_TEXT},  # not a number
        ]
    errors = []
    for values in attempts:
        with pytest.raises(exc.DBAPIError) as caught:
            db.run_write(partial(_insert, probe, values))
        errors.append(caught.value)
    return errors


def _insert(table: sa.Table, values: dict[str, object], conn: Connection) -> None:
    conn.execute(sa.insert(table).values(values))


def test_a_database_error_never_shows_the_values_it_was_given(
    cloud_db: CloudDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors = failed_writes(cloud_db)
    log = logging.getLogger("facepay.test")
    for error in errors:
        # As the server's last-resort handler logs it: with its traceback and its cause.
        log.error("unhandled error", exc_info=error)
        shown = [str(error), str(error.orig), "".join(traceback.format_exception(error))]
        for text in shown:
            assert PHONE not in text, text
        assert "SQL parameters hidden" in str(error)
    assert "unhandled error" in caplog.text
    assert PHONE not in caplog.text
    if cloud_db.dialect == "postgresql":
        # What is dropped from the message is still there for code that asks for it.
        diag = getattr(errors[0].orig, "diag", None)
        assert diag is not None and SECRET_KEY in (diag.message_detail or "")


# -- owner-only stores -------------------------------------------------------------------


@pytest.mark.usefixtures("open_umask")
def test_a_new_terminal_store_is_owner_only_in_folders_it_made(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "till" / "terminal.db"
    db = open_store(db_path)
    db.table("meta").insert({"key": "k", "value": "v"})  # the WAL holds a write
    try:
        assert [mode_of(p) for p in wal_mode_files(db_path)] == [0o600] * 3
        assert mode_of(tmp_path / "data") == mode_of(tmp_path / "data" / "till") == 0o700
    finally:
        db.close()


def test_an_older_store_open_to_others_is_made_owner_only(tmp_path: Path) -> None:
    db_path = tmp_path / "terminal.db"
    open_store(db_path).close()
    for path in wal_mode_files(db_path):  # as an older release (or a crash) left them
        path.touch()
        os.chmod(path, 0o644)
    db = open_store(db_path)
    try:
        assert [mode_of(p) for p in wal_mode_files(db_path)] == [0o600] * 3
    finally:
        db.close()


def test_a_folder_someone_gave_is_left_as_it_is_and_warned_about_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    caplog.set_level(logging.WARNING)
    for _ in range(2):
        open_store(shared / "terminal.db").close()
    assert mode_of(shared) == 0o755
    assert mode_of(shared / "terminal.db") == 0o600
    warnings = [r for r in caplog.records if str(shared) in r.getMessage()]
    assert len(warnings) == 1 and "0700" in warnings[0].getMessage()


@pytest.mark.usefixtures("open_umask")
def test_a_new_cloud_database_on_sqlite_is_owner_only(tmp_path: Path) -> None:
    db_path = tmp_path / "cloud.db"
    database = CloudDatabase(str(db_path))
    try:
        assert [mode_of(p) for p in wal_mode_files(db_path)] == [0o600] * 3
    finally:
        database.close()


# -- run and the debug settings ----------------------------------------------------------


@pytest.fixture
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    """An accepted ``run`` stops at "no display" instead of opening windows."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)


def run_with(tmp_path: Path, face: str, *flags: str) -> list[str]:
    config = tmp_path / "terminal.toml"
    config.write_text(f"[face]\n{face}\n", encoding="utf-8")
    return ["run", "--config", str(config), "--db", str(tmp_path / "till.db"), *flags]


@pytest.mark.usefixtures("no_display")
@pytest.mark.parametrize(
    ("face", "named"),
    [('liveness = "simulated"', "face.liveness"), ('debug_dir = "crops"', "face.debug_dir")],
)
def test_run_refuses_a_debug_setting_without_unsafe_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], face: str, named: str
) -> None:
    assert main(run_with(tmp_path, face)) == exit_codes.BAD_INPUT
    err = capsys.readouterr().err
    assert named in err and "--unsafe-debug" in err and "no display" not in err
    assert not (tmp_path / "till.db").exists()  # refused before anything was opened


@pytest.mark.usefixtures("no_display")
def test_run_accepts_the_debug_settings_with_unsafe_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crops = tmp_path / "crops"
    face = f'liveness = "simulated"\ndebug_dir = "{crops}"'
    assert main(run_with(tmp_path, face, "--unsafe-debug")) == exit_codes.BAD_INPUT
    err = capsys.readouterr().err
    assert "no display" in err and "does not run with" not in err
    assert mode_of(crops) == 0o700


def test_the_demo_is_not_a_till_and_keeps_its_simulated_liveness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "terminal.toml"
    config.write_text('[face]\nliveness = "simulated"\n', encoding="utf-8")
    argv = ["demo", "--headless", "--config", str(config), "--db", str(tmp_path / "demo.db")]
    assert main(argv) == exit_codes.OK
    assert "paid" in capsys.readouterr().out


# -- face debug crops --------------------------------------------------------------------

CROP = np.full((112, 112, 3), 128, dtype=np.uint8)


def aged(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


@pytest.mark.usefixtures("open_umask")
def test_the_pipeline_writes_debug_crops_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "debug" / "crops"
    models = FaceModels.load(ModelLocator(env={}), liveness="simulated")
    pipeline = FacePipeline(models, debug_dir=folder)
    image = np.random.default_rng(13).integers(0, 255, (240, 240, 3), dtype=np.uint8)
    eyes_nose_mouth = np.array(
        [[95, 105], [145, 105], [120, 130], [100, 155], [140, 155]], dtype=np.float32
    )
    pipeline.embed(image, Face(box=(70, 60, 100, 120), landmarks=eyes_nose_mouth, score=0.99))
    written = list(folder.iterdir())
    assert len(written) == 1 and written[0].suffix == ".png"
    assert mode_of(written[0]) == 0o600
    assert mode_of(folder) == mode_of(folder.parent) == 0o700


def test_crops_older_than_a_day_are_deleted_when_the_folder_is_opened(tmp_path: Path) -> None:
    first = DebugCrops(tmp_path / "crops")
    old, fresh = first.write(CROP), first.write(CROP)
    assert old is not None and fresh is not None
    aged(old, 2 * 86400)
    notes = tmp_path / "crops" / "notes.txt"
    notes.write_text("not a crop: never ours to delete")
    aged(notes, 2 * 86400)
    DebugCrops(tmp_path / "crops")
    assert not old.exists() and fresh.exists() and notes.exists()


def test_while_running_old_crops_are_deleted_at_most_once_an_hour(tmp_path: Path) -> None:
    now = [time.time()]
    crops = DebugCrops(tmp_path / "crops", clock=lambda: now[0])
    first = crops.write(CROP)
    assert first is not None
    aged(first, 2 * 86400)
    now[0] += 59 * 60
    crops.write(CROP)
    assert first.exists()  # the last look was less than an hour ago
    now[0] += 2 * 60
    crops.write(CROP)
    assert not first.exists()
    assert len(list((tmp_path / "crops").iterdir())) == 2
