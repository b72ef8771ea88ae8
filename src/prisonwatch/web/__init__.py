"""The web app: server-rendered HTML pages (Jinja2, no JavaScript needed) and the JSON API under
``/api/v1``. Build it with :func:`prisonwatch.web.app.create_app`."""

from prisonwatch.web.app import create_app

__all__ = ["create_app"]
