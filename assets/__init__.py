"""The product's data files (style sheets, the demo catalog), shipped as the package
``terminal.assets`` (see pyproject.toml) and found through ``terminal.resources``.
No code lives here."""
