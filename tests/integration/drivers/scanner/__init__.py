"""The scanner driver over real pseudo-terminals, and its commands as real processes."""
