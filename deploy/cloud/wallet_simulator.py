"""A wallet's payment-code ("micropay") trade, simulated with the real states.

The outcome is chosen by the LAST digit of the scanned code, so tests and demos are
deterministic:

- 0-5: SUCCESS at once.
- 6:   USERPAYING (the customer must confirm on the phone); the 1st query still says
       USERPAYING, the 2nd query says SUCCESS.
- 7:   USERPAYING; the 1st query still USERPAYING, the 2nd says FAIL (user cancelled).
- 8:   FAIL, AUTHCODEEXPIRE.
- 9:   the pay call answers SYSTEMERROR although the trade went through: a query (or a
       resend of the same trade) says SUCCESS. This is the case that makes a till query
       before it ever reverses or retries.

A reversed trade is REVOKED whatever it was. Pure logic: the route keeps the state.

Refunds (``refund_answer``) of a SUCCESS trade, each with its own out_refund_no, never more
in all than the trade: the refund of a trade whose code ended in 9 goes through but its
first answer is SYSTEMERROR; asking again with the same out_refund_no says SUCCESS (a new
out_refund_no would refund twice).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

from deploy.cloud.contract import TradeState

SUCCESS: Final = "SUCCESS"
USERPAYING: Final = "USERPAYING"
FAIL: Final = "FAIL"
SYSTEMERROR: Final = "SYSTEMERROR"
REVOKED: Final = "REVOKED"
NOTPAY: Final = "NOTPAY"

QUERIES_UNTIL_DECIDED = 2
AUTHCODEEXPIRE = "AUTHCODEEXPIRE"
USER_CANCELLED = "USERCANCELLED: the customer cancelled on the phone"
SYSTEM_ERROR = "SYSTEMERROR: result unknown, query the trade"
WAITING = "USERPAYING: waiting for the customer to confirm on the phone"


@dataclass(frozen=True, slots=True)
class Step:
    """The state to store, the answer to give now, and the wallet's trade number."""

    stored_state: TradeState
    answer_state: TradeState
    message: str | None
    trade_no: str | None


def new_trade_no() -> str:
    return f"SIM{datetime.now(UTC):%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


def outcome_digit(auth_code: str) -> int:
    return int(auth_code[-1])


def pay(digit: int) -> Step:
    """The first pay call of a trade."""
    if digit <= 5:
        return Step(SUCCESS, SUCCESS, None, new_trade_no())
    if digit in (6, 7):
        return Step(USERPAYING, USERPAYING, WAITING, None)
    if digit == 8:
        return Step(FAIL, FAIL, AUTHCODEEXPIRE, None)
    # 9: the money moved, the answer was lost on the way.
    return Step(SUCCESS, SYSTEMERROR, SYSTEM_ERROR, new_trade_no())


def query(digit: int, state: str, queries_so_far: int) -> Step | None:
    """A query of a trade that ``queries_so_far`` earlier queries saw; the new state, or
    None when the trade stays as it is."""
    if state != USERPAYING or queries_so_far + 1 < QUERIES_UNTIL_DECIDED:
        return None
    if digit == 6:
        return Step(SUCCESS, SUCCESS, None, new_trade_no())
    return Step(FAIL, FAIL, USER_CANCELLED, None)


def new_refund_id() -> str:
    return f"SIMR{datetime.now(UTC):%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


def refund_answer(digit: int | None, answers_so_far: int) -> Literal["SUCCESS", "SYSTEMERROR"]:
    """What a call for a refund that went through answers, given how often it was asked."""
    if digit == 9 and answers_so_far == 0:
        return SYSTEMERROR
    return SUCCESS
