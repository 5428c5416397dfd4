"""The headless till: a script of cashier actions, one a line, run through a ``Till`` (the
same front door, store thread and recovery as the screens).

    scan <code>             add an item (EAN/UPC/GTIN, scale label, GS1-128)
    qty <n>                 set the quantity of the last line
    void [<line>]           void the last line, or line <line>
    discount <cents>        discount on the whole order
    discount line <cents>   discount on the last line
    plu <plu> <grams>       an item priced per kg, weighed by hand (no scale)
    pay cash <cents>        cash tendered (less than due is a part payment)
    pay code <code>         a WeChat Pay / Alipay payment code, as scanned (a registered
                            till; refused offline, failed at once when it cannot be sent)
    park                    set aside a sale whose payment result is unknown
    hold                    hold the sale in progress (挂单); it survives a restart
    recall <n>              take back held sale <n> (1 = the oldest)
    cancel                  cancel the sale in progress
    login <staff_id> <pin>  sign in (a till with staff sells only with someone signed in)
    logout                  sign out
    manager <staff_id> <pin>  a manager's PIN for the next restricted action
    shift open <cents>      open the shift with the float counted into the drawer
    pay in|out <cents> <reason>  cash put in or taken out of the drawer
    shift close <cents>     close the shift with the cash counted; prints the Z figures
    return <order_no> [<line>[x<qty>] ...]  take back lines (all that is left when none
                            named) to the original tenders; prints the refund
    return noreceipt <barcode>[x<qty>] ...  take back items with no receipt, in cash
                            (a manager's action)
Blank lines and lines starting with # are skipped. A bad line is reported with its number
and the till goes on; after each order is committed ``PAID <order_no> <total_cents>`` is
printed and flushed, so a reader (or a crash test) sees exactly what was committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from terminal.app.till import Till
from terminal.domain.refund_request import parse_line_requests
from terminal.errors import InputError, TillError

# A cash sale's steps take milliseconds, a wallet code up to its polling schedule (30 s)
# and a reverse; this only bounds a till that stopped answering.
WAIT_S = 120.0


class ScriptError(InputError):
    """A script line that is not a valid action."""


@dataclass
class ScriptReport:
    paid: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    errors: int = 0


def _cents(word: str) -> int:
    if not word.isdigit() or len(word) > 10:
        raise ScriptError(f"'{word}' is not a whole number of cents")
    return int(word)


def run_action(till: Till, words: list[str], out: TextIO, report: ScriptReport) -> None:
    """One script line, through the till's front door; returns when the till has done it
    (and, for ``pay cash`` that closes the sale, after the order is on disk)."""
    verb, args = words[0].lower(), words[1:]
    if verb == "scan" and len(args) == 1:
        till.scan(args[0]).wait(WAIT_S)
    elif verb == "qty" and len(args) == 1:
        if not args[0].isdigit():
            raise ScriptError(f"quantity '{args[0]}' is not a whole number")
        till.set_quantity(int(args[0])).wait(WAIT_S)
    elif verb == "void" and len(args) <= 1:
        if args and not args[0].isdigit():
            raise ScriptError(f"line number '{args[0]}' is not a whole number")
        till.void(int(args[0]) if args else None).wait(WAIT_S)
    elif verb == "plu" and len(args) == 2:
        if not args[1].isdigit():
            raise ScriptError(f"weight '{args[1]}' is not a whole number of grams")
        till.add_weighed(args[0], int(args[1])).wait(WAIT_S)
    elif verb == "discount" and len(args) == 1:
        till.discount_order(_cents(args[0])).wait(WAIT_S)
    elif verb == "discount" and len(args) == 2 and args[0].lower() == "line":
        till.discount_line(_cents(args[1])).wait(WAIT_S)
    elif verb == "pay" and len(args) == 2 and args[0].lower() == "cash":
        cash = till.pay_cash(_cents(args[1])).wait(WAIT_S)
        if cash.paid:
            _paid(out, report, cash.order_no, cash.total_cents)
    elif verb == "pay" and len(args) == 2 and args[0].lower() == "code":
        result = till.pay_code(args[1]).wait(WAIT_S)
        if result.paid:
            _paid(out, report, result.order.order_no, result.order.totals().total_cents)
        else:
            raise result.refusal()
    elif _staff_and_shifts(till, verb, args, out):
        pass
    elif verb == "return" and args:
        _return(till, args, out)
    elif verb == "pay" and args and args[0].lower() not in ("cash", "code"):
        raise ScriptError(
            f"payment method '{args[0]}' is not available headless: use 'pay cash' or 'pay code'"
        )
    elif not _set_aside(till, verb, args, out, report):
        raise ScriptError(
            f"'{' '.join(words)}' is not an action "
            "(scan, plu, qty, void, discount, discount line, pay cash, pay code, pay in, pay out, "
            "park, hold, recall, cancel, login, logout, manager, shift open, shift close)"
        )


def _set_aside(till: Till, verb: str, args: list[str], out: TextIO, report: ScriptReport) -> bool:
    """The verbs that end or set aside the sale in progress; False for any other."""
    if verb == "park" and not args:
        order_no = till.view.order_no
        till.park().wait(WAIT_S)
        out.write(f"PARKED {order_no}\n")
        out.flush()
    elif verb == "hold" and not args:
        order_no = till.view.order_no
        till.hold().wait(WAIT_S)
        out.write(f"HELD {order_no}\n")
        out.flush()
    elif verb == "recall" and len(args) == 1:
        if not args[0].isdigit():
            raise ScriptError(f"held sale number '{args[0]}' is not a whole number")
        view = till.recall(int(args[0])).wait(WAIT_S)
        out.write(f"RECALLED {view.order_no}\n")
        out.flush()
    elif verb == "cancel" and not args:
        view = till.cancel().wait(WAIT_S)
        out.write(f"CANCELLED {view.order_no}\n")
        out.flush()
        if view.order_no is not None:
            report.cancelled.append(view.order_no)
    else:
        return False
    return True


def _staff_and_shifts(till: Till, verb: str, args: list[str], out: TextIO) -> bool:
    """Signing in and out, a manager's approval, and the shift; False for other verbs."""
    if verb == "login" and len(args) == 2:
        session = till.sign_in(args[0], args[1]).wait(WAIT_S)
        _say(out, f"SIGNED IN {session.staff_id} {session.role}")
    elif verb == "logout" and not args:
        till.sign_out().wait(WAIT_S)
        _say(out, "SIGNED OUT")
    elif verb == "manager" and len(args) == 2:
        _say(out, f"APPROVED BY {till.approve_next(args[0], args[1]).wait(WAIT_S)}")
    elif verb == "shift" and len(args) == 2 and args[0].lower() == "open":
        shift = till.open_shift(_cents(args[1])).wait(WAIT_S)
        _say(out, f"SHIFT OPEN {shift.shift_no} {shift.float_cents}")
    elif verb == "shift" and len(args) == 2 and args[0].lower() == "close":
        z = till.close_shift(_cents(args[1])).wait(WAIT_S)
        _say(out, f"Z {z.z_number} expected {z.figures.cash_expected_cents} "
                  f"counted {z.counted_cents} variance {z.variance_cents}")  # fmt: skip
    elif verb == "pay" and len(args) >= 3 and args[0].lower() in ("in", "out"):
        movement = till.cash_movement(args[0].lower(), _cents(args[1]), " ".join(args[2:]))
        moved = movement.wait(WAIT_S)
        _say(out, f"PAY {args[0].upper()} {moved.cents}")
    else:
        return False
    return True


