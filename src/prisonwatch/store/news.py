"""Storing news articles and reviewing the claims proposed from them — the only writer of the
``article`` and ``news_claim`` tables; every change is audited in its transaction.

* :func:`add_article` stores one version of an article (text under its sha256) as a source
  with its proposed claims, pending. The same URL with another text is a new version: the
  older version's claims go back to review (``review_reason`` says why).
* :func:`edit_claim` keeps the reviewer's changes beside the proposal; :func:`accept_claim`
  applies the claim (the proposal with the edit over it):

  - ``person_status`` → a status event of the linked person through :class:`Registry`, with a
    source for the article that keeps the quote;
  - ``count`` → an outside figure for the "has anything changed?" page
    (:func:`prisonwatch.stats.claims.add_figure`), never the registry's own count;
  - ``sanction_change`` → kept, accepted, with its subject text ("US sanctions on Belavia");
    given a deal (``deal_id``), a lifting or easing becomes one of the deal's **concessions**
    (:class:`prisonwatch.store.deals.Deals`): kind from the change (lifted → delisting, eased
    → general licence, or the reviewer's choice), authority and target from the subject,
    certainty "reported" (it is a news report), the article as its source with the quote.
    Imposed, expanded, extended or remaining sanctions are not concessions and are refused;
  - ``statement`` → kept, accepted.
* :func:`reject_claim`; :func:`review_stats` counts accepted-as-proposed vs edited per
  extractor version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prisonwatch.dates import PartialDate, PartialDateError
from prisonwatch.model import EventKind
from prisonwatch.news import EXTRACTOR_VERSION, LANGUAGES
from prisonwatch.store import audit
from prisonwatch.store.registry import EventInput, Registry, RegistryError, SourceInput
from prisonwatch.store.schema import Claim, Name, Person, Source
from prisonwatch.store.schema_news import Article, NewsClaim
from prisonwatch.validation import FieldError

STATES = ("pending", "accepted", "rejected")
#: person_status → the registry's event kind (statuses missing here are accepted without an
#: event: the registry has no kind for them)
EVENT_KIND: dict[str, EventKind] = {
    "released": EventKind.RELEASED_OTHER,
    "pardoned": EventKind.PARDONED,
    "expelled": EventKind.EXPELLED_ABROAD,
    "moved_abroad": EventKind.EXPELLED_ABROAD,
    "refused_to_leave": EventKind.REFUSED_TO_LEAVE,
    "returned_to_prison": EventKind.RE_ARRESTED,
    "sentenced": EventKind.SENTENCED,
    "detained": EventKind.DETAINED,
    "died": EventKind.DIED_IN_CUSTODY,
    "recognised_political_prisoner": EventKind.RECOGNISED,
}
#: count subjects with a figure kind of their own on the "has anything changed?" page
FIGURE_KIND = {
    "political prisoners held": "count_held",
    "people released": "count_released",
}
EDITABLE = (
    "value",
    "hedge",
    "status",
    "person",
    "subject",
    "date",
    "destination_country",
    "organisation",
)


class NewsError(ValueError):
    """Bad input for storing or reviewing; the message names the field."""


class ClaimNotFound(NewsError):
    """No claim with that id."""


class ClaimConflict(NewsError):
    """The claim's state does not allow the action (already accepted or rejected)."""


@dataclass
class AddResult:
    article: Article
    claims: list[NewsClaim]
    unchanged: bool
    back_to_review: int


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _audit(
    session: Session, actor: str, action: str, obj: Any, before: dict[str, Any] | None, context: str
) -> None:
    etype = "article" if isinstance(obj, Article) else "news_claim"
    after = audit.snapshot(obj) if action != "delete" else None
    if etype == "article" and after is not None:
        after.pop("text", None)  # the text is under its hash; keep the audit entry small
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type=etype,
        entity_id=obj.id,
        person_id=getattr(obj, "person_id", None),
        before=before,
        after=after,
        context=context,
    )


def _fact(c: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        c.get(k) for k in ("kind", "value", "hedge", "status", "person", "subject", "quote")
    )


