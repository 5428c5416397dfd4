"""The consent texts a customer accepts before their face is enrolled, by version.

A text that has been shown is never edited: a change is a new version, because each
enrollment records the version its customer accepted (and the cloud keeps it). The
customer screen shows ``CURRENT`` in the customer's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from terminal.domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class ConsentText:
    version: str
    zh_cn: str
    en: str

    def text(self, language: str) -> str:
        return self.zh_cn if language.startswith("zh") else self.en


TEXTS: dict[str, ConsentText] = {
    "2026-11-v1": ConsentText(
        version="2026-11-v1",
        zh_cn=(
            "成为会员并开通刷脸支付：我们将根据您的面部图像生成一个面部特征模板"
            "（不保存照片），加密保存在本店的收银终端和云端，仅用于识别会员身份和"
            "刷脸支付。您可以随时在会员中心或收银台要求删除，删除后模板将从所有设备上清除。"
            "是否同意？"
        ),
        en=(
            "Join as a member and pay by face: we make a face template from your picture"
            " (no photo is kept), store it encrypted on this store's tills and in our cloud,"
            " and use it only to recognise you as a member and for face pay. You can ask at"
            " any till or in the member centre to delete it at any time; it is then erased"
            " from every device. Do you agree?"
        ),
    ),
}
CURRENT = TEXTS["2026-11-v1"]


class UnknownConsentVersion(DomainError):
    """Consent was given to a text this release does not know."""

    CODES: ClassVar[Mapping[str, str]] = {
        "consent.unknown_version": (
            "consent text {version!r} is unknown to this till; show the current text again"
        ),
    }
    DEFAULT = "consent.unknown_version"


def consent_text(version: str) -> ConsentText:
    try:
        return TEXTS[version]
    except KeyError:
        raise UnknownConsentVersion("consent.unknown_version", version=version) from None
