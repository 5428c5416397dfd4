"""``python -m deploy.cloud``: the same as the ``facepay-cloud`` command."""

import sys

from deploy.cloud.cli import main

sys.exit(main())
