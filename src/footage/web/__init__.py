"""The review web app: ``footage serve``.

``app.create_app`` builds a FastAPI application over one index: server-rendered pages (Jinja2
templates, a little plain JavaScript) and a JSON twin of every page under ``/api/``, described by
OpenAPI at ``/openapi.json``. The modules, from the edge inwards:

- ``app``: the app factory (it registers the routers), error handlers, security (token, trusted hosts)
- ``pages``, ``api``, ``media``: the routes; they call ``views``, ``shares`` and ``jobs``, never SQL
- ``context``: what the routes share (serve options, the app's state, a connection per request) as
  FastAPI dependencies; routers import it, never the app
- ``public``: share links (``/s/TOKEN/``), the only routes served without logging in
- ``views``: frozen view records built from the store (one record serves a page and its JSON)
- ``shares``: share links and clip downloads, around the export pipeline
- ``keyframe``: pure functions placing the involved people on a moment's key frame
- ``timeline``: pure functions for the day timeline
- ``playable``: browser-playable copies of recordings the browser cannot play as they are
- ``jobs``: indexing jobs run one at a time in a background thread

Importing this package imports nothing from FastAPI; ``footage.web.app`` does.
"""
