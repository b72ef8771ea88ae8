"""Sanctions lists in the web app: ``/sanctions`` (every list with its counts and latest
version, and a search by publisher reference or name), ``/sanctions/lists/{id}`` (its versions
and the difference of two of them, by default the latest against the one before),
``/sanctions/targets/{id}`` (names in every script, facts, listings and delistings over time),
and the same under ``/api/v1/sanctions``. Read-only: editors import lists with
``prisonwatch sanctions import`` or at ``/sanctions/import`` (:mod:`.sanctions_import`).
Sanctions lists are public documents; nothing private of the registry is read here.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.sanctions.diff import ListDiff
from prisonwatch.store.deal_views import concessions_for_target
from prisonwatch.store.sanctions_query import (
    SanctionsNotFound,
    TargetHit,
    find_targets,
    get_list,
    lists_overview,
    resolve_version,
    target_view,
    version_diff,
    version_json,
    versions,
)
from prisonwatch.store.schema_sanctions import SanctionsTarget, SanctionsVersion
from prisonwatch.web import convertors
from prisonwatch.web.errors import ApiError
from prisonwatch.web.params import invalid, opt_int, opt_str
from prisonwatch.web.render import render
from prisonwatch.web.security import Reader, db_session, reader
from prisonwatch.web.vocab import N_

convertors.register()  # {…:row_id} below, also when this module is imported on its own
router = APIRouter()
NAV = ("/sanctions", "Sanctions")
#: Changed targets shown on a list page (the JSON API gives all).
PAGE_CHANGES = 500

#: Data words the sanctions pages translate (kinds, causes of a version, FtM property names).
VOCABULARY: tuple[str, ...] = (
    N_("Sanctions"),
    N_("organisation"), N_("vessel"), N_("aircraft"),
    N_("cause:first"), N_("cause:publisher"), N_("cause:parser"),
    N_("cause:publisher+parser"), N_("cause:unchanged"), N_("cause:format"),
    N_("prop:name"), N_("prop:alias"), N_("prop:weakAlias"), N_("prop:previousName"),
    N_("prop:firstName"), N_("prop:middleName"), N_("prop:fatherName"), N_("prop:lastName"),
    N_("prop:title"), N_("prop:position"), N_("prop:gender"), N_("prop:birthDate"),
    N_("prop:birthPlace"), N_("prop:nationality"), N_("prop:citizenship"), N_("prop:country"),
    N_("prop:address"), N_("prop:idNumber"), N_("prop:passportNumber"), N_("prop:imoNumber"),
    N_("prop:registrationNumber"), N_("prop:program"), N_("prop:listingDate"),
    N_("prop:notes"), N_("prop:sourceUrl"), N_("prop:$caption"), N_("prop:$kind"),
    # properties the format branches add (vessels; FtM Sanction facts folded into targets)
    N_("prop:mmsi"), N_("prop:callSign"), N_("prop:flag"), N_("prop:authority"),
    N_("prop:authorityId"), N_("prop:unscId"), N_("prop:provisions"),
)  # fmt: skip


def _not_found(exc: SanctionsNotFound) -> ApiError:
    return ApiError(404, str(exc))


def _search(s: Session, params: dict[str, str]) -> tuple[str | None, list[TargetHit]]:
    q = opt_str(params, "q", 200)
    limit = opt_int(params, "limit", 1, 100) or 20
    return q, (find_targets(s, q, limit=limit) if q else [])


def _pair(
    s: Session, list_id: int, params: dict[str, str]
) -> tuple[SanctionsVersion, SanctionsVersion] | None:
    """The versions to compare: ``old`` and ``new`` numbers, by default the latest two."""
    found = versions(s, list_id)
    if not found:
        return None
    old_n, new_n = opt_int(params, "old", 1), opt_int(params, "new", 1)
    if old_n is None and new_n is None:
        return (found[1], found[0]) if len(found) > 1 else None
    by_number = {v.number: v for v in found}
    new = by_number.get(new_n) if new_n is not None else found[0]
    if new is None:
        raise invalid("new", f"list {list_id} has no version {new_n}")
    if old_n is None:
        older = [v for v in found if v.number < new.number]
        if not older:
            raise invalid("old", "the first version has nothing before it")
        return older[0], new
    old = by_number.get(old_n)
    if old is None:
        raise invalid("old", f"list {list_id} has no version {old_n}")
    return old, new


# -- HTML -------------------------------------------------------------------------------------


@router.get("/sanctions", include_in_schema=False)
def sanctions_page(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    q, hits = _search(s, dict(request.query_params))
    return render(request, "sanctions/index.html", lists=lists_overview(s), q=q, hits=hits)


@router.get("/sanctions/lists/{list_id:row_id}", include_in_schema=False)
def sanctions_list_page(
    request: Request, list_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    try:
        lst = get_list(s, list_id)
    except SanctionsNotFound as exc:
        raise _not_found(exc) from exc
    pair = _pair(s, list_id, dict(request.query_params))
    diff = version_diff(s, *pair) if pair else None
    refs: set[str] = set()
    if diff is not None:
        refs.update(r.id for r in diff.added[:PAGE_CHANGES])
        refs.update(r.id for r in diff.removed[:PAGE_CHANGES])
        refs.update(c.id for c in diff.changed[:PAGE_CHANGES])
    target_ids = {
        ref: tid
        for tid, ref in s.execute(
            select(SanctionsTarget.id, SanctionsTarget.ref).where(
                SanctionsTarget.authority == lst.authority, SanctionsTarget.ref.in_(refs)
            )
        )
    }
    return render(
        request,
        "sanctions/list.html",
        lst=lst,
        versions=versions(s, list_id),
        pair=pair,
        diff=diff,
        target_ids=target_ids,
        page_changes=PAGE_CHANGES,
    )


@router.get("/sanctions/targets/{target_id:row_id}", include_in_schema=False)
def sanctions_target_page(
    request: Request, target_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> Response:
    try:
        view = target_view(s, target_id)
    except SanctionsNotFound as exc:
        raise _not_found(exc) from exc
    lists = {li.list_id: f"{li.authority} — {li.list_name}" for li in view.listings}
    deals = concessions_for_target(
        s, view.target.authority, view.target.ref, include_private=r.include_private
    )
    return render(request, "sanctions/target.html", v=view, t=view.target, lists=lists, deals=deals)


# -- JSON API ---------------------------------------------------------------------------------


def _diff_json(old: SanctionsVersion, new: SanctionsVersion, d: ListDiff) -> dict[str, Any]:
    return {"old": version_json(old), "new": version_json(new), **d.as_json()}


@router.get("/api/v1/sanctions/lists", tags=["sanctions"])
def api_lists(r: Reader = Depends(reader), s: Session = Depends(db_session)) -> dict[str, Any]:
    """Every imported sanctions list with its latest version's counts by kind and dates."""
    return {"lists": [x.as_json() for x in lists_overview(s)]}


