"""``FaceSession``: what the face checkout knows about the sale and the customer at the
camera, and the one place a ``CustomerPanel`` is made and shown.

The face checkout's parts (the question, the keypad, membership, the timeouts) share one
``FaceSession``: the sale view, whether the cloud is out of reach, the customer's state
(the member greeted, face pay wanted, an intent in flight, the newest decision, ...) and
the ``FaceClock``. ``show`` builds a panel from that state and publishes it, arming the
wait it stands for; ``fail`` and ``failed`` publish FAILED with its reason code. All of it
runs on the face checkout's thread, so it needs no lock.

What must not live here: decisions about what comes next, calls to the till or the face
worker (the parts make them), words, Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from terminal.app.consent import ConsentText
from terminal.app.customer_panel import OFF, CustomerPanel, Stage
from terminal.app.face_notices import enrollment_detail, failure_notice
from terminal.app.face_waits import FaceClock, Wait, wait_of
from terminal.app.member_views import FacePayPrompt, Greeting
from terminal.app.sale_view import IDLE, SaleView
from terminal.domain.face_probe import FaceProbe
from terminal.errors import TillError
from terminal.face.decide import Decision, Outcome
from terminal.face.errors import EnrollmentRefused


class FaceSession:
    """See the module docstring. ``new_customer`` when the next face is someone else."""

    def __init__(self, show_panel: Callable[[CustomerPanel], None], time: FaceClock) -> None:
        # The same clock as ``FaceEvent.frame_time`` (time.monotonic in the product).
        self.time = time
        self._show_panel = show_panel
        self.panel: CustomerPanel = OFF
        self.view: SaleView = IDLE
        self.offline = False
        self.new_customer()

    def new_customer(self) -> None:
        self.member: Greeting | None = None
        self.joined = False
        self.recognising: str | None = None
        self.not_me: set[str] = set()
        self.declined_join = False
        self.wanted = False
        self.narrowed = False
        self.busy = False  # an intent of ours is in flight: frames wait
        self.last: Decision = Decision(Outcome.SEARCHING)
        # The latest payment evidence, and whose PAY decision it came with.
        self.probe: tuple[str, FaceProbe] | None = None
        self.accepted: list[ConsentText] = []  # consent pages accepted so far
        self.timed_out: Wait | None = None  # the wait TIMED_OUT is about
        self.time.reset()

    @property
    def selling(self) -> bool:
        return self.view.in_progress and bool(self.view.lines)

    def show(
        self,
        stage: Stage,
        *,
        prompt: FacePayPrompt | None = None,
        consent: ConsentText | None = None,
        notice: str = "",
        detail: str = "",
        detail_params: Mapping[str, object] | None = None,
    ) -> None:
        self.publish(
            CustomerPanel(
                stage=stage,
                greeting=self.member,
                joined=self.joined,
                prompt=prompt,
                consent=consent,
                notice=notice,
                detail=detail,
                detail_params=detail_params or {},
                face_pay_wanted=self.wanted,
                offline=self.offline,
            )
        )

    def publish(self, panel: CustomerPanel) -> None:
        self.time.arm(wait_of(panel))
        self.panel = panel
        self._show_panel(panel)

    def failed(self, error: BaseException) -> None:
        """A refused intent: a known error says why by its code; anything else (a bug,
        the disk) was logged where it happened and shows only the generic notice."""
        self.busy = False
        if isinstance(error, TillError):
            self.fail(failure_notice(error), error.code, error.params)
        elif isinstance(error, EnrollmentRefused):
            self.fail(failure_notice(error), enrollment_detail(error))
        else:
            self.fail(failure_notice(error), "")

    def fail(self, notice: str, detail: str, params: Mapping[str, object] | None = None) -> None:
        self.wanted = False
        self.show(Stage.FAILED, notice=notice, detail=detail, detail_params=params or {})
