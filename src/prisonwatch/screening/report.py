"""The screening report: per official, sanctioned by which authorities and lists, uncertain, or
by none — with reviewers' judgements applied — and the advocate's filters.

A stored hit's verdict is the matcher's unless a judgement on the pair (``official:N`` /
``sanctions:AUTHORITY:REF``, directly or through a chain of ``same`` decisions) says
otherwise: ``same`` makes it a match, ``different`` rejects it, ``unsure`` keeps it uncertain.
An official is **sanctioned** with at least one match, **uncertain** with none but at least
one uncertain pair, **none** otherwise (including officials never found on any list).

Filters (all optional, combined with AND):

* ``sanctioned_by``: for each given authority, the official has a match on a list of it;
* ``not_sanctioned_by``: for none of the given authorities has the official a match (an
  uncertain pair with such an authority does not exclude the official; it is listed in
  ``uncertain_by`` so the reader sees the doubt);
* ``role``, ``status``.

An authority is given as the lists name it (``EU``, ``US OFAC``, ``UK FCDO``) or by its first
word (``US`` = ``US OFAC``, ``UK`` = ``UK FCDO`` and ``UK OFSI``), case-insensitively.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from prisonwatch.io.csvsafe import writer
from prisonwatch.reconcile.judgements import JudgementGraph
from prisonwatch.reconcile.review import load_graph
from prisonwatch.store.officials_query import (
    HitRow,
    OfficialRow,
    last_screening,
    official_key,
    official_rows,
    stored_hits,
)

STATUSES = ("sanctioned", "uncertain", "none")


def authority_matches(authority: str, wanted: str) -> bool:
    """``wanted`` names ``authority``: equal, or its first word(s) (``US`` → ``US OFAC``)."""
    a, w = authority.strip().casefold(), wanted.strip().casefold()
    return bool(w) and (a == w or a.startswith(w + " "))


@dataclass
class HitView:
    authority: str
    list_id: int
    list_name: str
    version: int
    target_id: int
    ref: str
    caption: str
    target_name: str
    official_name: str
    score: float
    verdict: str  # match, review, rejected (after judgements)
    matcher_verdict: str
    judged: str | None
    why: str | None

    def as_json(self) -> dict[str, Any]:
        out = dict(vars(self))
        out["score"] = round(self.score, 3)
        return out


@dataclass
class OfficialScreen:
    official: OfficialRow
    status: str
    sanctioned_by: list[str]
    uncertain_by: list[str]
    hits: list[HitView] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.official.as_json(),
            "status": self.status,
            "sanctioned_by": self.sanctioned_by,
            "uncertain_by": self.uncertain_by,
            "hits": [h.as_json() for h in self.hits if h.verdict != "rejected"],
        }


@dataclass
class Report:
    rows: list[OfficialScreen]
    screened_at: dt.datetime | None
    lists_screened: int
    filters: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "screened_at": self.screened_at.isoformat(timespec="seconds")
            if self.screened_at
            else None,
            "lists_screened": self.lists_screened,
            "filters": self.filters,
            "count": len(self.rows),
            "items": [r.as_json() for r in self.rows],
        }


def _judged(
    graph: JudgementGraph, lk: str, rk: str, matcher_verdict: str
) -> tuple[str, str | None]:
    block = graph.blocking(lk, rk)
    if block is not None:
        return "rejected", block.describe()
    if graph.is_same(lk, rk):
        return "match", graph.explain_same(lk, rk)
    direct = graph.direct(lk, rk)
    if direct is not None:  # unsure
        return "review", direct.describe()
    return matcher_verdict, None


def _view(h: HitRow, graph: JudgementGraph) -> HitView:
    verdict, judged = _judged(graph, official_key(h.official_id), h.right_key, h.verdict)
    return HitView(
        h.authority,
        h.list_id,
        h.list_name,
        h.version_number,
        h.target_id,
        h.ref,
        h.caption,
        h.target_name,
        h.official_name,
        h.score,
        verdict,
        h.verdict,
        judged,
        h.why,
    )


def screening_report(
    s: Session,
    *,
    include_private: bool,
    role: str | None = None,
    sanctioned_by: Sequence[str] = (),
    not_sanctioned_by: Sequence[str] = (),
    status: str | None = None,
    script: str | None = None,
) -> Report:
    officials = official_rows(s, include_private=include_private, role=role, script=script)
    graph = load_graph(s)
    by_official: dict[int, list[HitView]] = {}
    for h in stored_hits(s, include_private=include_private):
        by_official.setdefault(h.official_id, []).append(_view(h, graph))
    rows: list[OfficialScreen] = []
    for off in officials:
        hits = by_official.get(off.id, [])
        sure = sorted({h.authority for h in hits if h.verdict == "match"})
        unsure = sorted({h.authority for h in hits if h.verdict == "review"} - set(sure))
        st = "sanctioned" if sure else "uncertain" if unsure else "none"
        if status and st != status:
            continue
        if any(not any(authority_matches(a, w) for a in sure) for w in sanctioned_by):
            continue
        if any(authority_matches(a, w) for w in not_sanctioned_by for a in sure):
            continue
        hits.sort(key=lambda h: ({"match": 0, "review": 1}.get(h.verdict, 2), -h.score))
        rows.append(OfficialScreen(off, st, sure, unsure, hits))
    run = last_screening(s)
    return Report(
        rows,
        run.at if run else None,
        len(run.versions) if run else 0,
        {
            "role": role,
            "sanctioned_by": list(sanctioned_by),
            "not_sanctioned_by": list(not_sanctioned_by),
            "status": status,
        },
    )


CSV_COLUMNS = (
    "official_id",
    "role",
    "name",
    "court",
    "cases",
    "status",
    "sanctioned_by",
    "uncertain_by",
    "authority",
    "list",
    "ref",
    "target_name",
    "official_name",
    "score",
    "verdict",
    "judged",
    "why",
)


def csv_rows(report: Report) -> list[list[Any]]:
    """One row per shown hit (an official without hits: one row with the hit columns empty)."""
    out: list[list[Any]] = []
    for r in report.rows:
        o = r.official
        head = [
            o.id,
            o.role,
            o.name,
            o.court or "",
            o.cases,
            r.status,
            "; ".join(r.sanctioned_by),
            "; ".join(r.uncertain_by),
        ]
        shown = [h for h in r.hits if h.verdict != "rejected"]
        if not shown:
            out.append(head + [""] * (len(CSV_COLUMNS) - len(head)))
        for h in shown:
            out.append(
                [
                    *head,
                    h.authority,
                    h.list_name,
                    h.ref,
                    h.target_name,
                    h.official_name,
                    f"{h.score:.3f}",
                    h.verdict,
                    h.judged or "",
                    h.why or "",
                ]
            )
    return out


def render_csv(report: Report) -> str:
    buf = io.StringIO()
    w = writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    w.writerows(csv_rows(report))
    return buf.getvalue()


def render_html(report: Report, title: str = "Officials screened against sanctions lists") -> str:
    """A standalone HTML page (every value escaped)."""
    e = html.escape
    when = report.screened_at.isoformat(timespec="minutes") if report.screened_at else "never"
    filters = ", ".join(
        f"{k.replace('_', ' ')}: {', '.join(v) if isinstance(v, list) else v}"
        for k, v in report.filters.items()
        if v
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .5em;"
        "vertical-align:top;text-align:left}.sanctioned{background:#fdecea}"
        ".uncertain{background:#fff8e1}.muted{color:#666}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>Screened {e(when)} against the latest version of {report.lists_screened} "
        f"list(s). {len(report.rows)} official(s)"
        + (f" — {e(filters)}" if filters else "")
        + ".</p>",
        "<table><thead><tr><th>Official</th><th>Role</th><th>Court</th><th>Cases</th>"
        "<th>Status</th><th>Sanctioned by</th><th>Uncertain</th><th>Listings</th></tr></thead>"
        "<tbody>",
    ]
    for r in report.rows:
        o = r.official
        listings = "<br>".join(
            f"{e(h.authority)} {e(h.list_name)} <code>{e(h.ref)}</code>: {e(h.target_name)} "
            f"<span class='muted'>({h.score:.2f}, {e(h.verdict)}"
            + (f"; {e(h.judged)}" if h.judged else "")
            + ")</span>"
            for h in r.hits
            if h.verdict != "rejected"
        )
        parts.append(
            f"<tr class='{e(r.status)}'><td>{e(o.name)}</td><td>{e(o.role)}</td>"
            f"<td>{e(o.court or '')}</td><td>{o.cases}</td><td>{e(r.status)}</td>"
            f"<td>{e(', '.join(r.sanctioned_by))}</td><td>{e(', '.join(r.uncertain_by))}</td>"
            f"<td>{listings}</td></tr>"
        )
    parts.append("</tbody></table></body></html>")
    return "\n".join(parts)


__all__ = [
    "CSV_COLUMNS",
    "STATUSES",
    "HitView",
    "OfficialScreen",
    "Report",
    "authority_matches",
    "csv_rows",
    "render_csv",
    "render_html",
    "screening_report",
]