@router.get("/api/v1/sanctions/lists/{list_id:row_id}", tags=["sanctions"])
def api_list(
    list_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """A list and its versions, newest first (dates, parser, counts, added/removed/changed,
    and the cause: first, publisher, parser, publisher+parser, unchanged)."""
    try:
        lst = get_list(s, list_id)
    except SanctionsNotFound as exc:
        raise _not_found(exc) from exc
    return {
        "id": lst.id,
        "authority": lst.authority,
        "name": lst.name,
        "versions": [version_json(v) for v in versions(s, list_id)],
    }


@router.get("/api/v1/sanctions/lists/{list_id:row_id}/diff", tags=["sanctions"])
def api_list_diff(
    request: Request, list_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Targets added, removed and changed between versions ``old`` and ``new`` (numbers within
    the list; default: the latest against the one before)."""
    try:
        get_list(s, list_id)
    except SanctionsNotFound as exc:
        raise _not_found(exc) from exc
    pair = _pair(s, list_id, dict(request.query_params))
    if pair is None:
        raise ApiError(404, f"list {list_id} has fewer than two versions")
    return _diff_json(*pair, version_diff(s, *pair))


@router.get("/api/v1/sanctions/diff", tags=["sanctions"])
def api_diff(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Two stored versions of any lists: ``old`` and ``new`` as ``LIST:N`` or ``LIST:latest``."""
    params = dict(request.query_params)
    specs = {}
    for key in ("old", "new"):
        value = opt_str(params, key, 40)
        if value is None:
            raise invalid(key, "required: LIST:N or LIST:latest")
        specs[key] = value
    try:
        old, new = resolve_version(s, specs["old"]), resolve_version(s, specs["new"])
    except SanctionsNotFound as exc:
        raise _not_found(exc) from exc
    return _diff_json(old, new, version_diff(s, old, new))


@router.get("/api/v1/sanctions/targets", tags=["sanctions"])
def api_targets(
    request: Request, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """Targets whose publisher reference is ``q``, else whose names match ``q`` across
    scripts and spellings (``limit`` 1–100, default 20)."""
    params = dict(request.query_params)
    q, hits = _search(s, params)
    if q is None:
        raise invalid("q", "required: a publisher reference or a name")
    return {"query": q, "targets": [h.as_json() for h in hits]}


@router.get("/api/v1/sanctions/targets/{target_id:row_id}", tags=["sanctions"])
def api_target(
    target_id: int, r: Reader = Depends(reader), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """A target: names in every script, facts with the versions they appeared and disappeared
    in, and its listings and delistings over time."""
    try:
        return target_view(s, target_id).as_json()
    except SanctionsNotFound as exc:
        raise _not_found(exc) from exc


__all__ = ["NAV", "router"]
