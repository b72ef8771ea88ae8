"""Importing sanctions-list versions on both backends: re-import, reordered and re-encoded copies,
parser changes, mass-removal refusal, corrupt files, the audit entry, stored-version diffs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sanctions_testformat as tf
from prisonwatch.sanctions.model import SanctionsFormatError
from prisonwatch.store.db import Database
from prisonwatch.store.sanctions import MassRemovalRefused, OutOfOrder, import_list
from prisonwatch.store.sanctions_query import (
    find_targets,
    latest_diff,
    lists_overview,
    resolve_version,
    target_view,
    version_diff,
)
from prisonwatch.store.schema import AuditEntry
from prisonwatch.store.schema_sanctions import (
    SanctionsListing,
    SanctionsStatement,
    SanctionsTarget,
    SanctionsVersion,
)


@pytest.fixture(autouse=True)
def _format(monkeypatch: pytest.MonkeyPatch) -> None:
    tf.register(monkeypatch)


def _rows(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (
                SanctionsVersion,
                SanctionsTarget,
                SanctionsStatement,
                SanctionsListing,
                AuditEntry,
            )
        }


def test_first_import_counts_kinds_and_is_audited_once(db: Database, tmp_path: Path) -> None:
    f = tf.write_list(tmp_path / "v1.json", tf.base_targets(20))
    r = import_list(db, f, actor="cli:anna")
    assert r.status == "imported" and r.cause == "first"
    j = r.as_json()
    assert (j["targets"], j["persons"], j["organisations"], j["vessels"], j["aircraft"]) == (
        20,
        17,
        1,
        1,
        1,
    )
    assert (j["added"], j["removed"], j["changed"]) == (20, 0, 0)
    assert j["format"] == "test-json" and j["published"] == "2025-01-01"
    with db.session() as s:
        entries = list(s.scalars(select(AuditEntry)))
    assert len(entries) == 1
    assert entries[0].actor == "cli:anna" and entries[0].entity_type == "sanctions_version"
    assert entries[0].after is not None and entries[0].after["targets"] == 20


def test_reimport_same_file_changes_nothing(db: Database, tmp_path: Path) -> None:
    f = tf.write_list(tmp_path / "v1.json", tf.base_targets(12))
    import_list(db, f, actor="a")
    before = _rows(db)
    again = import_list(db, f, actor="a")
    assert again.status == "already imported" and again.number == 1
    assert _rows(db) == before


def test_reordered_and_reencoded_copies_show_no_difference(db: Database, tmp_path: Path) -> None:
    targets = tf.base_targets(12)
    import_list(db, tf.write_list(tmp_path / "v1.json", targets), actor="a")
    stmts = _rows(db)["sanctions_statement"]
    reordered = list(reversed(targets))
    r2 = import_list(db, tf.write_list(tmp_path / "v2.json", reordered, indent=2), actor="a")
    r3 = import_list(db, tf.write_list(tmp_path / "v3.json", targets, encoding="utf-16"), actor="a")
    for r in (r2, r3):
        assert r.status == "imported" and r.cause == "unchanged"
        assert (r.added, r.removed, r.changed) == (0, 0, 0)
    assert r3.number == 3
    assert _rows(db)["sanctions_statement"] == stmts  # unchanged facts cost no row
    with db.session() as s:
        assert version_diff(s, resolve_version(s, "1:1"), resolve_version(s, "1:3")).empty


def test_publisher_change_added_removed_changed_and_listings(db: Database, tmp_path: Path) -> None:
    targets = tf.base_targets(20)
    import_list(db, tf.write_list(tmp_path / "v1.json", targets), actor="a")
    v2 = [t for t in targets if t["id"] != "O1"]  # Belavia delisted
    v2[0] = tf.person(
        "P1",
        "LUKASHENKA, Alyaksandr",
        alias=["Лукашэнка Аляксандр", "LUKASHENKO"],
        birthDate=["1954-08-30"],
        program=["BELARUS"],
        nationality=["by"],
    )
    v2.append(tf.person("P99", "NEW PERSON", program=["BELARUS"]))
    r = import_list(db, tf.write_list(tmp_path / "v2.json", v2, published="2025-11-04"), actor="a")
    assert r.cause == "publisher"
    assert r.diff is not None
    assert [a.id for a in r.diff.added] == ["P99"]
    assert [x.id for x in r.diff.removed] == ["O1"]
    assert [c.id for c in r.diff.changed] == ["P1"]
    assert r.diff.changed[0].fields == {"alias": {"added": ["LUKASHENKO"], "removed": []}}
    with db.session() as s:
        belavia = s.scalar(select(SanctionsTarget).where(SanctionsTarget.ref == "O1"))
        assert belavia is not None
        view = target_view(s, belavia.id)
        assert not view.listed_now
        [listing] = view.listings
        assert listing.listed.number == 1 and listing.delisted is not None
        assert str(listing.delisted.date) == "2025-11-04"
        assert ("Белавиа", "alias", "cyrillic", False) in view.names
        _old, _new, d = latest_diff(s, listing.list_id) or (None, None, None)
        assert d is not None and [x.id for x in d.removed] == ["O1"]
        # the stored-version diff equals the import's diff
        assert d.as_json() == r.diff.as_json()
        [summary] = lists_overview(s)
        assert summary.versions == 2 and summary.latest is not None
        assert summary.latest.targets == 20


def test_parser_change_is_told_apart_from_a_publisher_change(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tf.write_list(tmp_path / "v1.json", tf.base_targets(12))
    import_list(db, f, actor="a")
    monkeypatch.setattr(tf, "PARSER_VERSION", "2")
    same = import_list(db, f, actor="a")  # same bytes, new parser that reads the same
    assert same.status == "imported" and same.cause == "unchanged"
    assert same.parser_version == "2"
    assert import_list(db, f, actor="a").status == "already imported"


def test_parser_change_with_different_output(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tf.write_list(tmp_path / "v1.json", tf.base_targets(12))
    import_list(db, f, actor="a")
    original = tf.parse

    def parse_more(path: Path):  # type: ignore[no-untyped-def]
        parsed = original(path)
        inner = parsed.targets

        def more():  # type: ignore[no-untyped-def]
            for t in inner:
                t.add("notes", "read by parser 2")
                yield t

        parsed.targets = more()
        return parsed

    monkeypatch.setattr(tf, "parse", parse_more)
    monkeypatch.setattr(tf, "PARSER_VERSION", "2")
    r = import_list(db, f, actor="a")
    assert r.cause == "parser" and r.changed == 12


def test_mass_removal_is_refused_unless_accepted(db: Database, tmp_path: Path) -> None:
    targets = tf.base_targets(20)
    import_list(db, tf.write_list(tmp_path / "v1.json", targets), actor="a")
    before = _rows(db)
    truncated = tf.write_list(tmp_path / "v2.json", targets[:17])  # 3 of 20 gone: > a tenth
    with pytest.raises(MassRemovalRefused, match="remove 3 of 20"):
        import_list(db, truncated, actor="a")
    assert _rows(db) == before
    ok = tf.write_list(tmp_path / "v3.json", targets[:18])  # 2 of 20: exactly a tenth
    assert import_list(db, ok, actor="a").removed == 2
    r = import_list(db, truncated, actor="a", accept_mass_removal=True)
    assert r.removed == 1 and r.number == 3


@pytest.mark.parametrize(
    ("content", "position"),
    [
        (
            b'{"pwtest-sanctions": 1, "authority": "TEST", "list": "Demo", "targets": [{"id": "X"',
            "line 1, column",
        ),
        (None, "target 3"),
    ],
)
def test_corrupt_file_is_refused_and_nothing_written(
    db: Database, tmp_path: Path, content: bytes | None, position: str
) -> None:
    import_list(db, tf.write_list(tmp_path / "v1.json", tf.base_targets(5)), actor="a")
    before = _rows(db)
    bad = tmp_path / "bad.json"
    if content is None:
        targets = tf.base_targets(5)
        targets[2]["kind"] = "spaceship"
        tf.write_list(bad, targets)
    else:
        bad.write_bytes(content)
    with pytest.raises(SanctionsFormatError) as err:
        import_list(db, bad, actor="a")
    assert str(bad) in str(err.value) and position in str(err.value)
    assert _rows(db) == before


def test_unknown_file_is_refused(db: Database, tmp_path: Path) -> None:
    f = tmp_path / "list.json"
    f.write_text('{"something": "else"}')
    with pytest.raises(SanctionsFormatError, match="not a sanctions list format"):
        import_list(db, f, actor="a")
    assert _rows(db)["sanctions_version"] == 0


def test_older_version_after_newer_is_refused(db: Database, tmp_path: Path) -> None:
    import_list(
        db,
        tf.write_list(tmp_path / "v2.json", tf.base_targets(5), published="2025-06-01"),
        actor="a",
    )
    with pytest.raises(OutOfOrder, match="oldest first"):
        import_list(
            db,
            tf.write_list(tmp_path / "v1.json", tf.base_targets(6), published="2025-01-01"),
            actor="a",
        )


def test_relisting_opens_a_new_listing_and_targets_are_shared_by_authority(
    db: Database, tmp_path: Path
) -> None:
    t = tf.base_targets(20)
    import_list(db, tf.write_list(tmp_path / "a.json", t, published="2025-01-01"), actor="a")
    import_list(db, tf.write_list(tmp_path / "b.json", t[:19], published="2025-02-01"), actor="a")
    import_list(db, tf.write_list(tmp_path / "c.json", t, published="2025-03-01"), actor="a")
    # another list of the same authority holds the same target
    import_list(db, tf.write_list(tmp_path / "d.json", t[19:], list_name="Other"), actor="a")
    with db.session() as s:
        tid = s.scalar(select(SanctionsTarget.id).where(SanctionsTarget.ref == "P20"))
        assert tid is not None
        view = target_view(s, tid)
    spans = sorted(
        (li.list_name, li.listed.number, li.delisted.number if li.delisted else None)
        for li in view.listings
    )
    assert spans == [("Demo", 1, 2), ("Demo", 3, None), ("Other", 1, None)]


def test_find_targets_by_reference_and_by_name_across_scripts(db: Database, tmp_path: Path) -> None:
    import_list(db, tf.write_list(tmp_path / "v1.json", tf.base_targets(8)), actor="a")
    with db.session() as s:
        assert [h.target.ref for h in find_targets(s, "O1")] == ["O1"]
        hits = find_targets(s, "Аляксандр Лукашэнка")
        assert hits and hits[0].target.ref == "P1"
        hits = find_targets(s, "Lukashenko Aleksandr")
        assert hits and hits[0].target.ref == "P1"
        assert find_targets(s, "Nobody Atall") == []


def test_stored_diff_reads_only_touched_targets_and_matches_a_full_comparison(
    db: Database, tmp_path: Path
) -> None:
    """Versions 1 → 2 drop an alias and a target, 2 → 3 restore both: 1 and 3 do not differ,
    and every pair of versions agrees with the difference of the files themselves."""
    from prisonwatch.sanctions.diff import diff_statements
    from prisonwatch.store.sanctions import facts_of, read_list

    t1 = tf.base_targets(20)
    t2 = [dict(t) for t in t1 if t["id"] != "V1"]
    t2[0] = tf.person(
        "P1",
        "LUKASHENKA, Alyaksandr",
        birthDate=["1954-08-30"],
        program=["BELARUS"],
        nationality=["by"],
    )
    t2[5] = tf.person("P7", "PERSON 7 RENAMED", program=["BELARUS"])
    files = [
        tf.write_list(tmp_path / f"v{i}.json", t, published=f"2025-0{i}-01")
        for i, t in enumerate((t1, t2, t1), 1)
    ]
    for f in files:
        import_list(db, f, actor="a")
    facts = [facts_of(read_list(f).targets) for f in files]
    with db.session() as s:
        v = [resolve_version(s, f"1:{n}") for n in (1, 2, 3)]
        assert version_diff(s, v[0], v[2]).empty
        for i in range(3):
            for j in range(3):
                assert (
                    version_diff(s, v[i], v[j]).as_json()
                    == diff_statements(facts[i], facts[j]).as_json()
                ), (i, j)


def test_target_view_names_other_authorities_listing_the_same_name(
    db: Database, tmp_path: Path
) -> None:
    t = tf.base_targets(6)
    import_list(db, tf.write_list(tmp_path / "us.json", t, authority="US OFAC"), actor="a")
    eu = [tf.person("EU.1", "Lukashenka, Alyaksandr"), tf.person("EU.2", "Someone Else")]
    import_list(db, tf.write_list(tmp_path / "eu.json", eu, authority="EU"), actor="a")
    with db.session() as s:
        us_id = s.scalar(select(SanctionsTarget.id).where(SanctionsTarget.ref == "P1"))
        assert us_id is not None
        view = target_view(s, us_id)
        assert [(o.authority, o.ref) for o in view.same_names] == [("EU", "EU.1")]
        assert view.as_json()["same_names_elsewhere"][0]["ref"] == "EU.1"


def test_another_format_of_the_same_list_is_told_apart(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_list(db, tf.write_list(tmp_path / "v1.json", tf.base_targets(12)), actor="a")
    monkeypatch.setattr(tf, "__name__", "prisonwatch.sanctions.formats.pwtest_other")
    changed = tf.base_targets(12)
    changed[0]["caption"] = "Lukashenka, Alyaksandr"
    r = import_list(db, tf.write_list(tmp_path / "v2.json", changed), actor="a")
    assert r.parser == "pwtest_other" and r.cause == "format" and r.changed == 1


def test_name_search_sees_names_of_a_newer_version(db: Database, tmp_path: Path) -> None:
    t = tf.base_targets(6)
    import_list(db, tf.write_list(tmp_path / "v1.json", t), actor="a")
    with db.session() as s:
        assert find_targets(s, "Dzmitry Zmitrovich") == []
    t.append(tf.person("P77", "ZMITROVICH, Dzmitry"))
    import_list(db, tf.write_list(tmp_path / "v2.json", t, published="2025-02-01"), actor="a")
    with db.session() as s:
        assert [h.target.ref for h in find_targets(s, "Dzmitry Zmitrovich")] == ["P77"]


@pytest.mark.parametrize("main", ["sdn.csv", "cons_prim.csv"])
def test_content_hash_of_an_ofac_csv_set_covers_its_other_files(tmp_path: Path, main: str) -> None:
    from prisonwatch.store.sanctions import content_hash

    prefix = "" if main == "sdn.csv" else "cons_"
    (tmp_path / main).write_bytes(b"1,A\r\n")
    alt = tmp_path / f"{prefix}alt.csv"
    alt.write_bytes(b"1,1,aka,B\r\n")
    (tmp_path / "unrelated.txt").write_bytes(b"x")
    before = content_hash(tmp_path / main)
    assert content_hash(tmp_path) != before  # the folder hashes every file in it
    alt.write_bytes(b"1,1,aka,C\r\n")
    changed = content_hash(tmp_path / main)
    assert changed != before
    (tmp_path / "unrelated.txt").write_bytes(b"y")  # not part of the set
    assert content_hash(tmp_path / main) == changed
