"""Talking to devices on the network, Qt-free and with the standard library only.

Adapters (asyncio, on the adapter host's thread) and widgets (a tile's worker thread) both
need to ask a camera "do you serve this stream, and do you take this password?". They ask
through the one client here, so Basic and Digest are answered the same way everywhere.
`app.net` imports only `app.core` and the standard library (an import-linter contract),
and `ldap3` for signing people in against the town's directory (`directory.py`), imported
only when a site does.
"""