def add_article(
    session: Session,
    *,
    text: str,
    url: str,
    lang: str,
    actor: str,
    publisher: str | None = None,
    published: str | None = None,
    title: str | None = None,
    proposals: Iterable[dict[str, Any]] = (),
    links: dict[str, tuple[int, float]] | None = None,
) -> AddResult:
    """Store ``text`` (one version of the article at ``url``) and its ``proposals`` (JSON
    objects as ``news extract`` prints them) as pending claims. ``links`` maps a claim's
    ``person`` to (registry person id, matcher score)."""
    url = (url or "").strip()
    if not url:
        raise NewsError("url: required")
    if lang not in LANGUAGES:
        raise NewsError(f"lang: {lang!r} is not one of {', '.join(LANGUAGES)}")
    if not text.strip():
        raise NewsError("text: the article is empty")
    if published:
        try:
            pd = PartialDate.parse(published)
        except PartialDateError as exc:
            raise NewsError(f"published: {exc}") from exc
        published = pd.iso()
    digest = content_hash(text)
    existing = session.scalar(select(Article).where(Article.content_hash == digest))
    if existing is not None:
        if existing.url != url:
            raise NewsError(
                f"url: the same text is already stored for {existing.url} (article {existing.id})"
            )
        same = list(session.scalars(select(NewsClaim).where(NewsClaim.article_id == existing.id)))
        return AddResult(existing, same, unchanged=True, back_to_review=0)
    links = links or {}
    reg = Registry(session, actor, context="news add")
    source = session.scalar(select(Source).where(Source.url == url).order_by(Source.id).limit(1))
    if source is None:
        source = reg.add_source(
            SourceInput(url=url, title=title, publisher=publisher, published=published)
        )
    older = list(
        session.scalars(select(Article).where(Article.url == url, Article.current.is_(True)))
    )
    article = Article(
        source_id=source.id,
        url=url,
        publisher=publisher,
        published=published,
        title=title,
        lang=lang,
        content_hash=digest,
        text=text,
        current=True,
        extractor_version=EXTRACTOR_VERSION,
        added_by=actor,
    )
    session.add(article)
    session.flush()
    _audit(session, actor, "create", article, None, "news add")
    # older versions: their claims go back to review; one still proposed from the new text
    # moves to it (same fact and quote), the others stay with their old version
    old_claims: dict[tuple[Any, ...], NewsClaim] = {}
    back = 0
    for old in older:
        before = {"current": True}
        old.current = False
        audit.record(
            session,
            actor=actor,
            action="update",
            entity_type="article",
            entity_id=old.id,
            before=before,
            after={"current": False},
            context="news add: text changed",
        )
        for claim in session.scalars(select(NewsClaim).where(NewsClaim.article_id == old.id)):
            old_claims.setdefault(_fact(claim.proposal), claim)
            if claim.state == "rejected":
                continue  # stays rejected; moves to the new text if proposed again
            snap = audit.snapshot(claim)
            claim.review_reason = f"article text changed (was {claim.state})"
            if claim.state == "accepted":
                _figure_state(session, claim, "pending", actor)
            claim.state = "pending"
            back += 1
            session.flush()
            _audit(session, actor, "update", claim, snap, "news add: text changed")
    claims: list[NewsClaim] = []
    for prop in proposals:
        if text[prop["start"] : prop["end"]] != prop["quote"]:
            raise NewsError(f"claim at {prop['start']}: the quote is not the text at its offsets")
        moved = old_claims.pop(_fact(prop), None)
        if moved is not None:
            snap = audit.snapshot(moved)
            moved.article_id = article.id
            moved.proposal = dict(prop)
            session.flush()
            _audit(session, actor, "update", moved, snap, "news add: moved to the new text")
            claims.append(moved)
            continue
        link = links.get(prop.get("person") or "")
        claim = NewsClaim(
            article_id=article.id,
            kind=prop["kind"],
            proposal=dict(prop),
            state="pending",
            extractor_version=EXTRACTOR_VERSION,
            person_id=link[0] if link and prop["kind"] == "person_status" else None,
            link_score=link[1] if link and prop["kind"] == "person_status" else None,
        )
        session.add(claim)
        session.flush()
        _audit(session, actor, "create", claim, None, "news add")
        claims.append(claim)
    return AddResult(article, claims, unchanged=False, back_to_review=back)


