"""Where the large shared test data lives: the real face models and photos in ../shared,
next to the repository (too big for git). Paths only; whether a test skips or fails when
they are missing is decided by the fixtures that use them."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
MODELS = SHARED / "models"
FACES = SHARED / "faces"
IDENTITIES = FACES / "identities"
