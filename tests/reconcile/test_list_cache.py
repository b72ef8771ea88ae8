"""A big list read once and loaded again (``prisonwatch.reconcile.list_cache``): the rows loaded
are exactly those a fresh read gives, and a changed file, another way of reading it or a bad
file never gets an old result."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from prisonwatch.reconcile import InputError, list_cache, read_list, reading

FILES = {
    "ids": "id,name,birth_year\nR1,Статкевіч Мікалай,1956\nR2,Ihar  Losik,1992\n\nR3,Бяцкая Юлія,\n",
    "no ids, repeated name": "name;gender;region\nЛосик Игорь;m;Брест\nЛосик Игорь;f;\nAna;;Minsk\n",
    "multiline cell, quotes": (
        'id,name,note,born\nA,"Kolesnikova, Maria","two\nlines",1982-06-24\nB,Іван,"a ""quote""",\n'
    ),
    "short rows": "id,name,dob,sex\nX1,Ales Bialiatski\nX2,Ирина Петрова,1970,female\n",
}
ARGS: list[dict[str, Any]] = [
    {},
    {"id_col": None},
    {"list_key": "Released, March", "original_filename": "upload.csv"},
    {"birth_col": None, "gender_col": None, "region_col": None},
]


@pytest.fixture(autouse=True)
def cache_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_cache, "MIN_BYTES", 0)


def _read_or_error(path: Path, args: dict[str, Any]) -> list[reading.ListRow] | str:
    try:
        return read_list(path, **args)
    except InputError as exc:
        return f"error: {exc}"


@pytest.mark.parametrize("kind", sorted(FILES))
@pytest.mark.parametrize("args", ARGS, ids=lambda a: ",".join(a) or "defaults")
def test_loaded_rows_equal_a_fresh_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, args: dict[str, Any]
) -> None:
    f = tmp_path / "right.csv"
    f.write_text(FILES[kind], encoding="utf-8")
    expected = _read_or_error(f, args)
    if isinstance(expected, str):  # e.g. no id column: the cache must give the same error
        with pytest.raises(InputError):
            list_cache.cached_read_list(tmp_path / "cache", f, **args)
        assert not list((tmp_path / "cache").glob("*.npz"))
        return
    first = list_cache.cached_read_list(tmp_path / "cache", f, **args)
    assert first == expected
    saved = list((tmp_path / "cache").glob("list-*.npz"))
    assert len(saved) == 1
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700

    def no_read(*_a: object, **_k: object) -> None:
        raise AssertionError("read again instead of loaded")

    monkeypatch.setattr(reading, "read_list", no_read)
    again = list_cache.cached_read_list(tmp_path / "cache", f, **args)
    assert again == expected
    assert [r.birth for r in again] == [r.birth for r in expected]


def test_a_changed_file_or_another_read_is_not_served_from_the_cache(tmp_path: Path) -> None:
    f = tmp_path / "right.csv"
    f.write_text("id,name\nR1,Ihar Losik\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert [r.name for r in list_cache.cached_read_list(cache, f)] == ["Ihar Losik"]
    f.write_text("id,name\nR1,Ihar Losyk\n", encoding="utf-8")  # same size, other bytes
    assert [r.name for r in list_cache.cached_read_list(cache, f)] == ["Ihar Losyk"]
    keyed = list_cache.cached_read_list(cache, f, list_key="other")
    assert [r.key for r in keyed] == ["list:other:id:R1"]
    assert len(list(cache.glob("list-*.npz"))) == 3


def test_a_bad_file_stops_with_its_message_and_saves_nothing(tmp_path: Path) -> None:
    f = tmp_path / "right.csv"
    f.write_text("id,name\nR1,Ihar Losik\nR1,Maria Kalesnikava\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3.*already used on row 2"):
        list_cache.cached_read_list(tmp_path / "cache", f)
    assert not list((tmp_path / "cache").glob("*.npz"))


def test_a_damaged_cache_file_is_read_again(tmp_path: Path) -> None:
    f = tmp_path / "right.csv"
    f.write_text("id,name\nR1,Ihar Losik\n", encoding="utf-8")
    cache = tmp_path / "cache"
    list_cache.cached_read_list(cache, f)
    (saved,) = cache.glob("list-*.npz")
    saved.write_bytes(b"not a zip file")
    assert [r.id for r in list_cache.cached_read_list(cache, f)] == ["R1"]
    assert saved.stat().st_size > len(b"not a zip file")


def test_small_files_are_read_directly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_cache, "MIN_BYTES", 1 << 20)
    f = tmp_path / "left.csv"
    f.write_text("id,name\nL1,Ihar Losik\n", encoding="utf-8")
    assert [r.id for r in list_cache.cached_read_list(tmp_path / "cache", f)] == ["L1"]
    assert not list((tmp_path / "cache").glob("*.npz"))