def _figure_state(session: Session, claim: NewsClaim, state: str, actor: str) -> None:
    """An outside figure made from the claim follows its review state (a figure back in
    review is marked pending on the "has anything changed?" page)."""
    if claim.result_type != "claim" or claim.result_id is None:
        return
    fig = session.get(Claim, claim.result_id)
    if fig is None or fig.review_state == state:
        return
    before = {"review_state": fig.review_state}
    fig.review_state = state
    audit.record(
        session,
        actor=actor,
        action="update",
        entity_type="claim",
        entity_id=fig.id,
        before=before,
        after={"review_state": state},
        context=f"news claim {claim.id}",
    )


def effective(claim: NewsClaim) -> dict[str, Any]:
    """The claim as it stands: the proposal with the reviewer's edit over it."""
    out = dict(claim.proposal)
    out.update(claim.edit or {})
    return out


def get_claim(session: Session, claim_id: int) -> NewsClaim:
    claim = session.get(NewsClaim, claim_id)
    if claim is None:
        raise ClaimNotFound(f"claim: no claim with id {claim_id}")
    return claim


def edit_claim(
    session: Session,
    claim_id: int,
    changes: dict[str, Any],
    *,
    actor: str,
    person_id: int | None = None,
) -> NewsClaim:
    """Keep the reviewer's changes beside the proposal (only fields that differ from it)."""
    claim = get_claim(session, claim_id)
    if claim.state == "accepted":
        raise ClaimConflict("state: an accepted claim can't be edited")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise NewsError(f"{sorted(unknown)[0]}: not an editable field ({', '.join(EDITABLE)})")
    if changes.get("date"):
        try:
            PartialDate.parse(str(changes["date"]))
        except PartialDateError as exc:
            raise NewsError(f"date: {exc}") from exc
    snap = audit.snapshot(claim)
    edit = dict(claim.edit or {})
    for key, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        value = value or None
        if value == claim.proposal.get(key):
            edit.pop(key, None)
        else:
            edit[key] = value
    claim.edit = edit or None
    if person_id is not None and person_id != claim.person_id:
        if session.get(Person, person_id) is None:
            raise NewsError(f"person: no person with id {person_id}")
        claim.person_id = person_id
        claim.link_score = None
    session.flush()
    _audit(session, actor, "update", claim, snap, "claims edit")
    return claim


def _event_date(c: dict[str, Any], article: Article) -> str:
    if c.get("date"):
        return str(c["date"])
    if article.published:
        return f"~{article.published}"
    raise NewsError("date: the claim has no date and the article no publication day; edit the date")


def accept_claim(
    session: Session,
    claim_id: int,
    *,
    actor: str,
    note: str | None = None,
    deal_id: int | None = None,
    concession: str | None = None,
) -> NewsClaim:
    """Accept a claim and apply it (see the module docstring). ``deal_id`` (and optionally
    ``concession``, a concession kind) only for a ``sanction_change`` claim: it becomes a
    concession of that deal."""
    claim = get_claim(session, claim_id)
    if claim.state == "accepted":
        raise ClaimConflict("state: already accepted")
    if (deal_id is not None or concession) and claim.kind != "sanction_change":
        raise NewsError("deal: only a sanction_change claim becomes a deal's concession")
    if concession and deal_id is None:
        raise NewsError("deal: a concession kind needs the deal it belongs to")
    article = session.get(Article, claim.article_id)
    assert article is not None
    c = effective(claim)
    snap = audit.snapshot(claim)
    if claim.result_type is not None:
        # accepted before, back in review after the article changed: the registry change
        # made then stays (edit it in the registry if the new text says otherwise)
        _figure_state(session, claim, "accepted", actor)
    elif claim.kind == "person_status":
        _accept_status(session, claim, c, article, actor)
    elif claim.kind == "count":
        _accept_count(session, claim, c, article, actor)
    elif claim.kind == "sanction_change" and deal_id is not None:
        _accept_concession(session, claim, c, article, actor, deal_id, concession)
    claim.state = "accepted"
    claim.review_reason = None
    claim.reviewed_by = actor
    claim.reviewed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    claim.review_note = note or claim.review_note
    session.flush()
    _audit(session, actor, "update", claim, snap, "claims accept")
    return claim


