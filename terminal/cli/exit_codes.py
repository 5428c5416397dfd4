"""Exit codes of every command, documented in the README."""

OK = 0
BAD_INPUT = 1  # some script lines, catalog rows or arguments were refused
USAGE = 2  # argparse's own code for a malformed command line
CONFIG = 3  # the configuration file or environment is invalid
STORE = 4  # the local database cannot be opened or written
CLOUD = 5  # the cloud cannot be reached, or it refused the device
