"""Where settings come from: command-line options first, then environment variables.

=====================  ===========================================  ==========================
setting                environment variable                         default
=====================  ===========================================  ==========================
database URL           ``PRISONWATCH_DB``                           ``sqlite:///prisonwatch.db``
acting user (CLI)      ``PRISONWATCH_USER``                         ``cli:<login name>``
name-index cache       ``PRISONWATCH_INDEX_CACHE`` (``off``: none)  ``~/.cache/prisonwatch``
trusted proxies (web)  ``PRISONWATCH_TRUSTED_PROXIES`` (IPs/CIDRs)  none
session key (web)      ``PRISONWATCH_SECRET_KEY``                   random per start
=====================  ===========================================  ==========================
"""

from __future__ import annotations

import getpass
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///prisonwatch.db"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """What each worker process of ``prisonwatch serve --workers N`` builds its app from,
    handed to the workers as an object (never through the environment)."""

    db_url: str
    public: bool
    #: signs session cookies; one key for all workers, so a session works on any of them
    secret_key: str = field(repr=False)


def database_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get("PRISONWATCH_DB") or DEFAULT_DB_URL
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        # SQLAlchemy would pick psycopg2; we ship psycopg 3.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def secret_key(explicit: str | None = None) -> str:
    """The key that signs the web app's session cookies: ``PRISONWATCH_SECRET_KEY``, else a
    random one (sessions then end when the server stops)."""
    return explicit or os.environ.get("PRISONWATCH_SECRET_KEY") or secrets.token_urlsafe(48)


def acting_user(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    env = os.environ.get("PRISONWATCH_USER")
    if env:
        return env
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return f"cli:{login}"


def index_cache_dir(explicit: str | None = None) -> Path | None:
    """Folder for saved name indexes of big registries (``None``: do not save them). The files
    hold every name, private ones too; they are owner-only (see ``prisonwatch.names.cache``)."""
    value = explicit if explicit is not None else os.environ.get("PRISONWATCH_INDEX_CACHE")
    if value is not None:
        return None if value.strip().lower() in ("", "off", "0", "no") else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "prisonwatch"


def trusted_proxies_from_env() -> list[str]:
    """Reverse proxies whose ``X-Forwarded-For``/``-Proto`` headers the web app believes:
    ``PRISONWATCH_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8`` (none by default)."""
    raw = os.environ.get("PRISONWATCH_TRUSTED_PROXIES", "")
    return [part.strip() for part in raw.split(",") if part.strip()]
