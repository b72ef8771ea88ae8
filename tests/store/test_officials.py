"""Officials: migration 0008 turns the free text of cases into officials, the writer links the
free text of new and edited cases (and imports), and every change is audited and validated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, insert, select

from prisonwatch.io.importer import import_file
from prisonwatch.store.db import Database, alembic_config
from prisonwatch.store.officials import (
    OfficialInput,
    OfficialNameInput,
    Officials,
    name_key,
)
from prisonwatch.store.registry import (
    CaseInput,
    NameInput,
    PersonInput,
    Registry,
    RegistryValidationError,
)
from prisonwatch.store.schema import AuditEntry, Case, Name, Person
from prisonwatch.store.schema_officials import Official, OfficialCase, OfficialName

MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "src/prisonwatch/store/migrations/versions/0008_officials.py"
)


def _migration_module() -> object:
    spec = importlib.util.spec_from_file_location("m0008", MIGRATION)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(
    "text",
    ["Иванов И.И.", "иванов  и. и.", "Пётр Сёмин", "O'Neil-Smith, J.", "Judge A. (demo)", "ŁUKASZ"],
)
def test_migration_and_writer_normalise_names_alike(text: str) -> None:
    assert _migration_module().name_key(text) == name_key(text)  # type: ignore[attr-defined]


def _official_by_key(db: Database) -> dict[tuple[str, str], tuple[int, list[str], str | None]]:
    with db.session() as s:
        out = {}
        for o in s.scalars(select(Official)):
            names = list(
                s.scalars(select(OfficialName.full_text).where(OfficialName.official_id == o.id))
            )
            out[(o.role, o.name_key)] = (o.id, names, o.court)
        return out


def test_migration_turns_free_text_into_officials(db: Database) -> None:
    """At 0007, cases name judges and prosecutors as free text; 0008 makes one official per
    normalised name and role, links every case, keeps the text, and audits what it made."""
    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    try:
        with db.engine.begin() as conn:
            pid = conn.execute(
                insert(Person.__table__).values(synthetic=True, version=1)
            ).inserted_primary_key[0]
            conn.execute(
                insert(Name.__table__).values(
                    person_id=pid,
                    full_text="Тэст Асоба",
                    script="cyrillic",
                    kind="official",
                    is_primary=True,
                    visibility="public",
                )
            )
            rows = [
                ("Иванов И.И.", "Петров П.П.", "Minsk City Court"),
                ("иванов  и. и.", None, "Minsk City Court"),
                ("Иванов И.И.", None, "Homiel Court"),
                ("Петров П.П.", "", None),  # the same name as a judge: another official
                (None, None, None),
                ("—", None, None),  # no letters: no official
            ]
            for judge, prosecutor, court in rows:
                conn.execute(
                    insert(Case.__table__).values(
                        person_id=pid,
                        judge=judge,
                        prosecutor=prosecutor,
                        court=court,
                        visibility="public",
                    )
                )
    finally:
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    found = _official_by_key(db)
    assert set(found) == {
        ("judge", "иванов и и"),
        ("judge", "петров п п"),
        ("prosecutor", "петров п п"),
    }
    oid, names, court = found[("judge", "иванов и и")]
    assert names == ["Иванов И.И."]  # the spelling used most
    assert court == "Minsk City Court"
    with db.session() as s:
        links = s.execute(
            select(OfficialCase.official_id, OfficialCase.origin, OfficialCase.text).where(
                OfficialCase.official_id == oid
            )
        ).all()
        assert len(links) == 3 and {o for _i, o, _t in links} == {"text"}
        assert s.scalar(select(func.count()).select_from(OfficialCase)) == 5
        # the free text is kept as it was
        assert sorted(filter(None, s.scalars(select(Case.judge)))) == sorted(
            ["Иванов И.И.", "иванов  и. и.", "Иванов И.И.", "Петров П.П.", "—"]
        )
        audited = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor == "migration 0008_officials")
        )
        assert audited == 3 + 5  # three officials, five links
        assert s.scalar(select(func.count()).select_from(Official).where(Official.synthetic))


def _person(reg: Registry, name: str = "Мікалай Статкевіч") -> int:
    return reg.add_person(PersonInput(names=[NameInput(name)])).id


def test_cases_link_their_judge_and_prosecutor_and_follow_edits(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = _person(reg)
        c1 = reg.add_case(pid, CaseInput(judge="Иванов И.И.", prosecutor="Петров П."))
        c2 = reg.add_case(pid, CaseInput(judge="ИВАНОВ И. И."))
        reg.edit_case(c2.id, {"judge": "Сидорова А.Б."})
        reg.edit_case(c1.id, {"prosecutor": None})
    with db.session() as s:
        links = {
            (lk.case_id, lk.role, o.name_key)
            for lk, o in s.execute(
                select(OfficialCase, Official).join(
                    Official, Official.id == OfficialCase.official_id
                )
            )
        }
        assert links == {(c1.id, "judge", "иванов и и"), (c2.id, "judge", "сидорова а б")}
        kinds = [
            (a.action, a.entity_type)
            for a in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_type.like("official%"))
                .order_by(AuditEntry.id)
            )
        ]
        assert ("delete", "official_case") in kinds and ("create", "official") in kinds
        # the link's audit entry names the case's person (the audit log's visibility rule)
        link_entry = s.scalar(
            select(AuditEntry).where(AuditEntry.entity_type == "official_case").limit(1)
        )
        assert link_entry is not None and link_entry.person_id == pid


def test_a_manual_link_and_names_in_other_scripts(db: Database) -> None:
    with db.session() as s:
        reg = Registry(s, "test")
        pid = _person(reg)
        case = reg.add_case(pid, CaseInput(articles="342"))
        w = Officials(s, "test")
        off = w.add(
            OfficialInput(
                role="judge",
                names=[OfficialNameInput("Іваноў Іван Іванавіч")],
                court="Minsk City Court",
            )
        )
        w.add_name(off.id, OfficialNameInput("Ivanou Ivan", kind="transliteration"))
        assert w.link_case(off.id, case.id) is not None
        assert w.link_case(off.id, case.id) is None  # already linked: nothing written
        # the free text of a later edit naming the Latin spelling finds the same official
        reg.edit_case(case.id, {"judge": "IVANOU Ivan"})
        assert s.scalar(select(func.count()).select_from(Official)) == 1
        scripts = set(s.scalars(select(OfficialName.script)))
        assert scripts == {"cyrillic", "latin"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (OfficialInput(role="clerk", names=[OfficialNameInput("A B")]), "role"),
        (OfficialInput(role="judge", names=[]), "name"),
        (OfficialInput(role="judge", names=[OfficialNameInput("Iva\u202enov")]), "name"),
        (OfficialInput(role="judge", names=[OfficialNameInput("12345")]), "name"),
        (OfficialInput(role="judge", names=[OfficialNameInput("A B")], court="x" * 301), "court"),
    ],
)
def test_the_writer_refuses_bad_input(db: Database, data: OfficialInput, field: str) -> None:
    with pytest.raises(RegistryValidationError) as err, db.session() as s:
        Officials(s, "test").add(data)
    assert err.value.field == field
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Official)) == 0


def test_an_import_links_the_judges_it_names(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "list.csv"
    f.write_text(
        "id,name,court,judge\n1,Мікалай Статкевіч,Minsk Court,Иванов И.И.\n"
        "2,Maria Kolesnikova,Minsk Court,иванов и.и.\n3,Ales Bialiatski,,\n",
        encoding="utf-8",
    )
    import_file(db, f, actor="test")
    import_file(db, f, actor="test")  # re-importing changes nothing
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Official)) == 1
        assert s.scalar(select(func.count()).select_from(OfficialCase)) == 2
    f.write_text(
        "id,name,court,judge\n1,Мікалай Статкевіч,Minsk Court,Петрова А.А.\n",
        encoding="utf-8",
    )
    import_file(db, f, actor="test")
    with db.session() as s:
        keys = set(
            s.scalars(
                select(Official.name_key).join(
                    OfficialCase, OfficialCase.official_id == Official.id
                )
            )
        )
        assert keys == {"иванов и и", "петрова а а"}  # person 1 moved to the new judge


def test_the_demo_judges_become_synthetic_officials(db: Database) -> None:
    from prisonwatch.demo import build_demo

    build_demo(db, people=60, seed=3)
    with db.session() as s:
        officials = list(s.scalars(select(Official)))
        assert officials and all(o.synthetic and o.role == "judge" for o in officials)
        names = set(s.scalars(select(OfficialName.full_text)))
        assert all(n.startswith("Judge ") and n.endswith("(demo)") for n in names)
        # every case with a judge is linked to its official
        with_judge = s.scalar(select(func.count()).select_from(Case).where(Case.judge.is_not(None)))
        assert s.scalar(select(func.count()).select_from(OfficialCase)) == with_judge
