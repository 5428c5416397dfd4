"""The two roots of the errors raised on purpose, and the reason codes they carry.

- ``TillError``: what a cashier (or a customer) may see. It carries a reason ``code`` and
  ``params``; the screens turn the code into words from the string catalog
  (``terminal/ui/strings.py``) in the current language, and never show ``str(error)``.
  ``str(error)`` is English for the log and the CLI. Domain rule violations
  (``terminal.domain.errors.DomainError``) are ``TillError``s too; refusals that are not a
  rule (the cloud out of reach, a payment declined or unresolved) derive from it directly.
- ``InputError``: what a technician gave a command (a script line, a catalog file, the
  demo's photo folder, the saved registration) and the command cannot use. English only:
  the CLI prints it and exits non-zero; it is never a cashier's error.

Every code is a message id in the string catalog and has an English template here, kept
in a registry so a test can check that each one has a text in every language. Params
whose name ends in ``_cents`` are amounts in integer cents: the English rendering and the
screens format them as money, so fen never show as a raw number.

What must not live here: anything that imports the rest of ``terminal`` (every layer,
the domain included, imports this module), translations, Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from string import Formatter
from types import MappingProxyType
from typing import Any, ClassVar

# code -> English template (str.format fields), for str(error) and the log.
_ENGLISH: dict[str, str] = {}


def register_codes(codes: Mapping[str, str]) -> None:
    """Add reason codes with their English templates; a code keeps one meaning."""
    for code, english in codes.items():
        known = _ENGLISH.setdefault(code, english)
        if known != english:
            raise ValueError(f"reason code {code!r} registered twice with different texts")


def registered_codes() -> Mapping[str, str]:
    """Every reason code registered so far with its English template, read-only (import
    the modules that define them first)."""
    return MappingProxyType(_ENGLISH)


def money_fields(params: Mapping[str, object], format_cents: Any) -> dict[str, object]:
    """``params`` with each ``*_cents`` int formatted by ``format_cents`` (the screens pass
    one that adds the currency symbol)."""
    return {
        key: format_cents(value)
        if key.endswith("_cents") and isinstance(value, int) and not isinstance(value, bool)
        else value
        for key, value in params.items()
    }


def _plain_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def english(code: str, params: Mapping[str, object] | None = None) -> str:
    """The English text of a reason code, for the log and the CLI; params the template
    does not name are added in brackets, so a technician still sees every detail."""
    template = _ENGLISH.get(code, code)
    fields = money_fields(params or {}, _plain_cents)
    named = {name for _, name, _, _ in Formatter().parse(template) if name}
    extra = ", ".join(f"{k}={v}" for k, v in fields.items() if k not in named)
    try:
        text = template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return f"{template} ({', '.join(f'{k}={v}' for k, v in fields.items())})"
    return f"{text} ({extra})" if extra else text


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason code with its fields: why something was refused, as data."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return english(self.code, self.params)


class TillError(Exception):
    """Root of every error a cashier may see: ``code`` (a message id) and ``params``.

    ``TillError(code, **params)``. A subclass lists its codes with their English in
    ``CODES`` and names a generic one in ``DEFAULT``, used when no code is given. A code
    that is not registered (a typo, or an English sentence where a code belongs) is a
    ``ValueError`` at construction, so a test that reaches the raise catches it.
    """

    CODES: ClassVar[Mapping[str, str]] = {
        "till.refused": "the till cannot do that now",
        "till.cloud_unreachable": "the cloud cannot be reached: try again, or take cash",
        "till.payment_in_progress": (
            "sale {order_no} is waiting for its payment's answer: wait, or park the sale"
        ),
        "till.no_printer": "no receipt printer is set up on this till",
        "till.sign_in_first": "sign in with your staff id and PIN before selling",
        "till.sale_in_progress": "sale {order_no} is in progress: finish, hold or cancel it first",
    }
    DEFAULT: ClassVar[str] = "till.refused"

    code: str
    params: Mapping[str, object]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register_codes(cls.__dict__.get("CODES", {}))
        if cls.DEFAULT not in _ENGLISH:
            raise TypeError(f"{cls.__name__}.DEFAULT {cls.DEFAULT!r} is not a registered code")

    def __init__(self, code: str | None = None, /, **params: object) -> None:
        code = self.DEFAULT if code is None else code
        if code not in _ENGLISH:
            raise ValueError(
                f"{type(self).__name__}: {code!r} is not a registered reason code"
                " (add it to the class's CODES with its English)"
            )
        self.code, self.params = code, dict(params)
        super().__init__(english(code, params))

    def __reduce__(self) -> tuple[Any, ...]:
        # ``args`` holds the English, not the code: copy and pickle rebuild from the code.
        return (_rebuild, (type(self), self.code, dict(self.params)))

    @property
    def reason(self) -> Reason:
        return Reason(self.code, self.params)


register_codes(TillError.CODES)


def _rebuild(kind: type[TillError], code: str, params: dict[str, object]) -> TillError:
    return kind(code, **params)


class InputError(Exception):
    """Root of what a technician gave a command that it cannot use (a script line, a
    catalog file, a photo folder, a saved registration); the English message names it and
    says what to do. The CLI prints it and exits 1; the screens never show it as such."""
