"""Tests for the checkout domain (terminal/domain)."""
