"""Hardware adapters: each device behind a small interface, with a fake that plugs in where
the real one does. No Qt here: drivers emit plain events to whoever listens, from their own
threads.

Every worker here and in ``terminal`` speaks the same way (``listeners``): subscribe with
``on_<event>(callback) -> Unsubscribe``, stop with ``stop(timeout_s) -> bool``.
"""
