"""Orders to print and what a printer should have been sent for them: a paid zh_CN/en
sale and the status requests ``EscPosPrinter`` asks before a job. Real domain objects
and the real encoder, no fakes."""

from __future__ import annotations

from drivers.printer.commands import StatusQuery, status_query
from terminal.domain.cart import Cart
from terminal.domain.order import Order
from tests.support.domain_builders import LATER, new_order, pay_cash, piece_item, weighed_item

# What a printer is asked before each job when it answers "online": DLE EOT 1, DLE EOT 4.
ASKED_WHEN_ONLINE = status_query(StatusQuery.PRINTER) + status_query(StatusQuery.PAPER)
# ... and when it answers "offline": the cause too (DLE EOT 2).
ASKED_WHEN_OFFLINE = ASKED_WHEN_ONLINE + status_query(StatusQuery.OFFLINE_CAUSE)


def paid_order() -> Order:
    """Two waters at 3.50, 0.500 kg of apples at 19.98/kg, paid with 20.00 cash (order
    T01-20261122-0001, total 16.99, change 3.01)."""
    cart = Cart()
    cart.add(piece_item(350), code="water", quantity=2)
    cart.add_weighed(weighed_item(1998), code="2800042", weight_grams=500)
    order = new_order(cart)
    order.start_tender()
    pay_cash(order, 2000)
    order.complete(LATER)
    return order
