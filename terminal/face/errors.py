"""Errors of the face pipeline, with messages a technician can act on.

Refusals that are part of normal use (a face too far away, a spoof, a stranger) are not
errors: the stages return them as results with a reason code.
"""

from __future__ import annotations


class FaceError(Exception):
    """Base of every error the face package raises on purpose."""


class ModelError(FaceError):
    """A model cannot be used: missing from the manifest, unreadable or failing to load."""


class ModelMissing(ModelError):
    """No file of a model was found; the message names the model and every place looked."""


class ModelChecksumError(ModelError):
    """A model file is not the one in the manifest; the message names it and both hashes."""


class EnrollmentRefused(FaceError):
    """Enrollment frames not good enough for a template. ``code`` says why: "no_face",
    "liveness", "inconsistent", or the quality gate's guidance code ("too_far", ...); the
    customer screen shows it from the string catalog ("enroll.<code>", else
    "face.guide.<code>"). The message is English, for the log."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
