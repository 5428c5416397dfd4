"""Talking to the cloud: the HTTP client, the registration, the outbound outbox sender, the
inbound pulls (catalog, members, configuration) and the worker thread that runs them.

Nothing here blocks a sale: the till commits locally and this package catches up later.
No Qt here; the worker reports its status to listeners (the UI bridge subscribes).
"""
