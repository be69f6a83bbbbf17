"""``corpus serve``: the library over HTTP, as a JSON API and an Arabic search page.

Nothing here searches or writes by itself: every route calls one ``Corpus`` method
(``search``, ``article``, ``stats``, ``add``, ``delete``) or ``analyze`` and renders its
result as JSON (``api``) or server-rendered HTML (``pages``). ``app.create_app`` builds
the ASGI application; importing this package loads no web framework (the CLI imports
``command`` on every run).
"""
