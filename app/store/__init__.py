"""Journals that live in a database server (PostgreSQL): network I/O, hence not in app.core.

This layer sees only app.core and psycopg; the services open a journal through
`app.store.opening.open_store`, whatever backend the site names.
"""
