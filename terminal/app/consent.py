"""The consent texts a customer accepts before their face is enrolled, by kind and version.

Two separate consents, each accepted on its own page and each withdrawable on its own:
``membership`` (a member's details for prices, points and offers) and ``face_pay`` (the
face template: sensitive personal information, PIPL art. 29). The texts live in
``assets/consent/texts.toml``, the one source the cloud's registry is filled from too. A
text that has been shown is never edited: a change is a new version, because each
enrollment records the versions its customer accepted (and the cloud keeps them, with the
sha256 of the text).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, Literal

from terminal import resources
from terminal.domain.errors import DomainError

ConsentKind = Literal["membership", "face_pay"]
KINDS: tuple[ConsentKind, ...] = ("membership", "face_pay")


@dataclass(frozen=True, slots=True)
class ConsentText:
    kind: ConsentKind
    version: str
    zh_cn: str
    en: str

    def text(self, language: str) -> str:
        return self.zh_cn if language.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class GivenConsent:
    """What the customer accepted: which text, shown in which language."""

    kind: ConsentKind
    version: str
    language: str


class UnknownConsentVersion(DomainError):
    """Consent was given to a text this release does not know."""

    CODES: ClassVar[Mapping[str, str]] = {
        "consent.unknown_version": (
            "consent text {version!r} is unknown to this till; show the current text again"
        ),
    }
    DEFAULT = "consent.unknown_version"


@cache
def all_texts() -> tuple[ConsentText, ...]:
    """Every consent text this release knows, oldest first (the last of a kind is current)."""
    with resources.consent_texts().open("rb") as handle:
        raw = tomllib.load(handle)
    texts = []
    for entry in raw["texts"]:
        kind = entry["kind"]
        if kind not in KINDS:
            raise ValueError(f"consent text {entry.get('version')!r} has unknown kind {kind!r}")
        texts.append(ConsentText(kind, entry["version"], entry["zh_CN"], entry["en"]))
    return tuple(texts)


def current(kind: ConsentKind) -> ConsentText:
    return [text for text in all_texts() if text.kind == kind][-1]


def consent_text(version: str) -> ConsentText:
    for text in all_texts():
        if text.version == version:
            return text
    raise UnknownConsentVersion("consent.unknown_version", version=version)
