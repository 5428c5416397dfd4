"""``python -m deploy.provision``: the same as the ``facepay-provision`` command."""

import sys

from deploy.provision.cli import main

sys.exit(main())
