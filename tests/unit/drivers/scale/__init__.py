"""Tests of drivers/scale without a port: the Toledo format, settings, events, the fake."""
