"""Signing staff in and out and managers' approvals (``LoginService``) on a real store with
an injected clock: an unknown id reads like a wrong PIN, wrong PINs lock the id and the
till, the lock outlives a restart, and no PIN reaches the log or the store."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from terminal.app.staff_login import LoginRefused, LoginService, Session, StaffDirectory
from terminal.domain.staff import Approval, RestrictedAction, Role, StaffError
from terminal.errors import InputError
from terminal.storage.database import open_store
from terminal.ui.texts_staff import STAFF_TEXTS
from tests.support.fake_clock import FakeClock

MANAGER_PIN = "73916482"
CASHIER_PIN = "26481937"


@pytest.fixture
def store(db: Database, clock: FakeClock) -> Database:
    staff = StaffDirectory(db, clock)
    staff.add_local("boss", "Mei Boss", "manager", MANAGER_PIN)
    staff.add_local("ann", "Ann", "cashier", CASHIER_PIN)
    return db


@pytest.fixture
def login(store: Database, clock: FakeClock) -> LoginService:
    return LoginService(store, clock)


def refusal(service: LoginService, staff_id: str, pin: str) -> LoginRefused:
    with pytest.raises(LoginRefused) as refused:
        service.login(staff_id, pin)
    return refused.value


def test_a_right_pin_signs_in_and_logout_signs_out(login: LoginService) -> None:
    session = login.login("ann", CASHIER_PIN)
    assert (session.staff_id, session.name, session.role) == ("ann", "Ann", Role.CASHIER)
    assert login.current == session
    assert login.logout() == session
    assert login.current is None and login.logout() is None


def test_an_unknown_id_and_a_wrong_pin_look_the_same_on_the_screen(login: LoginService) -> None:
    unknown = refusal(login, "nobody", CASHIER_PIN)
    wrong = refusal(login, "ann", "11112222")
    assert (unknown.code, wrong.code) == ("staff.unknown", "staff.wrong_pin")
    assert STAFF_TEXTS[unknown.code] == STAFF_TEXTS[wrong.code]
    # The same count for both: an id nobody holds is counted like a real one.
    assert unknown.params["tries_left"] == wrong.params["tries_left"] == 4
    assert "staff_id" not in unknown.params  # what was typed is not repeated


def test_what_is_not_a_pin_is_a_wrong_pin_and_counts(login: LoginService) -> None:
    for typed in ("12", "x" * 100_000, CASHIER_PIN + " "):
        assert refusal(login, "ann", typed).code == "staff.wrong_pin"
    assert refusal(login, "ann", "").params["tries_left"] == 1


def test_five_wrong_pins_lock_the_id_for_five_minutes(
    login: LoginService, clock: FakeClock
) -> None:
    for left in (4, 3, 2, 1):
        assert refusal(login, "ann", "00000000").params["tries_left"] == left
    fifth = refusal(login, "ann", "00000000")
    assert (fifth.code, fifth.params) == ("staff.locked", {"minutes_left": 5})
    # The right PIN is not even checked while the id is locked.
    assert refusal(login, "ann", CASHIER_PIN).code == "staff.locked"
    # Others still sign in: 5 failures lock the id, not the till.
    assert login.login("boss", MANAGER_PIN).staff_id == "boss"
    clock.now += timedelta(minutes=3)
    assert refusal(login, "ann", CASHIER_PIN).params == {"minutes_left": 2}
    clock.now += timedelta(minutes=2)
    assert login.login("ann", CASHIER_PIN).staff_id == "ann"


def test_the_lock_outlives_a_restart(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "restart.db"
    db = open_store(path)
    StaffDirectory(db, clock).add_local("ann", "Ann", "cashier", CASHIER_PIN)
    service = LoginService(db, clock)
    for _ in range(4):
        refusal(service, "ann", "00000000")
    assert refusal(service, "ann", "00000000").code == "staff.locked"
    db.close()

    reopened = open_store(path)  # a power cut, a new process
    again = LoginService(reopened, clock)
    assert again.current is None
    assert refusal(again, "ann", CASHIER_PIN).code == "staff.locked"
    clock.now += timedelta(minutes=5)
    assert again.login("ann", CASHIER_PIN).staff_id == "ann"
    reopened.close()


def test_ten_wrong_pins_across_ids_lock_every_sign_in_on_the_till(login: LoginService) -> None:
    for guess in range(9):
        assert refusal(login, f"guess{guess}", "00000000").code == "staff.unknown"
    assert refusal(login, "ann", "00000000").code == "staff.locked"
    assert refusal(login, "boss", MANAGER_PIN).code == "staff.locked"


def test_disabled_is_said_only_after_the_right_pin(
    store: Database, login: LoginService, clock: FakeClock
) -> None:
    StaffDirectory(store, clock).disable_local("ann")
    assert refusal(login, "ann", "00000000").code == "staff.wrong_pin"
    disabled = refusal(login, "ann", CASHIER_PIN)
    assert (disabled.code, disabled.params) == ("staff.disabled", {"staff_id": "ann"})


def test_a_manager_approves_and_a_cashier_cannot(login: LoginService, clock: FakeClock) -> None:
    login.login("ann", CASHIER_PIN)
    assert not login.may(RestrictedAction.REFUND)
    with pytest.raises(StaffError) as needed:
        login.authorise(RestrictedAction.REFUND)
    assert needed.value.code == "staff.approval_needed"

    approval = login.approve(RestrictedAction.REFUND, "boss", MANAGER_PIN)
    assert approval == Approval("boss", RestrictedAction.REFUND, clock.now)
    login.authorise(RestrictedAction.REFUND, approval)
    with pytest.raises(StaffError):
        login.authorise(RestrictedAction.OPEN_DRAWER, approval)  # for its action only

    with pytest.raises(StaffError) as not_manager:
        login.approve(RestrictedAction.REFUND, "ann", CASHIER_PIN)
    assert not_manager.value.code == "staff.not_manager"
    with pytest.raises(LoginRefused) as wrong:
        login.approve(RestrictedAction.REFUND, "boss", "00000000")
    assert wrong.value.code == "staff.wrong_pin"
    # The approval did not sign the manager in: the cashier's session stands.
    assert login.current is not None and login.current.staff_id == "ann"


def test_wrong_approval_pins_count_towards_the_lock(login: LoginService) -> None:
    for _ in range(4):
        with pytest.raises(LoginRefused):
            login.approve(RestrictedAction.OPEN_DRAWER, "boss", "00000000")
    assert refusal(login, "boss", "00000000").code == "staff.locked"
    with pytest.raises(LoginRefused) as locked:
        login.approve(RestrictedAction.OPEN_DRAWER, "boss", MANAGER_PIN)
    assert locked.value.code == "staff.locked"


def test_a_manager_needs_no_approval(login: LoginService) -> None:
    with pytest.raises(LoginRefused) as nobody:
        login.authorise(RestrictedAction.CANCEL_SALE)
    assert nobody.value.code == "staff.not_signed_in"
    session = login.login("boss", MANAGER_PIN)
    assert isinstance(session, Session) and session.role is Role.MANAGER
    for action in RestrictedAction:
        assert login.may(action)
        login.authorise(action)


def test_a_taken_id_and_a_cloud_member_are_refused_locally(store: Database) -> None:
    staff = StaffDirectory(store)
    with pytest.raises(InputError, match="taken"):
        staff.add_local("ann", "Ann 2", "cashier", "12345678")
    with pytest.raises(StaffError) as bad:
        staff.add_local("ann two", "Ann", "cashier", "1234")
    assert bad.value.code == "staff.bad_id"
    with pytest.raises(InputError, match="no staff member"):
        staff.disable_local("ghost")
    assert staff.has_staff()


def test_no_pin_reaches_the_log_or_the_store(
    store: Database, login: LoginService, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    login.login("ann", CASHIER_PIN)
    for pin in ("00000000", "99999999"):
        with pytest.raises(LoginRefused):
            login.login("boss", pin)
    login.approve(RestrictedAction.REFUND, "boss", MANAGER_PIN)
    with pytest.raises(LoginRefused):
        login.login("nobody", "55554444")
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    dumped = "\n".join(store.iterdump())
    for pin in (CASHIER_PIN, MANAGER_PIN, "00000000", "99999999", "55554444"):
        assert pin not in logged
        assert pin not in dumped
    assert "argon2" not in logged
