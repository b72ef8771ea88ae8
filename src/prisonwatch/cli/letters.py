"""``prisonwatch letters …``: who to write to, where, birthdays, the letters log, flags and
facilities.

The commands parse arguments, call :mod:`prisonwatch.letters` (readings and the log) and
:mod:`prisonwatch.store.facilities` (facility writes, audited), and print. Each command is one
transaction: a refused value writes nothing. Flags, corrections, facility changes and
``--private`` need an editor: an actor that names a registry account (``--as``) must be an
active editor or admin; other actors (``cli:<login>``) have direct access to the database.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from prisonwatch.cli.common import AsOption, DbOption, console, fail, open_db
from prisonwatch.config import acting_user
from prisonwatch.letters.birthdays import birthdays
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.letters.figures import letter_figures
from prisonwatch.letters.flags import FlagError, clear_flag, set_flag
from prisonwatch.letters.log import (
    LetterError,
    RateLimited,
    correct_count,
    fewest_letters,
    log_letter,
    pick,
)
from prisonwatch.letters.model import Address, Recipient
from prisonwatch.model import Role
from prisonwatch.store.db import Database
from prisonwatch.store.facilities import (
    EDITABLE,
    Facilities,
    FacilityError,
    FacilityInput,
    list_facilities,
)
from prisonwatch.store.registry import Registry
from prisonwatch.store.schema import User
from prisonwatch.store.schema_letters import FACILITY_KINDS, FLAGS
from prisonwatch.validation import FieldError

app = typer.Typer(
    help="Letters to prisoners: who to write to and where, birthdays, the letters log.",
    no_args_is_help=True,
)
facility_app = typer.Typer(help="Facilities: names and postal addresses.", no_args_is_help=True)
app.add_typer(facility_app, name="facility")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OnOption = Annotated[str | None, typer.Option("--on", help="The day (YYYY-MM-DD; default: today).")]
PrivateOption = Annotated[
    bool,
    typer.Option(
        "--private",
        help="Editors: private facts count, flagged and hidden people are listed. "
        "Never for publication.",
    ),
]


def _day(value: str | None, option: str = "--on") -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date (YYYY-MM-DD)")


def _require_editor(database: Database, actor: str, what: str) -> None:
    with database.session() as s:
        user = s.scalar(select(User).where(User.username == actor))
    if user is not None and (user.disabled or not Role(user.role).can_edit()):
        fail(f"{actor!r} may not {what}: only active editors and admins can")


def _emit(rows: Sequence[dict[str, Any]], fmt: Format, title: str, columns: list[str]) -> None:
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n")
        return
    if fmt is Format.CSV:
        from prisonwatch.io.csvsafe import writer

        w = writer(sys.stdout)  # formula-like cells neutralised
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])
        return
    t = Table(*columns, title=title)
    for r in rows:
        t.add_row(*(escape(_cell(r.get(c))) for c in columns))
    console.print(t)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "; ".join(str(x) for x in v)
    return str(v)


def _address(a: Address | None, abroad: bool = False) -> list[str] | None:
    if a is None:
        return None
    return list(a.lines_abroad if abroad else a.lines)


def _recipient_row(r: Recipient, private: bool) -> dict[str, Any]:
    f = r.facility
    row: dict[str, Any] = {
        "id": r.person_id,
        "name": r.display_name,
        "recipient": r.recipient_line,
        "facility": f.name if f else None,
        "address_ru": _address(f.address_ru) if f else None,
        "address_be": _address(f.address_be) if f else None,
        "verified_on": f.verified_on.isoformat() if f and f.verified_on else None,
        "letters_90d": r.letters_90d,
    }
    if private:
        row["flags"] = list(r.flags)
    return row


RECIPIENT_COLUMNS = [
    "id",
    "name",
    "recipient",
    "facility",
    "address_ru",
    "address_be",
    "verified_on",
    "letters_90d",
]


def _private_ok(database: Database, private: bool, as_: str | None) -> None:
    if private:
        _require_editor(database, acting_user(as_), "see private letter lists")


@app.command("recipients")
def recipients_cmd(
    query: Annotated[
        str | None, typer.Option("--query", "-q", help="A name, or any part of the address.")
    ] = None,
    on: OnOption = None,
    private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Everyone who can be written to on a day, with the facility's address."""
    day = _day(on)
    database = open_db(db)
    _private_ok(database, private, as_)
    with database.session() as s:
        people = eligible_recipients(s, day, include_private=private, query=query)
    cols = RECIPIENT_COLUMNS + (["flags"] if private else [])
    rows = [_recipient_row(r, private) for r in people]
    _emit(rows, fmt, f"{len(rows)} people to write to on {day}", cols)


