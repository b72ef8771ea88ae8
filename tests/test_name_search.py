"""NameSearch on a real registry (SQLite and PostgreSQL): hits are checked against the registry,
new names are picked up, and a big registry's index is saved and loaded from the cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from prisonwatch import name_search as search_mod
from prisonwatch.name_search import NameSearch
from prisonwatch.store.db import Database
from prisonwatch.store.registry import NameInput, PersonInput, Registry


def _person(db: Database, *names: str, private: bool = False) -> tuple[int, list[int]]:
    with db.session() as s:
        reg = Registry(s, "test")
        vis = "private" if private else "public"
        p = reg.add_person(
            PersonInput(
                names=[NameInput(n, visibility=vis, is_primary=i == 0) for i, n in enumerate(names)]
            )
        )
        s.flush()
        return p.id, [n.id for n in p.names]


def test_hits_follow_edits_removals_and_privacy(db: Database) -> None:
    statkevich, (nid, _) = _person(db, "Мікалай Статкевіч", "Mikalai Statkevich")
    secret, _ids = _person(db, "Ihar Losik", private=True)
    search = NameSearch(db)
    search.build()
    hits = search.search("Statkevich Nikolai", include_private=False)
    assert [h.person_id for h in hits] == [statkevich]
    assert search.search("Игорь Лосик", include_private=False) == []
    assert [h.person_id for h in search.search("Игорь Лосик", include_private=True)] == [secret]

    # a name added after the build is found without a rebuild
    newcomer, _ids = _person(db, "Марыя Калеснікава")
    assert [h.person_id for h in search.search("Maria Kolesnikova", include_private=False)] == [
        newcomer
    ]

    # edited after the build: the hit shows (and is scored on) the current spelling
    with db.session() as s:
        Registry(s, "test").edit_name(nid, {"text": "Мікалай Статкевіч-Новы"})
    shown = {h.name for h in search.search("Statkevich Nikolai", include_private=False)}
    assert "Мікалай Статкевіч" not in shown
    assert shown <= {"Мікалай Статкевіч-Новы", "Mikalai Statkevich"}


def test_big_registry_index_is_saved_then_loaded(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_mod, "CACHE_MIN_NAMES", 2)
    pid, _ids = _person(sqlite_db, "Мікалай Статкевіч", "Mikalai Statkevich")
    cache = tmp_path / "cache"
    first = NameSearch(sqlite_db, cache_dir=cache)
    first.build()
    assert not first.loaded_from_cache
    files = list(cache.glob("web-*.npz"))
    assert len(files) == 1
    # owner-only: the file holds private names too
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700

    second = NameSearch(sqlite_db, cache_dir=cache)
    second.build()
    assert second.loaded_from_cache
    assert [h.person_id for h in second.search("Statkevich", include_private=False)] == [pid]

    # another name: another digest, a new build, and the old file is gone
    _person(sqlite_db, "Ihar Losik")
    third = NameSearch(sqlite_db, cache_dir=cache)
    third.build()
    assert not third.loaded_from_cache
    assert [p.name for p in cache.glob("web-*.npz")] != [files[0].name]
    assert len(list(cache.glob("web-*.npz"))) == 1


def test_small_registry_is_not_cached(sqlite_db: Database, tmp_path: Path) -> None:
    _person(sqlite_db, "Мікалай Статкевіч")
    s = NameSearch(sqlite_db, cache_dir=tmp_path / "cache")
    s.build()
    assert not (tmp_path / "cache").exists()


def test_searches_move_the_caches_they_fill_out_of_the_collectors_way(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    monkeypatch.setattr(search_mod, "FREEZE_EVERY", 3)
    _person(sqlite_db, "Мікалай Статкевіч", "Mikalai Statkevich")
    search = NameSearch(sqlite_db)
    search.build()
    gc.unfreeze()
    try:
        search.search("Statkevich", include_private=False)
        search.search("Статкевич Николай", include_private=False)
        assert gc.get_freeze_count() == 0
        search.search("Mikalai", include_private=False)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        # what the searches cached is among the frozen objects, not left for full passes
        assert len(gc.get_objects(generation=2)) < frozen
    finally:
        gc.unfreeze()


def test_equal_scores_keep_the_closer_spelling_first(db: Database) -> None:
    _person(db, "Alena Kamanienka")
    _person(db, "Andrei Kamanienka")
    exact, _ids = _person(db, "Maksim Kamaenka")
    search = NameSearch(db)
    search.build()
    hits = search.search("kamaenka", include_private=False)
    assert len(hits) == 3 and len({h.score for h in hits}) == 1
    assert hits[0].person_id == exact


def test_a_typed_surname_is_fully_answered_exact_spelling_first(db: Database) -> None:
    """Issue 16 §5: everyone of the typed surname is a full hit, the exact spelling first."""
    russian, _ = _person(db, "Николай Статкевич")
    belarusian, _ = _person(db, "Мікалай Статкевіч")
    other, _ = _person(db, "Мікалай Статкевіч-Баранаў Іванавіч")
    search = NameSearch(db)
    search.build()
    hits = search.search("Статкевіч", include_private=False)
    assert hits[0].person_id == belarusian and hits[0].answer.exact
    by_person = {h.person_id: h for h in hits}
    assert by_person[russian].answer.full and not by_person[russian].answer.exact
    assert (
        by_person[russian].answer.reason == "Статкевіч ≈ Статкевич: Belarusian/Russian forms, и/і"
    )
    assert by_person[russian].score < 0.8  # the pair score stays what comparison needs
    assert by_person[other].answer.full  # a double surname holding the typed one answers it


def test_the_name_shown_is_the_one_that_answers_the_query(db: Database) -> None:
    pid, _ = _person(db, "Багдановіч Вікторыя", "Viktoryia Bahdanovich")
    search = NameSearch(db)
    search.build()
    (hit,) = search.search("Bahdanovich", include_private=False)
    assert hit.person_id == pid
    assert hit.name == "Viktoryia Bahdanovich" and hit.answer.exact


def test_a_restore_is_noticed_without_a_restart(tmp_path: Path) -> None:
    """The restored registry's names have ids the index already holds (for other names):
    the search rebuilds its index after a restore instead of missing the restored people."""
    from prisonwatch.io.backup import backup, restore

    other = Database(f"sqlite:///{tmp_path / 'other.db'}")
    other.migrate()
    restored, _ = _person(other, "Мікалай Статкевіч", "Mikalai Statkevich")
    backup(other, tmp_path / "other-backup.db")
    served = Database(f"sqlite:///{tmp_path / 'served.db'}")
    served.migrate()
    _person(served, "Maria Kolesnikova", "Марыя Калеснікава")
    search = NameSearch(served)
    search.build()
    assert search.search("Statkevich", include_private=False) == []
    restore(served, tmp_path / "other-backup.db")
    hits = search.search("Statkevich", include_private=False)
    assert [h.person_id for h in hits] == [restored]
    assert search.search("Kolesnikova", include_private=False) == []


def test_a_server_builds_the_name_tagger_before_it_serves(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rigour's tagger takes 10-20 s to build and holds the GIL; a server must not leave it to
    the first reader who searches in Chinese or Arabic. Tests and the CLI build no tagger."""
    import prisonwatch.names.groups as groups

    calls: list[str] = []
    monkeypatch.setattr(groups, "warm_up", lambda: calls.append("warm"))
    NameSearch(sqlite_db).start(background=False)
    assert calls == []
    NameSearch(sqlite_db).start(background=True)
    assert calls == ["warm"]
