"""The model manifest, shipped as the package ``terminal.models`` (see pyproject.toml)
and found through ``terminal.resources``. No code lives here; the model files themselves
come from provisioning or from a package that carries them."""