def _accept_status(
    session: Session, claim: NewsClaim, c: dict[str, Any], article: Article, actor: str
) -> None:
    status = c.get("status") or ""
    kind = EVENT_KIND.get(status)
    if kind is None:
        return  # charged / held / house_arrest: no registry event kind; kept as accepted
    if claim.person_id is None:
        raise NewsError(
            "person: link the claim to a registry person first (claims edit --person-id)"
        )
    reg = Registry(session, actor, context=f"claims accept {claim.id}")
    source = reg.add_source(
        SourceInput(
            url=article.url,
            title=article.title,
            publisher=article.publisher,
            published=article.published,
            quote=c.get("quote"),
        )
    )
    data = EventInput(
        kind=kind.value,
        date=_event_date(c, article),
        destination_country=c.get("destination_country"),
        organisation=c.get("organisation"),
        note=f"news claim {claim.id}" + (f": sentenced to {c['value']}" if c.get("value") else ""),
    )
    try:
        event = reg.add_event(claim.person_id, data, [source.id])
    except RegistryError as exc:
        raise NewsError(f"{exc} (edit the claim)") from exc
    claim.result_type, claim.result_id = "status_event", event.id


#: the concession a change of sanctions is, by default (the reviewer may choose another)
CONCESSION_OF_CHANGE = {"lifted": "delisting", "eased": "general_licence"}
_SUBJECT = re.compile(r"^(?:(?P<imposer>.+?)\s+)?sanctions on\s+(?P<target>.+)$", re.IGNORECASE)


def sanction_subject(subject: str) -> tuple[str | None, str | None]:
    """("US", "Belavia") from "US sanctions on Belavia"; (None, "Belavia") without an
    imposer; (None, None) for a subject of another shape (an edited one)."""
    m = _SUBJECT.match(subject.strip())
    if m is None:
        return None, None
    return m.group("imposer"), m.group("target").strip(' «»“”"') or None


def _accept_concession(
    session: Session,
    claim: NewsClaim,
    c: dict[str, Any],
    article: Article,
    actor: str,
    deal_id: int,
    concession: str | None,
) -> None:
    from prisonwatch.store.deals import ConcessionInput, Deals

    change = str(c.get("value") or "")
    if change not in CONCESSION_OF_CHANGE:
        raise NewsError(
            f"value: sanctions {change or 'without a change'} are not a concession "
            "(only lifted or eased ones are); edit the claim or accept it without a deal"
        )
    kind = concession or CONCESSION_OF_CHANGE[change]
    imposer, target = sanction_subject(str(c.get("subject") or ""))
    context = f"claims accept {claim.id}"
    reg = Registry(session, actor, context=context)
    source = reg.add_source(
        SourceInput(
            url=article.url,
            title=article.title,
            publisher=article.publisher,
            published=article.published,
            quote=c.get("quote"),
        )
    )
    data = ConcessionInput(
        kind=kind,
        certainty="reported",
        authority=imposer,
        target_authority=imposer if target else None,
        target_name=target if imposer else None,
        date=_event_date(c, article),
        description=f"{c.get('subject')} ({change}) — news claim {claim.id}",
    )
    try:
        conc = Deals(session, actor, context=context).add_concession(deal_id, data, [source.id])
    except (RegistryError, FieldError) as exc:
        raise NewsError(f"{exc} (edit the claim)") from exc
    claim.result_type, claim.result_id = "concession", conc.id


