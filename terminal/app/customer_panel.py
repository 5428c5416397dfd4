"""What the customer screen shows about the face at the till: plain data, no Qt.

``CustomerPanel`` is the face-and-payment side of the customer screen, made by
``FaceCheckout`` (``terminal/app/face_checkout.py``) on the GUI thread and shown by the
customer window. ``FaceOverlay`` is the light, per-frame part (boxes and guidance over the
live camera view), made from each ``FaceEvent``.

There are no words here: ``notice`` is a message id for ``terminal/ui/strings.py`` and
``detail`` a reason code (also a message id) with its fields in ``detail_params`` (amounts
as int cents in fields ending in ``_cents``); the screens translate both in the current
language. Names are masked already.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from terminal.app.consent import ConsentText
from terminal.app.member_views import FacePayPrompt, Greeting


class Stage(StrEnum):
    OFF = "off"  # no sale, or no camera: nothing about faces is shown
    LOOKING = "looking"  # live view with guidance; nobody recognised yet
    GREETING = "greeting"  # a member: "Hi, Zhang**! Points: 120"
    INVITE = "invite"  # an unknown face: join? the consent text, Accept / No thanks
    ENROLLING = "enrolling"  # accepted: hold still while the template is made
    CONFIRM = "confirm"  # face pay: "Zhang**, pay ¥12.30?" Confirm / Not me
    LAST4 = "last4"  # not sure enough: the phone's last 4 digits on a keypad
    PAYING = "paying"  # the payment is on its way
    FAILED = "failed"  # face pay or joining did not go through: why, and what now
    NOT_ME = "not_me"  # "Not me" during face pay: the phone's last 4 digits, or pay otherwise
    TIMED_OUT = "timed_out"  # a face wait ran out: try again, or pay another way
    SHOW_CODE = "show_code"  # "show your payment code to the camera: ¥12.30" (the code step)
    FORGET = "forget"  # a member asks to be forgotten: delete my face, or all my data?
    FORGET_CODE = "forget_code"  # the code sent to their phone, on a 6-digit keypad
    FORGET_DONE = "forget_done"  # done: what was deleted


@dataclass(frozen=True, slots=True)
class CustomerPanel:
    stage: Stage = Stage.OFF
    greeting: Greeting | None = None  # the member at the till, once recognised or joined
    joined: bool = False  # the greeting is for a member who joined just now
    prompt: FacePayPrompt | None = None  # CONFIRM
    consent: ConsentText | None = None  # INVITE
    notice: str = ""  # a message id: what happened (FAILED, TIMED_OUT, NOT_ME), or a hint
    detail: str = ""  # a reason code (why), shown small under the notice; "" for none
    detail_params: Mapping[str, object] = field(default_factory=dict)  # the reason's fields
    face_pay_wanted: bool = False  # the customer or cashier chose face pay for this sale
    offline: bool = False  # the cloud is out of reach: face pay only within the caps
    code_cents: int = 0  # SHOW_CODE: the amount a payment code shown now would pay


OFF = CustomerPanel()


@dataclass(frozen=True, slots=True)
class FaceBox:
    x: float
    y: float
    width: float
    height: float
    primary: bool


@dataclass(frozen=True, slots=True)
class FaceOverlay:
    """Boxes in frame pixels (the view scales them with the picture) and guidance."""

    seq: int  # the frame the boxes belong to
    frame_width: int
    frame_height: int
    boxes: tuple[FaceBox, ...]
    guidance: str  # a message id ("face.guide.too_far", ...) or ""


class FaceActions(Protocol):
    """What the customer's (and the cashier's) buttons ask of the face checkout. Each
    returns at once; the answer comes back as a new ``CustomerPanel``."""

    def want_face_pay(self) -> None:
        """ "Pay by face" (customer button, or the cashier's F10)."""

    def ask_for_code(self) -> float:
        """ "Pay with a code" (customer button, or the cashier's F12): a payment code shown
        to the camera in the next seconds (returned) pays the sale on screen, once."""

    def confirm(self) -> None:
        """CONFIRM: yes, take the money."""

    def not_me(self) -> None:
        """CONFIRM or GREETING: that is not me; forget this match. During face pay the
        answer is NOT_ME (phone digits or another tender), otherwise looking again."""

    def accept_join(self) -> None:
        """INVITE: I agree to the consent text shown."""

    def decline_join(self) -> None:
        """INVITE: no thanks; nothing is stored and the invitation is not repeated."""

    def enter_last4(self, digits: str) -> None:
        """LAST4: the phone's last 4 digits."""

    def use_last4(self) -> None:
        """NOT_ME: I will type my phone's last 4 digits."""

    def try_again(self) -> None:
        """TIMED_OUT: start the wait that ran out again."""

    def forget_me(self) -> None:
        """GREETING: "delete my data": what to delete (FORGET)."""

    def forget(self, kind: str) -> None:
        """FORGET: ``face_pay`` (my face only) or ``membership`` (everything); a code is
        sent to the member's phone (FORGET_CODE)."""

    def enter_forget_code(self, digits: str) -> None:
        """FORGET_CODE: the code from the phone; the request goes to the cloud."""

    def dismiss(self) -> None:
        """FAILED, LAST4, NOT_ME or TIMED_OUT: back to the cart (pay another way)."""
