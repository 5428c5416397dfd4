"""The terminal's local SQLite store: schema and migrations, one repository module per
kind of record, and the outbox. All SQL of the terminal lives in this package
(tests/unit/test_sql_stays_in_storage.py checks it); other packages call its functions and
repository methods, and may group ``*_in_transaction`` calls inside ``write_transaction``.

What must not live here: business rules (``terminal/domain``), network calls
(``terminal/sync``), payment decisions (``terminal/payments``), Qt.
"""
