"""Where the files the product ships with are: the UI style sheets, the demo catalog and
the model manifest, found as package data through ``importlib.resources``, so that a
source checkout, an editable install and an installed wheel all find them the same way.

In the repository they stay in the top-level ``assets/`` and ``models/`` folders;
pyproject.toml maps those folders to the packages ``terminal.assets`` and
``terminal.models``. A caller reads what it gets through the ``Traversable`` interface
(``read_text``, ``open``), or takes a real path with ``importlib.resources.as_file``.

What must not live here: reading or parsing the files (their own modules do that), and
any lookup relative to ``__file__``, which only works in a source checkout.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

ASSETS_PACKAGE = "terminal.assets"
MODELS_PACKAGE = "terminal.models"


def ui_styles() -> Traversable:
    """The folder of the QSS style sheets (``assets/ui``)."""
    return files(ASSETS_PACKAGE) / "ui"


def demo_catalog() -> Traversable:
    """The demo catalog (``assets/catalog/demo_catalog.csv``)."""
    return files(ASSETS_PACKAGE) / "catalog" / "demo_catalog.csv"


def consent_texts() -> Traversable:
    """The consent texts customers accept (``assets/consent/texts.toml``)."""
    return files(ASSETS_PACKAGE) / "consent" / "texts.toml"


def model_manifest() -> Traversable:
    """The manifest of the face models (``models/manifest.toml``)."""
    return files(MODELS_PACKAGE) / "manifest.toml"
