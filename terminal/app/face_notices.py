"""The message ids the face checkout publishes, and which one a refusal shows.

``PUBLISHED_CODES`` is every notice and reason code the face checkout itself puts on a
``CustomerPanel`` (the tests check each has its texts in both languages); decision codes
(``Why``) and refusal codes (``TillError``) are passed through and come from their own
registries. ``failure_notice`` and ``enrollment_detail`` turn a refused face payment or
enrollment into message ids.

What must not live here: words (they are in ``terminal/ui``), stages, the till or Qt.
"""

from __future__ import annotations

from terminal.app.face_waits import REFUSED_NOT_FRESH, WITHDRAWN_CHANGED, WITHDRAWN_NO_FACE, Wait
from terminal.face.errors import EnrollmentRefused
from terminal.payments.errors import OfflineRefused, PaymentUnresolved, UnknownMember

# Every notice and reason code the face checkout itself publishes (tests check each has
# its texts); decision and refusal codes passed through come from their own registries.
PUBLISHED_CODES = frozenset(
    {
        "face.looking",
        "face.last4.hint",
        "face.last4.not_me",
        "face.last4.no_match",
        "face.not_me.choose",
        "face.failed.declined",
        "face.failed.not_pay",
        WITHDRAWN_NO_FACE,
        WITHDRAWN_CHANGED,
        REFUSED_NOT_FRESH,
        *(wait.notice for wait in Wait),
    }
)

# Enrollment refusals of the face package that have their own text; the others are the
# quality gate's guidance codes ("too_far", "blurry", ...), shown as that guidance.
_ENROLL_CODES = frozenset({"no_face", "liveness", "inconsistent"})


def failure_notice(error: BaseException) -> str:
    """The customer screen's message id for a refused face payment or enrollment."""
    if isinstance(error, OfflineRefused):
        return "face.failed.offline"
    if isinstance(error, PaymentUnresolved):
        return "face.failed.unresolved"
    if isinstance(error, UnknownMember):
        return "face.failed.unknown_member"
    if isinstance(error, EnrollmentRefused):
        return "face.failed.enroll"
    return "face.failed.error"


def enrollment_detail(refused: EnrollmentRefused) -> str:
    """The message id that says why enrollment was refused."""
    if refused.code in _ENROLL_CODES:
        return f"enroll.{refused.code}"
    return f"face.guide.{refused.code}"
