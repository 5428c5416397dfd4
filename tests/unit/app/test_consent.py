"""Consent texts by kind and version: two separate consents (membership, face pay), each
text in both languages, an unknown version refused by its reason code."""

from __future__ import annotations

import pytest

from terminal.app.consent import KINDS, UnknownConsentVersion, all_texts, consent_text, current


def test_membership_and_face_pay_are_separate_texts_in_both_languages() -> None:
    membership, face_pay = current("membership"), current("face_pay")
    assert membership.kind == "membership" and face_pay.kind == "face_pay"
    assert membership.version != face_pay.version
    for text in (membership, face_pay):
        assert text.text("zh_CN") and text.text("en") and text.text("zh_CN") != text.text("en")
    assert "face" in face_pay.text("en") and "face" not in membership.text("en")


def test_a_known_version_gives_its_text() -> None:
    for kind in KINDS:
        assert consent_text(current(kind).version) is current(kind)


def test_versions_are_unique() -> None:
    versions = [text.version for text in all_texts()]
    assert len(versions) == len(set(versions))


def test_an_unknown_version_is_refused_with_the_version_as_a_param() -> None:
    with pytest.raises(UnknownConsentVersion) as refused:
        consent_text("2099-01-v9")
    assert refused.value.code == "consent.unknown_version"
    assert refused.value.params == {"version": "2099-01-v9"}
    assert "'2099-01-v9' is unknown to this till" in str(refused.value)
