"""Tests for terminal/domain/codes: barcodes, scale labels, GS1 messages, payment codes."""
