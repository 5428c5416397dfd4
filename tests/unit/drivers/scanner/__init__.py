"""Tests of drivers/scanner without a port: framing, AIM, settings, duplicates, events."""