@app.command("birthdays")
def birthdays_cmd(
    today: Annotated[
        str | None, typer.Option("--today", help="Today (YYYY-MM-DD; default: today).")
    ] = None,
    months: Annotated[int, typer.Option(help="Calendar months, starting with this one.")] = 2,
    private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Birthdays this month and next of the people who can be written to."""
    day = _day(today, "--today")
    if not 1 <= months <= 12:
        fail("--months: from 1 to 12")
    database = open_db(db)
    _private_ok(database, private, as_)
    with database.session() as s:
        found = birthdays(s, day, months=months, include_private=private)
    rows = [
        {
            "day": b.day.isoformat(),
            "id": b.person_id,
            "name": b.display_name,
            "age": b.age,
            "facility": b.facility.name if b.facility else None,
        }
        for b in found
    ]
    _emit(rows, fmt, f"{len(rows)} birthdays", ["day", "id", "name", "age", "facility"])


@app.command("fewest")
def fewest_cmd(
    on: OnOption = None,
    limit: Annotated[int, typer.Option(help="How many.")] = 10,
    private: PrivateOption = False,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """People with an address and the fewest letters logged as sent in the last 90 days."""
    day = _day(on)
    database = open_db(db)
    _private_ok(database, private, as_)
    with database.session() as s:
        people = fewest_letters(s, day, limit=max(0, limit), include_private=private)
    cols = RECIPIENT_COLUMNS + (["flags"] if private else [])
    _emit(
        [_recipient_row(r, private) for r in people],
        fmt,
        "Fewest letters logged as sent (90 days; nobody counts letters received)",
        cols,
    )


@app.command("pick")
def pick_cmd(
    on: OnOption = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the random choice (repeatable picks).")
    ] = None,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Pick someone to write to, at random, weighted towards fewer letters."""
    day = _day(on)
    with open_db(db).session() as s:
        r = pick(s, day, rng=random.Random(seed))
    if r is None:
        fail("nobody with an address can be written to on that day")
    _emit([_recipient_row(r, False)], fmt, "Write to", RECIPIENT_COLUMNS)


@app.command("log")
def log_cmd(
    person_id: Annotated[int, typer.Argument(help="The person written to.")],
    on: Annotated[
        str | None, typer.Option("--on", help="The day it was sent (default: today).")
    ] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Log a letter as sent (nothing about the sender is stored)."""
    day = _day(on)
    try:
        with open_db(db).session() as s:
            log_letter(s, person_id, client_key=f"cli|{acting_user(as_)}", day=day)
    except RateLimited as exc:
        fail(str(exc), code=75)
    except (LetterError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Logged a letter to person {person_id} on {day}.")


@app.command("correct")
def correct_cmd(
    person_id: Annotated[int, typer.Argument(help="The person.")],
    delta: Annotated[int, typer.Option("--delta", help="Letters to add (negative: to take off).")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Editors: correct a person's letter count (audited, with the reason)."""
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor, "correct letter counts")
    try:
        with database.session() as s:
            correct_count(s, person_id, delta, actor=actor, reason=reason)
    except (LetterError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Corrected the count of person {person_id} by {delta:+d}.")


FlagArg = Annotated[str, typer.Argument(help=f"One of {', '.join(FLAGS)}.")]
ReasonOption = Annotated[str, typer.Option(help="Why (kept in the audit trail; required).")]


@app.command("flag")
def flag_cmd(
    person_id: Annotated[int, typer.Argument(help="The person.")],
    flag: FlagArg,
    reason: ReasonOption,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Editors: flag a person (incommunicado, address unknown, no publicity)."""
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor, "flag people")
    try:
        with database.session() as s:
            set_flag(s, person_id, flag, reason=reason, actor=actor)
    except (FlagError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Flagged person {person_id}: {flag}.")


@app.command("unflag")
def unflag_cmd(
    person_id: Annotated[int, typer.Argument(help="The person.")],
    flag: FlagArg,
    reason: ReasonOption,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Editors: clear a person's flag (its history stays)."""
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor, "clear flags")
    try:
        with database.session() as s:
            clear_flag(s, person_id, flag, reason=reason, actor=actor)
    except (FlagError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Cleared the flag {flag} of person {person_id}.")


@app.command("stats")
def stats_cmd(
    on: OnOption = None,
    fmt: FormatOption = Format.TABLE,
    db: DbOption = None,
) -> None:
    """Share of eligible people with a letter logged in 90 days, and the spread (Gini)."""
    day = _day(on)
    with open_db(db).session() as s:
        f = letter_figures(s, day)
    row = {
        "day": day.isoformat(),
        "eligible": f.eligible,
        "with_letter_90d": f.with_letter_90d,
        "share": round(f.share, 4),
        "gini": round(f.gini, 4),
    }
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(row) + "\n")
        return
    _emit([row], fmt, "Letters logged as sent, last 90 days", list(row))


# -- facilities -----------------------------------------------------------------------------

FACILITY_COLUMNS = [
    "id",
    "name",
    "kind",
    "region",
    "name_be",
    "name_ru",
    "street",
    "locality",
    "postal_code",
    "country",
    "recipient_format",
    "verified_on",
    "verified_source_id",
]


@facility_app.command("add")
def facility_add(
    name: Annotated[str, typer.Argument(help="The name as the registry shows it.")],
    kind: Annotated[str, typer.Option(help=f"One of {', '.join(FACILITY_KINDS)}.")] = "other",
    name_be: Annotated[str | None, typer.Option(help="The name in Belarusian.")] = None,
    name_ru: Annotated[str | None, typer.Option(help="The name in Russian.")] = None,
    region: Annotated[str | None, typer.Option()] = None,
    postal_code: Annotated[str | None, typer.Option()] = None,
    locality: Annotated[str | None, typer.Option()] = None,
    street: Annotated[str | None, typer.Option(help="Street and house, or PO box.")] = None,
    country: Annotated[str, typer.Option(help="Two-letter code.")] = "BY",
    recipient_format: Annotated[
        str | None,
        typer.Option(help="The recipient line, e.g. '{name}, {birth_year} г. р.'."),
    ] = None,
    note: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Editors: add a facility with its postal address."""
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor, "add facilities")
    data = FacilityInput(
        name=name,
        kind=kind,
        name_be=name_be,
        name_ru=name_ru,
        region=region,
        postal_code=postal_code,
        locality=locality,
        street=street,
        country=country,
        recipient_format=recipient_format,
        note=note,
    )
    try:
        with database.session() as s:
            fid = Facilities(s, actor, context="letters facility add").add(data).id
    except (FacilityError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Added facility {fid}.")


@facility_app.command("edit")
def facility_edit(
    facility_id: Annotated[int, typer.Argument()],
    set_: Annotated[
        list[str], typer.Option("--set", help=f"FIELD=VALUE (repeat): {', '.join(EDITABLE)}.")
    ],
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Editors: change fields of a facility (an empty VALUE clears it)."""
    changes: dict[str, Any] = {}
    for item in set_:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--set {item!r}: use FIELD=VALUE")
        changes[key.strip()] = value or None
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor, "edit facilities")
    try:
        with database.session() as s:
            Facilities(s, actor, context="letters facility edit").edit(facility_id, changes)
    except (FacilityError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Changed facility {facility_id}.")


@facility_app.command("list")
def facility_list(fmt: FormatOption = Format.TABLE, db: DbOption = None) -> None:
    """Every facility with its address and when it was last verified."""
    with open_db(db).session() as s:
        rows = [{c: getattr(f, c) for c in FACILITY_COLUMNS} for f in list_facilities(s)]
    _emit(rows, fmt, f"{len(rows)} facilities", FACILITY_COLUMNS)


@facility_app.command("verify")
def facility_verify(
    facility_id: Annotated[int, typer.Argument()],
    on: Annotated[
        str | None, typer.Option("--on", help="The day it proved right (default: today).")
    ] = None,
    source_url: Annotated[str | None, typer.Option(help="Where the address was confirmed.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Editors: record that a facility's address proved right on a day, by a source."""
    day = _day(on)
    database = open_db(db)
    actor = acting_user(as_)
    _require_editor(database, actor, "verify facilities")
    try:
        with database.session() as s:
            src = (
                Registry(s, actor, context="letters facility verify").source_for_url(source_url)
                if source_url
                else None
            )
            Facilities(s, actor, context="letters facility verify").verify(
                facility_id, day, src.id if src else None
            )
    except (FacilityError, FieldError) as exc:
        fail(str(exc))
    console.print(f"Facility {facility_id} verified on {day}.")
