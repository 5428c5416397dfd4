"""The scale driver over real pseudo-terminals, and its simulator as a real process."""
