"""Consent texts by version: an unknown version is refused by its reason code."""

from __future__ import annotations

import pytest

from terminal.app.consent import CURRENT, UnknownConsentVersion, consent_text


def test_a_known_version_gives_its_text() -> None:
    assert consent_text(CURRENT.version) is CURRENT


def test_an_unknown_version_is_refused_with_the_version_as_a_param() -> None:
    with pytest.raises(UnknownConsentVersion) as refused:
        consent_text("2099-01-v9")
    assert refused.value.code == "consent.unknown_version"
    assert refused.value.params == {"version": "2099-01-v9"}
    assert "'2099-01-v9' is unknown to this till" in str(refused.value)
