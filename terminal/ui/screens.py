"""Where the windows go: the cashier on one screen, the customer on the other.

Screens are chosen by name (``QScreen.name()``, e.g. ``HDMI-1``; the settings hold the
names), because the order Qt lists them in can change with cabling. Without names the
cashier takes the primary screen and the customer the first other one. With a single
screen both windows share it side by side, cashier on the left, so a developer's laptop
or a one-screen till still shows both.

``plan_placement`` is pure (rectangles in, rectangles out) so the rules are tested
without windows; ``place_windows`` applies a plan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

CASHIER_SHARE = 0.6  # of a shared screen's width


@dataclass(frozen=True, slots=True)
class ScreenInfo:
    name: str
    geometry: QRect  # available geometry: without panels and docks


@dataclass(frozen=True, slots=True)
class Placement:
    cashier_screen: str
    customer_screen: str
    cashier: QRect
    customer: QRect

    @property
    def shared(self) -> bool:
        return self.cashier_screen == self.customer_screen


def plan_placement(
    screens: list[ScreenInfo],
    primary: str,
    cashier_name: str | None = None,
    customer_name: str | None = None,
) -> Placement:
    """Pick the screens; a configured name that is not connected falls back (logged)."""
    if not screens:
        raise ValueError("no screen to show the till on")
    by_name = {s.name: s for s in screens}
    cashier = _pick(by_name, cashier_name, "cashier") or by_name.get(primary) or screens[0]
    customer = _pick(by_name, customer_name, "customer")
    if customer is None or customer.name == cashier.name:
        others = [s for s in screens if s.name != cashier.name]
        customer = others[0] if others else cashier
    if customer.name != cashier.name:
        return Placement(cashier.name, customer.name, cashier.geometry, customer.geometry)
    area = cashier.geometry
    left = int(area.width() * CASHIER_SHARE)
    return Placement(
        cashier.name,
        customer.name,
        QRect(area.x(), area.y(), left, area.height()),
        QRect(area.x() + left, area.y(), area.width() - left, area.height()),
    )


def _pick(by_name: dict[str, ScreenInfo], name: str | None, role: str) -> ScreenInfo | None:
    if not name:
        return None
    found = by_name.get(name)
    if found is None:
        log.warning(
            "configured screen not connected",
            extra={"role": role, "screen": name, "connected": sorted(by_name)},
        )
    return found


def place_windows(
    cashier: QWidget,
    customer: QWidget,
    *,
    cashier_screen: str | None = None,
    customer_screen: str | None = None,
    full_screen: bool = False,
) -> Placement:
    """Move, size and show both windows; ``full_screen`` for the kiosk on two screens."""
    screens: list[QScreen] = QGuiApplication.screens()
    primary = QGuiApplication.primaryScreen()
    plan = plan_placement(
        [ScreenInfo(s.name(), s.availableGeometry()) for s in screens],
        primary.name() if primary else "",
        cashier_screen,
        customer_screen,
    )
    by_name = {s.name(): s for s in screens}
    for window, name, rect in (
        (cashier, plan.cashier_screen, plan.cashier),
        (customer, plan.customer_screen, plan.customer),
    ):
        window.setScreen(by_name[name])
        window.setGeometry(rect)
        if full_screen and not plan.shared:
            window.showFullScreen()
        else:
            window.show()
    log.info(
        "windows placed",
        extra={"cashier": plan.cashier_screen, "customer": plan.customer_screen},
    )
    return plan
