"""The demo and the screenshots only: the embedded cloud, the simulated customers, the rig
that plays them, the headless demo, the Qt demo and the screenshots player.

The product never imports this package (a test walks the imports to hold that rule);
only ``terminal.cli`` reaches it, for the ``demo`` and ``screenshots`` commands. It may
import the reference cloud (``deploy.cloud``) because the demo embeds it.
"""
