"""The one error a provisioning step raises: a message a technician can act on, and the
exit code that says what kind of failure it is."""

from __future__ import annotations


class ProvisionError(Exception):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code
