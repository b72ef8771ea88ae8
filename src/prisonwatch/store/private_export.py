"""Who may export private fields: the one rule every export obeys (``prisonwatch export
--include-private``, the people CSV and the statistics CSV of the web app).

Private fields — relatives' contacts, internal notes, private names, events and sources,
unverified reports — leave the registry in a file only when an **active admin** asks for them.
Editors see private facts on the pages they work with; a file is different (it is copied,
mailed, forgotten on a laptop), so an editor's export holds public facts only. Asking for
private fields without being an admin is refused, never silently narrowed: the caller asked
for something and must learn it was not given.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from prisonwatch.model import Role
from prisonwatch.store.users import get_user


class PrivateExportRefused(PermissionError):
    """Private fields were asked for by someone who is not an active admin."""


def may_export_private(role: Role | None) -> bool:
    """Whether an account of ``role`` (``None``: no account) may export private fields."""
    return role is not None and role.is_admin()


def export_scope(role: Role | None, who: str, *, private: bool) -> bool:
    """``include_private`` for an export ``who`` (of ``role``) asked for; raises
    :class:`PrivateExportRefused` when private fields are asked for and not allowed."""
    if private and not may_export_private(role):
        raise PrivateExportRefused(f"only admins may export private fields; {who} is not one")
    return private


def active_role(session: Session, username: str) -> Role | None:
    """The role of the enabled user ``username`` (the CLI's ``--as``), else ``None``."""
    user = get_user(session, username)
    if user is None or user.disabled:
        return None
    return Role(user.role)


__all__ = ["PrivateExportRefused", "active_role", "export_scope", "may_export_private"]
