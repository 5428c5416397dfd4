"""The Qt front end (PySide6): cashier and customer windows over ``terminal.app.till``.

Widgets show state and forward intents; the till and the checkout session decide.
Workers (scanner, sync, the till's store thread) reach the widgets only through the
``Bridge``'s signals. No business rules and no disk or device I/O on the GUI thread.
"""
