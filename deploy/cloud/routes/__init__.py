"""The /v1 routes, one module per resource. Each route is a plain (sync) function: FastAPI
runs it in its thread pool, and it does its database work in one transaction.
"""

from __future__ import annotations

from fastapi import APIRouter

from deploy.cloud.routes import (
    catalog,
    config,
    devices,
    enrollments,
    face_payments,
    health,
    members,
    micropay,
    models,
    orders,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    devices.router,
    catalog.router,
    orders.router,
    members.router,
    enrollments.router,
    face_payments.router,
    micropay.router,
    config.router,
    models.router,
)
