"""The /v1 routes, one module per resource. Each route is a plain (sync) function: FastAPI
runs it in its thread pool, and it does its database work in one transaction.
"""

from __future__ import annotations

from fastapi import APIRouter

from deploy.cloud.routes import (
    catalog,
    config,
    consents,
    devices,
    enrollments,
    erasure,
    face_payments,
    health,
    member_templates,
    members,
    micropay,
    models,
    orders,
    refunds,
    shifts,
    staff,
    verifications,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    devices.router,
    catalog.router,
    orders.router,
    refunds.router,
    members.router,
    enrollments.router,
    member_templates.router,
    face_payments.router,
    verifications.router,
    erasure.router,
    consents.router,
    micropay.router,
    config.router,
    models.router,
    staff.router,
    shifts.router,
)