def _accept_count(
    session: Session, claim: NewsClaim, c: dict[str, Any], article: Article, actor: str
) -> None:
    from prisonwatch.stats.claims import FigureError, add_figure

    raw = str(c.get("value") or "")
    try:
        value = float(raw.split("-")[0].replace(",", ""))
    except ValueError as exc:
        raise NewsError(f"value: {raw!r} is not a number (or range)") from exc
    day = c.get("date") or article.published
    if not day:
        raise NewsError(
            "date: the count has no date and the article no publication day; edit the date"
        )
    subject = str(c.get("subject") or "")
    kind = FIGURE_KIND.get(subject, "count_" + "_".join(subject.lower().split()[-2:]))
    try:
        fig = add_figure(
            session,
            kind=kind,
            value=value,
            as_of=PartialDate.parse(str(day)).start,
            wording=str(c.get("quote") or raw),
            actor=actor,
            source_id=article.source_id,
        )
    except FigureError as exc:
        raise NewsError(str(exc)) from exc
    fig.span_start, fig.span_end = c.get("start"), c.get("end")
    claim.result_type, claim.result_id = "claim", fig.id


def reject_claim(
    session: Session, claim_id: int, *, actor: str, note: str | None = None
) -> NewsClaim:
    claim = get_claim(session, claim_id)
    if claim.state == "accepted":
        raise ClaimConflict(
            "state: an accepted claim can't be rejected (its registry change stays)"
        )
    if claim.state == "rejected":
        raise ClaimConflict("state: already rejected")
    snap = audit.snapshot(claim)
    _figure_state(session, claim, "rejected", actor)
    claim.state = "rejected"
    claim.review_reason = None
    claim.reviewed_by = actor
    claim.reviewed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    claim.review_note = note or claim.review_note
    session.flush()
    _audit(session, actor, "update", claim, snap, "claims reject")
    return claim


def private_people(session: Session, person_ids: Iterable[int]) -> set[int]:
    """People with no public name: their pending claims are shown only to editors."""
    ids = {p for p in person_ids if p is not None}
    if not ids:
        return set()
    public = set(
        session.scalars(
            select(Name.person_id).where(Name.person_id.in_(ids), Name.visibility == "public")
        )
    )
    return ids - public


def list_claims(
    session: Session,
    *,
    state: str | None = None,
    kind: str | None = None,
    include_private: bool = False,
    public_only: bool = False,
    limit: int = 200,
    offset: int = 0,
) -> list[NewsClaim]:
    """Claims, newest first. Without ``include_private``, pending claims of people with no
    public name are left out; ``public_only`` (anonymous readers) shows accepted claims only."""
    stmt = select(NewsClaim).order_by(NewsClaim.id.desc())
    if state:
        if state not in STATES:
            raise NewsError(f"state: {state!r} is not one of {', '.join(STATES)}")
        stmt = stmt.where(NewsClaim.state == state)
    if kind:
        stmt = stmt.where(NewsClaim.kind == kind)
    if public_only:
        stmt = stmt.where(NewsClaim.state == "accepted")
    rows = list(session.scalars(stmt.limit(limit * 2 + 50).offset(offset)))
    if not include_private:
        hidden = private_people(session, [r.person_id for r in rows if r.person_id])
        rows = [
            r for r in rows if not (r.person_id in hidden and (r.state == "pending" or public_only))
        ]
    return rows[:limit]


def visible(
    session: Session, claim: NewsClaim, *, include_private: bool, public_only: bool
) -> bool:
    if public_only and claim.state != "accepted":
        return False
    if include_private or claim.person_id is None:
        return True
    hidden = claim.person_id in private_people(session, [claim.person_id])
    return not (hidden and (claim.state == "pending" or public_only))


def review_stats(session: Session) -> list[dict[str, Any]]:
    """Per extractor version: proposed, pending, rejected, accepted as proposed, accepted edited."""
    out: dict[str, dict[str, Any]] = {}
    rows = session.execute(
        select(NewsClaim.extractor_version, NewsClaim.kind, NewsClaim.state, NewsClaim.edit)
    )
    for version, kind, state, edit in rows:
        for key in ((version, "all"), (version, kind)):
            row = out.setdefault(
                "|".join(key),
                {
                    "extractor_version": key[0],
                    "kind": key[1],
                    "proposed": 0,
                    "pending": 0,
                    "rejected": 0,
                    "accepted_as_proposed": 0,
                    "accepted_edited": 0,
                },
            )
            row["proposed"] += 1
            if state == "accepted":
                row["accepted_edited" if edit else "accepted_as_proposed"] += 1
            else:
                row[state] += 1
    return [out[k] for k in sorted(out)]
