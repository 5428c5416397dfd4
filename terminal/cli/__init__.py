"""Handlers of the ``facepay-terminal`` commands; the parser lives in ``terminal.__main__``.

Each handler takes the parsed arguments and the loaded settings and returns an exit code
from ``exit_codes``. Handlers print for people on stdout, problems on stderr.
"""
