"""The screens' texts in zh_CN and en, switchable while the till runs.

Why a Python catalog instead of Qt Linguist (.ts -> lrelease -> .qm): compiling .ts files
needs Qt's tools, which the PySide6-Essentials wheel and a kiosk image do not carry, and a
missing .qm falls back to the source text silently. Here every message id has both texts
side by side, a test checks that none is missing, mypy sees the ids as plain strings, and
switching language is a dict lookup followed by each window's ``retranslate()``. The ids
are stable, so a translator can work from the text tables alone.

The texts live in tables named for what they hold, merged here into ``CATALOG``:
``texts_cashier`` (the cashier window), ``texts_customer`` (the customer screen and its
face stages), ``texts_rules`` (the reason codes of the sale's rules),
``texts_refusals`` (payment outcomes, offline limits, face decisions, enrollment) and
``texts_shifts`` (the reason codes of shifts), ``texts_devices`` (printer and drawer),
``texts_staff`` (sign-in and approvals), ``texts_returns`` (returns and refunds).
This module is the runtime: the current
language, lookup, formatting, and turning reasons and errors into words. What must not
live here: the texts themselves.

Reasons are codes, and every code is a message id here: a ``TillError``'s ``code`` (the
domain's rules, the payment refusals), a face decision's ``Why``, an enrollment refusal.
``reason(code, params)`` formats one in the current language, amounts (params ending in
``_cents``) as money; ``error(exc)`` does it for an exception and never shows its English
``str``: an error that is not a ``TillError`` (a bug, the disk) shows "something went
wrong, see the log" (the task thread has logged it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from terminal.domain.money import format_cents
from terminal.errors import TillError, money_fields
from terminal.ui.texts_cashier import CASHIER_TEXTS
from terminal.ui.texts_customer import CUSTOMER_TEXTS
from terminal.ui.texts_devices import DEVICE_TEXTS
from terminal.ui.texts_refusals import REFUSAL_TEXTS
from terminal.ui.texts_returns import RETURN_TEXTS
from terminal.ui.texts_rules import RULE_TEXTS
from terminal.ui.texts_shifts import SHIFT_TEXTS
from terminal.ui.texts_staff import STAFF_TEXTS

log = logging.getLogger(__name__)


class Language(StrEnum):
    ZH_CN = "zh_CN"
    EN = "en"


def _merged(*tables: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """One catalog from the text tables; an id in two tables is a mistake, not an override."""
    catalog: dict[str, tuple[str, str]] = {}
    for table in tables:
        repeated = catalog.keys() & table.keys()
        if repeated:
            raise ValueError(f"message ids in two text tables: {sorted(repeated)}")
        catalog.update(table)
    return catalog


# id -> (zh_CN, en). str.format fields in braces.
CATALOG: dict[str, tuple[str, str]] = _merged(
    CASHIER_TEXTS,
    CUSTOMER_TEXTS,
    RULE_TEXTS,
    REFUSAL_TEXTS,
    SHIFT_TEXTS,
    DEVICE_TEXTS,
    STAFF_TEXTS,
    RETURN_TEXTS,
)


class Strings(QObject):
    """The current language; ``changed`` tells every window to ``retranslate()``."""

    changed = Signal(str)

    def __init__(
        self,
        language: Language = Language.ZH_CN,
        parent: QObject | None = None,
        *,
        symbol: str = "¥",
    ):
        super().__init__(parent)
        self._language = language
        self._unknown: set[str] = set()
        self.symbol = symbol  # the currency symbol of amounts in reasons

    @property
    def language(self) -> Language:
        return self._language

    def set_language(self, language: Language) -> None:
        if language is self._language:
            return
        self._language = language
        self.changed.emit(str(language))

    def toggle(self) -> None:
        self.set_language(Language.EN if self._language is Language.ZH_CN else Language.ZH_CN)

    def text(self, msg_id: str, **fields: object) -> str:
        zh, en = CATALOG[msg_id]
        text = zh if self._language is Language.ZH_CN else en
        return text.format(**fields) if fields else text

    def message(self, msg_id: str, default: str = "") -> str:
        """The text of a message id that came from the logic (``CustomerPanel.notice``,
        ``FaceOverlay.guidance``): ``default``'s text when it is empty or unknown here.
        An unknown id is logged, not raised: a slot must not fail on a newer id."""
        if msg_id in CATALOG:
            return self.text(msg_id)
        if msg_id:
            # Once per id: guidance is painted with every camera frame.
            self._note_unknown(msg_id)
        return self.text(default) if default else ""

    def reason(
        self,
        code: str,
        params: Mapping[str, object] | None = None,
        fallback: str = "till.refused",
    ) -> str:
        """A reason code's text with its fields, amounts formatted as money; "" for no
        code. An unknown code (from a newer part of the till) is logged once and shows
        ``fallback``'s text: the generic "cannot do that", or nothing for ""."""
        if not code:
            return ""
        if code not in CATALOG:
            self._note_unknown(code)
            if not fallback:
                return ""
            code = fallback
        zh, en = CATALOG[code]
        text = zh if self._language is Language.ZH_CN else en
        fields = money_fields(params or {}, lambda cents: format_cents(cents, self.symbol))
        return text.format_map(_Fields(fields))

    def error(self, error: BaseException) -> str:
        """What the cashier reads about an error: a ``TillError``'s reason in the current
        language; for anything else (a bug, the disk) only "something went wrong"."""
        if isinstance(error, TillError):
            return self.reason(error.code, error.params)
        return self.text("error.fault")

    def _note_unknown(self, msg_id: str) -> None:
        if msg_id not in self._unknown:
            self._unknown.add(msg_id)
            log.warning("no text for message id", extra={"msg_id": msg_id})


class _Fields(dict[str, object]):
    """Format fields where a missing one shows as "?" instead of raising: a reason's
    text must never break the slot that shows it."""

    def __missing__(self, key: str) -> str:
        return "?"
