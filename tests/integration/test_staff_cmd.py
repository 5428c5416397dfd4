"""``facepay-terminal staff add|list|disable`` on a real store: local staff for a till with
no cloud, the PIN from stdin only, never printed; a registered till sends the operator to
the cloud instead."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from unittest import mock

import pytest

from terminal.__main__ import main
from terminal.app.staff_login import LoginService
from terminal.cli import exit_codes
from terminal.clock import utc_now
from terminal.storage.database import open_store
from terminal.sync.registration import new_registration, save_registration, secrets_path_for

PIN = "31415926"


def staff(db: Path, *argv: str, stdin: str = "") -> int:
    with mock.patch.object(sys, "stdin", io.StringIO(stdin)):
        return main(["staff", *argv, "--db", str(db)])


def test_local_staff_are_added_listed_and_disabled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "till.db"
    add = ("add", "--id", "mei", "--name", "Mei", "--role", "manager")
    assert staff(db, *add, stdin=f"{PIN}\n") == exit_codes.OK
    assert staff(db, "list", "--json") == exit_codes.OK
    assert staff(db, "list") == exit_codes.OK
    out = capsys.readouterr().out
    listed = json.loads(out[out.index("[") : out.index("]") + 1])
    assert listed == [
        {"staff_id": "mei", "name": "Mei", "role": "manager", "source": "local", "disabled": False}
    ]
    assert "added local manager mei (Mei)" in out

    store = open_store(db)
    assert LoginService(store).login("mei", PIN).staff_id == "mei"

    assert staff(db, "disable", "mei") == exit_codes.OK
    assert staff(db, "disable", "mei") == exit_codes.OK
    out = capsys.readouterr().out
    assert "disabled local staff member mei" in out and "was disabled already" in out
    assert PIN not in out and "argon2" not in out
    store.close()


def test_bad_input_is_refused_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "till.db"
    add = ("add", "--id", "mei", "--name", "Mei", "--role", "cashier")
    assert staff(db, *add, stdin="12\n") == exit_codes.BAD_INPUT
    assert staff(db, *add) == exit_codes.BAD_INPUT  # no PIN on stdin
    assert staff(db, "add", "--id", "m e i", "--name", "Mei", "--role", "cashier",
                 stdin=f"{PIN}\n") == exit_codes.BAD_INPUT  # fmt: skip
    assert staff(db, *add, stdin=f"{PIN}\n") == exit_codes.OK
    assert staff(db, *add, stdin=f"{PIN}\n") == exit_codes.BAD_INPUT  # taken
    assert staff(db, "disable", "ghost") == exit_codes.BAD_INPUT
    with pytest.raises(SystemExit):
        staff(db, "add", "--id", "x", "--name", "X", "--role", "owner")
    err = capsys.readouterr().err
    assert "a PIN is 4 to 8 digits" in err and "no PIN on stdin" in err
    assert "staff id 'm e i' must be" in err and "is taken" in err
    assert PIN not in err


def test_a_registered_till_takes_its_staff_from_the_cloud(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "till.db"
    answer = {"device_id": "S001T001", "store_id": "S001", "token": "t" * 43}
    registration = new_registration("https://cloud.example", answer, utc_now(), None)
    save_registration(secrets_path_for(db), registration)
    add = ("add", "--id", "mei", "--name", "Mei", "--role", "cashier")
    assert staff(db, *add, stdin=f"{PIN}\n") == exit_codes.BAD_INPUT
    assert "add staff in the cloud ('facepay-cloud staff add')" in capsys.readouterr().err
    assert staff(db, "list") == exit_codes.OK
    assert "no staff on this till" in capsys.readouterr().out