def _return(till: Till, args: list[str], out: TextIO) -> None:
    """``return <order_no> [<line>[x<qty>] ...]`` or ``return noreceipt <barcode>[x<qty>]``."""
    if len(args) >= 2 and args[0].lower() == "noreceipt":
        items = []
        for word in args[1:]:
            code, _, quantity = word.lower().partition("x")
            if not code.isdigit() or (quantity and not quantity.isdigit()):
                raise ScriptError(f"'{word}' is not <barcode> or <barcode>x<quantity>")
            items.append((code, int(quantity) if quantity else 1))
        done = till.refund_without_receipt(items).wait(WAIT_S)
    else:
        try:
            lines = parse_line_requests(" ".join(args[1:]))
        except ValueError as exc:
            raise ScriptError(str(exc)) from None
        done = till.refund(args[0], lines, "returned at the till").wait(WAIT_S)
    _say(out, f"REFUND {done.refund_no} {done.total_cents} cash {done.cash_cents} "
              f"pending {done.pending_cents}")  # fmt: skip


def _say(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()


def _paid(out: TextIO, report: ScriptReport, order_no: str, total_cents: int) -> None:
    out.write(f"PAID {order_no} {total_cents}\n")
    out.flush()
    report.paid.append(order_no)


def run_script(
    lines: Iterable[str], till: Till, out: TextIO, err: TextIO, name: str = "script"
) -> ScriptReport:
    """Run every line against a started ``till``; a refused line is reported on ``err``
    as ``name:line: reason`` and the script goes on."""
    report = ScriptReport()
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            run_action(till, text.split(), out, report)
        except (InputError, TillError) as exc:  # the line's fault, or the till refused it
            report.errors += 1
            err.write(f"{name}:{number}: {exc}\n")
            err.flush()
    return report
