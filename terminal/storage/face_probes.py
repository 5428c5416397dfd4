"""The evidence of face payments not yet answered by the cloud, kept so a resend (the
pending queue, or the outbox forwarding an offline approval) carries the same probe.

The template is stored sealed with the device's template key (as in the gallery, bound
to its payment) and the row is deleted the moment the payment has a final answer, so no
face outlives its payment here.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from terminal.domain.face_probe import FaceProbe
from terminal.storage.database import write_transaction
from terminal.storage.members import MemberRepository, Template


def _owner(payment_id: str) -> str:
    # Sealing binds a template to an owner: a probe belongs to its payment.
    return f"probe:{payment_id}"


def keep(
    db: Database, sealer: MemberRepository, payment_id: str, probe: FaceProbe, now: datetime
) -> None:
    sealed = sealer.seal(Template(_owner(payment_id), probe.model, probe.vector))
    with write_transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO face_probes (payment_id, model, sealed, liveness, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [payment_id, probe.model, sealed, probe.liveness, now.isoformat()],
        )


def kept(db: Database, sealer: MemberRepository | None, payment_id: str) -> FaceProbe | None:
    """The payment's probe, opened, if it is still kept (and there is a key to open it)."""
    row = db.execute(
        "SELECT model, sealed, liveness FROM face_probes WHERE payment_id = ?", [payment_id]
    ).fetchone()
    if row is None or sealer is None:
        return None
    model = str(row[0])
    vector = sealer.open(bytes(row[1]), member_id=_owner(payment_id), model=model)
    return FaceProbe(model, vector, float(row[2]))


def delete_in_transaction(db: Database, payment_id: str) -> None:
    db.execute("DELETE FROM face_probes WHERE payment_id = ?", [payment_id])


def delete(db: Database, payment_id: str) -> None:
    with write_transaction(db):
        delete_in_transaction(db, payment_id)
