"""What every command needs: the store and the registration, found from the settings
(``--db`` wins over the settings' store; the secrets file sits beside the store)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
from pathlib import Path

from sqlite_utils import Database

from terminal.config import Settings
from terminal.storage.database import open_store
from terminal.sync.registration import (
    Registration,
    RegistrationError,
    load_registration,
    secrets_path_for,
)

log = logging.getLogger(__name__)


def db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.db) if getattr(args, "db", None) else settings.db_path


def open_for(args: argparse.Namespace, settings: Settings) -> Database:
    return open_store(db_path(args, settings), synchronous=settings.synchronous_mode)


def secrets_path(args: argparse.Namespace, settings: Settings) -> Path:
    return secrets_path_for(db_path(args, settings), settings.secrets_path)


def registration_for(args: argparse.Namespace, settings: Settings) -> Registration | None:
    return load_registration(secrets_path(args, settings))


def with_registration(args: argparse.Namespace, settings: Settings) -> Settings:
    """The registered device id wins over the configured one: the cloud only accepts
    orders numbered with the id it issued. A damaged secrets file must not stop sales."""
    try:
        registration = registration_for(args, settings)
    except RegistrationError as exc:
        log.warning("selling with the configured device id", extra={"error": str(exc)})
        return settings
    if registration is None or registration.device_id == settings.device_id:
        return settings
    if settings.source != "defaults":
        log.warning(
            "configured device id differs from the registered one; using the registered one",
            extra={"configured": settings.device_id, "registered": registration.device_id},
        )
    return dataclasses.replace(settings, device_id=registration.device_id)


def settings_with_db(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings with ``--db`` applied, for code that takes only settings (``Parts``)."""
    path = db_path(args, settings)
    return settings if path == settings.db_path else dataclasses.replace(settings, db_path=path)
