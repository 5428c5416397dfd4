"""What the reference cloud's database holds, read directly by tests and benchmarks."""

from __future__ import annotations

import sqlalchemy as sa

from deploy.cloud import admin
from deploy.cloud.database import Database
from deploy.cloud.schema import members


def cloud_balance(cloud: Database, member_id: str) -> int:
    with cloud.read() as conn:
        return int(
            conn.execute(
                sa.select(members.c.balance_cents).where(members.c.member_id == member_id)
            ).scalar_one()
        )


def cloud_orders(cloud: Database, order_no: str | None) -> list[dict[str, object]]:
    return [o for o in admin.export_orders(cloud) if o["order_no"] == order_no]
