"""Headless provisioning of a till: ``facepay-provision`` (see README.md beside this file).

One module a step (preflight, registration, config file, models, first sync, hardware,
units) plus the orchestration (``provisioning``), the command line (``cli``) and the
decommissioning ``wipe``. Nothing here runs on a till at selling time, and nothing here
imports Qt.
"""
