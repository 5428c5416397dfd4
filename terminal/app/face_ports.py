"""What the face checkout asks of the world around it: the till, the face worker, and the
thread it runs on.

``TillActions`` (``terminal.app.till.Till`` is one) and ``FaceControl`` (``FaceWorker`` is
one) are the protocols the face checkout's parts call; ``Post`` hands a callable back to
the face checkout's thread (the bridge's ``post`` in the product).

What must not live here: any implementation of them, the rules that decide when to call
them (``face_checkout`` and its parts), Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from terminal.app.consent import ConsentText
from terminal.app.enrollment import Enrolled
from terminal.app.forget_me import ForgetKind
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.sale_view import SaleView
from terminal.app.tasks import Pending
from terminal.app.tender_result import TenderResult
from terminal.domain.face_probe import FaceProbe
from terminal.face.decide import Decision
from terminal.face.embed import Embedding
from terminal.face.gallery import Gallery
from terminal.face.worker import TemplateResult

Post = Callable[[Callable[[], None]], None]


class TillActions(Protocol):
    """What the face checkout asks of the till (``terminal.app.till.Till`` is one); each
    call returns at once with a ``Pending`` whose callbacks run on this thread."""

    @property
    def registered(self) -> bool: ...

    def recognise(self, member_id: str) -> Pending[Greeting]: ...

    def forget_member(self) -> Pending[SaleView]: ...

    def stage_face_pay(self, member_id: str, decision: Decision) -> Pending[FacePayPrompt]: ...

    def decline_face_pay(self) -> Pending[None]: ...

    def confirm_face_pay(self, probe: FaceProbe) -> Pending[TenderResult]: ...

    def enroll(
        self,
        embedding: Embedding,
        consents: Sequence[ConsentText],
        *,
        gallery: Gallery | None = None,
    ) -> Pending[Enrolled]: ...

    def decline_enrollment(self) -> Pending[None]: ...

    def ask_forget_code(self, member_id: str) -> Pending[str]: ...

    def forget(
        self, member_id: str, kind: ForgetKind, *, otp_id: str, code: str, face_verified: bool
    ) -> Pending[None]: ...


class FaceControl(Protocol):
    """What the checkout asks of the face worker (``FaceWorker`` is one)."""

    def narrow(self, last4: str) -> None: ...

    def reset(self) -> None: ...

    def request_template(self, callback: Callable[[TemplateResult], None]) -> None: ...
