"""A member's own request, made at the till, to delete their face or their membership.

The till cannot erase anyone on its own word: the cloud sends a one-time code to the
member's phone, the customer types it on the customer screen, and the request goes to
the cloud with it (and whether the face at the camera matched the member, which the cloud
records but does not trust). Only when the cloud has done it does the till forget too:
the member's templates (face pay withdrawn), or the member, their templates and their
personal data in the outbox (erasure), with the WAL checkpointed.

These run on the till's cloud thread (``CloudSide``). Refusals become ``ForgetRefused``
with a reason code the customer screen translates.

What must not live here: the screens' steps (``face_forget.py``), SQL, threads.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

from terminal.errors import TillError
from terminal.storage.members import MemberRepository
from terminal.sync.client import (
    CloudClient,
    CloudError,
    PermanentCloudError,
    RateLimitedCloudError,
)

log = logging.getLogger(__name__)

REQUESTED_BY = "the member, at the till"


class ForgetKind(StrEnum):
    FACE = "face_pay"  # withdraw the face pay consent: the face goes, the member stays
    MEMBERSHIP = "membership"  # erasure: everything goes


class ForgetRefused(TillError):
    """The cloud did not do what the member asked (or could not be asked)."""

    CODES: ClassVar[Mapping[str, str]] = {
        "forget.refused": "the cloud refused the request",
        "forget.offline": "the cloud cannot be reached; ask again later or at the service desk",
        "forget.no_phone": "no phone number is on file to send a code to; ask at the service desk",
        "forget.code_wrong": "that code is not right; {tries_left} tries left",
        "forget.code_dead": "that code can no longer be used; ask for a new one",
        "forget.too_many": "too many codes were asked for; try again in {wait_s} s",
    }
    DEFAULT: ClassVar[str] = "forget.refused"


def ask_code(client: CloudClient, member_id: str) -> str:
    """Have the cloud text a code to the member; the id the code belongs to."""
    try:
        answer = client.request_member_code(member_id, "erase")
    except CloudError as error:
        raise refusal(error) from None
    return str(answer["otp_id"])


def forget(
    client: CloudClient,
    members: MemberRepository,
    member_id: str,
    kind: ForgetKind,
    *,
    otp_id: str,
    code: str,
    face_verified: bool,
) -> None:
    """Ask the cloud with the member's code, then forget here what the cloud forgot."""
    try:
        if kind is ForgetKind.MEMBERSHIP:
            client.request_erasure(
                member_id,
                otp_id=otp_id,
                code=code,
                requested_by=REQUESTED_BY,
                face_verified=face_verified,
            )
        else:
            client.withdraw_consent(
                member_id,
                str(kind),
                otp_id=otp_id,
                code=code,
                requested_by=REQUESTED_BY,
                face_verified=face_verified,
            )
    except CloudError as error:
        raise refusal(error) from None
    if kind is ForgetKind.MEMBERSHIP:
        members.forget(member_id)
    else:
        members.forget_face(member_id)
    log.info("member's request carried out", extra={"member": member_id[:8], "kind": str(kind)})


def refusal(error: CloudError) -> ForgetRefused:
    if isinstance(error, RateLimitedCloudError):
        return ForgetRefused("forget.too_many", wait_s=round(error.retry_after_s or 60))
    if not isinstance(error, PermanentCloudError):
        return ForgetRefused("forget.offline")
    if error.code == "otp_wrong":
        return ForgetRefused("forget.code_wrong", tries_left=_tries_left(str(error)))
    if error.code in {"otp_unknown", "otp_expired", "otp_used", "otp_locked"}:
        return ForgetRefused("forget.code_dead")
    if error.code == "member_no_phone":
        return ForgetRefused("forget.no_phone")
    log.warning("the cloud refused a member's request", extra={"code": error.code})
    return ForgetRefused("forget.refused")


def _tries_left(message: str) -> int:
    # The cloud's message says how many tries are left ("... 3 more tries ..."); 0 if not.
    found = re.search(r"(\d+) more tr", message)
    return int(found.group(1)) if found else 0
