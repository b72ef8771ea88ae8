"""Import: the facility column becomes a facility record (with its address) and the case is
linked to it; a re-import with an edited facility re-links; a re-import of the same file changes
nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from prisonwatch.io.importer import import_file
from prisonwatch.letters.eligibility import eligible_recipients
from prisonwatch.store.db import Database
from prisonwatch.store.schema import Case
from prisonwatch.store.schema_letters import Facility

HEAD = "id,name,detained_on,status,status_date,facility,facility_address"


def _write(tmp: Path, rows: list[str]) -> Path:
    path = tmp / "list.csv"
    path.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    return path


def test_import_links_facilities(db: Database, tmp_path: Path) -> None:
    first = _write(
        tmp_path,
        [
            'a1,Иванов Иван,2023-01-01,detained,2023-01-01,"ИК-3, Витебск","а/я 3, 211322 пос. Витьба"',
            "a2,Петров Пётр,2023-02-01,detained,2023-02-01,ик 3 витебск,",
            "a3,Сидоров Сидор,2023-03-01,detained,2023-03-01,СИЗО-1 Минск,",
        ],
    )
    import_file(db, first, actor="importer")
    with db.session() as s:
        facilities = {f.name: f for f in s.scalars(select(Facility))}
        assert set(facilities) == {"ИК-3, Витебск", "СИЗО-1 Минск"}
        ik3 = facilities["ИК-3, Витебск"]
        assert (ik3.kind, ik3.postal_code, ik3.locality) == (
            "penal_colony",
            "211322",
            "пос. Витьба",
        )
        linked = dict(s.execute(select(Case.facility, Case.facility_id)).all())
        assert linked == {
            "ИК-3, Витебск": ik3.id,
            "ик 3 витебск": ik3.id,
            "СИЗО-1 Минск": facilities["СИЗО-1 Минск"].id,
        }
        # the Cyrillic name gives a Russian address: the list's people can be written to
        people = eligible_recipients(s, dt.date(2024, 1, 1))
        with_address = [r for r in people if r.facility and r.facility.has_address]
        assert len(people) == 3 and len(with_address) == 2
    import_file(db, first, actor="importer")  # the same file again: nothing new
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Facility)) == 2
    moved = _write(
        tmp_path,
        ["a3,Сидоров Сидор,2023-03-01,detained,2023-03-01,Тюрьма № 8 Жодино,"],
    )
    import_file(db, moved, actor="importer")
    with db.session() as s:
        fac = s.scalar(
            select(Facility)
            .join(Case, Case.facility_id == Facility.id)
            .where(Case.facility == "Тюрьма № 8 Жодино")
        )
        assert fac is not None and fac.kind == "prison"
