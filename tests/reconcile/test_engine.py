"""The reconciliation logic with a transparent test matcher (the real matcher is exercised by
test_story.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from prisonwatch.dates import PartialDate
from prisonwatch.reconcile import ListRow, ReconcileOptions, reconcile


def rows(side: str, *names: str, **evidence: list[object]) -> list[ListRow]:
    out = []
    for i, name in enumerate(names, start=1):
        extra = {k: v[i - 1] for k, v in evidence.items()}
        out.append(
            ListRow(key=f"list:{side}:id:{i}", row_number=i + 1, id=str(i), name=name, **extra)
        )  # type: ignore[arg-type]
    return out


@dataclass
class J:
    id: int
    left_key: str
    right_key: str
    decision: str
    user: str = "ana"
    at: dt.datetime = dt.datetime(2025, 9, 12)
    withdrawn_at: dt.datetime | None = None


def test_plain_lists(toy_options: ReconcileOptions) -> None:
    left = rows("l", "Ihar Losik", "Maryia Kalesnikava", "Ales Bialiatski")
    right = rows("r", "Kalesnikava Maryia", "Losik Ihar", "Siarhei Tsikhanouski")
    result = reconcile(left, right, toy_options)
    got = [(p.left.name, p.right.name if p.right else None, p.verdict) for p in result.pairs]
    assert got == [
        ("Ihar Losik", "Losik Ihar", "match"),
        ("Maryia Kalesnikava", "Kalesnikava Maryia", "match"),
        ("Ales Bialiatski", None, "unmatched"),
    ]
    assert result.counts == {"matched": 2, "review": 0, "left_only": 1, "right_only": 1}
    assert [r.name for r in result.right_unmatched] == ["Siarhei Tsikhanouski"]
    assert "no candidate reaches 0.70" in result.pairs[2].why


def test_one_to_one_with_two_identical_names_on_the_left(toy_options: ReconcileOptions) -> None:
    left = rows("l", "Ivan Petrou", "Ivan Petrou", "Ihar Losik")
    right = rows("r", "Petrou Ivan", "Ihar Losik")
    result = reconcile(left, right, toy_options)
    rights = [p.right.key for p in result.pairs if p.right is not None]
    assert len(rights) == len(set(rights)) == 2
    first, second, third = result.pairs
    assert first.verdict == "review"
    assert "ambiguous: left 2 'Ivan Petrou'" in first.why
    assert second.verdict == "unmatched"
    assert "is matched to left 1 'Ivan Petrou'" in second.why
    assert third.verdict == "match"


def test_one_to_one_with_two_near_identical_names_on_the_right(
    toy_options: ReconcileOptions,
) -> None:
    left = rows("l", "Ivan Petrou")
    right = rows("r", "Ivan Petrou", "Ivan Petrov")
    (pair,) = reconcile(left, right, toy_options).pairs
    assert pair.right is not None and pair.right.name == "Ivan Petrou"
    # 0.91 for the other spelling is not within the margin of 1.00: a clear match.
    assert pair.verdict == "match"
    (pair,) = reconcile(left, rows("r", "Ivan Petrou", "Petrou Ivan"), toy_options).pairs
    assert pair.verdict == "review"
    assert "ambiguous: right 2 'Petrou Ivan' scores 1.00 too" in pair.why


def test_a_near_tie_is_resolved_globally(toy_options: ReconcileOptions) -> None:
    # Greedy row by row would give "Anna Kavaliova" (row 1) the first right row and leave the
    # second left row with a poorer partner.
    left = rows("l", "Anna Kavaliova", "Anna Kavalova")
    right = rows("r", "Anna Kavalova", "Anna Kavaliowa")
    result = reconcile(left, right, toy_options)
    assert [p.right.name for p in result.pairs if p.right] == ["Anna Kavaliowa", "Anna Kavalova"]


def test_review_band(toy_options: ReconcileOptions) -> None:
    (pair,) = reconcile(rows("l", "Ihar Losik"), rows("r", "Igor Losik"), toy_options).pairs
    assert pair.verdict == "review"
    assert pair.score == pytest.approx(0.8, abs=0.05)


@pytest.mark.parametrize(
    ("left_ev", "right_ev", "verdict", "fragment"),
    [
        (
            {"birth": PartialDate(1992)},
            {"birth": PartialDate(1992, 5, 3)},
            "match",
            "birth dates agree",
        ),
        # the same name with far-apart birth years or another gender needs a person to look
        (
            {"birth": PartialDate(1992)},
            {"birth": PartialDate(1961)},
            "review",
            "born in different years (1992 vs 1961) -0.30",
        ),
        (
            {"gender": "male"},
            {"gender": "female"},
            "review",
            "gender differs (male vs female) -0.25",
        ),
        ({"birth": PartialDate(1992)}, {"birth": PartialDate(1993)}, "match", "close but differ"),
        ({"region": "Гомель"}, {"region": "Gomel"}, "match", "region agrees"),
        ({"birth": PartialDate(1992)}, {}, "match", ""),
    ],
)
def test_evidence_moves_the_score(
    toy_options: ReconcileOptions,
    left_ev: dict[str, object],
    right_ev: dict[str, object],
    verdict: str,
    fragment: str,
) -> None:
    left = rows("l", "Ihar Losik", **{k: [v] for k, v in left_ev.items()})  # type: ignore[arg-type]
    right = rows("r", "Losik Ihar", **{k: [v] for k, v in right_ev.items()})  # type: ignore[arg-type]
    (pair,) = reconcile(left, right, toy_options).pairs
    assert pair.verdict == verdict
    assert fragment in pair.why


def test_a_weaker_name_with_other_evidence_is_not_linked(toy_options: ReconcileOptions) -> None:
    left = rows("l", "Ihar Losik", birth=[PartialDate(1992)])
    right = rows("r", "Igor Losik", birth=[PartialDate(1961)])
    (pair,) = reconcile(left, right, toy_options).pairs
    assert pair.verdict == "unmatched"
    assert "no candidate reaches 0.70" in pair.why


def test_evidence_penalty_is_explained_when_still_in_band(toy_options: ReconcileOptions) -> None:
    left = rows("l", "Ihar Losik", region=["Minsk"])
    right = rows("r", "Losik Ihar", region=["Brest"])
    (pair,) = reconcile(left, right, toy_options).pairs
    assert pair.name_score == 1.0
    assert pair.score == pytest.approx(0.96)
    assert "region differs (Minsk vs Brest) -0.04" in pair.why


def test_judgements_force_block_and_cap(toy_options: ReconcileOptions) -> None:
    left = rows("l", "Mikalai Statkevich", "Ihar Losik", "Ales Bialiatski")
    right = rows("r", "Статкевіч Мікалай", "Losik Ihar", "Алесь Бяляцкі", "Mikola Statkevic")
    judged = [
        # a transitive chain: left 1 = person 9 = right 1
        J(1, "list:l:id:1", "person:9", "same"),
        J(2, "person:9", "list:r:id:1", "same", user="ben"),
        J(3, "list:l:id:2", "list:r:id:2", "different"),
        J(4, "list:l:id:3", "list:r:id:3", "unsure"),
    ]
    a, b, c = reconcile(left, right, toy_options, judgements=judged).pairs
    assert (a.right.name if a.right else None, a.verdict, a.judged) == (
        "Статкевіч Мікалай",
        "match",
        "same",
    )
    assert "judged same through 2 decisions" in a.why
    assert (b.right, b.verdict) == (None, "unmatched")
    assert "excluded: judged different by ana on 2025-09-12" in b.why
    assert (c.verdict, c.judged) == ("review", "unsure")
    assert c.why.startswith("judged unsure by ana")


def test_rows_sharing_a_key_are_one_record(toy_options: ReconcileOptions) -> None:
    """The names of one registry person: matched once, by the best name."""
    right = [
        ListRow("person:1", 0, "1", "Statkevich Nikolai"),
        ListRow("person:1", 0, "1", "Mikalai Statkevich"),
        ListRow("person:2", 0, "2", "Mikalai Statkevic"),
    ]
    left = rows("l", "Mikalai Statkevich", "Mikalai Statkevich Viktaravich")
    result = reconcile(left, right, toy_options)
    first, second = result.pairs
    assert first.right is not None and first.right.name == "Mikalai Statkevich"
    assert second.right is None or second.right.key == "person:2"
    assert {r.key for r in result.right_unmatched} | {
        p.right.key for p in result.pairs if p.right
    } == {"person:1", "person:2"}


def test_thresholds_are_checked(toy_options: ReconcileOptions) -> None:
    opts = ReconcileOptions(
        matcher=toy_options.matcher,
        index_factory=toy_options.index_factory,
        match_threshold=0.5,
        review_threshold=0.7,
    )
    with pytest.raises(ValueError, match="thresholds"):
        reconcile(rows("l", "A B"), rows("r", "A B"), opts)


def test_progress_is_reported(toy_options: ReconcileOptions) -> None:
    seen: list[tuple[str, int, int]] = []
    reconcile(
        rows("l", "A B", "C D"),
        rows("r", "A B"),
        toy_options,
        progress=lambda s, d, t: seen.append((s, d, t)),
    )
    assert ("index", 1, 1) in seen and ("match", 2, 2) in seen and ("assign", 1, 1) in seen


def test_index_cache_is_built_once_per_right_side(tmp_path: Path) -> None:
    from prisonwatch.reconcile.engine import CachedIndexFactory

    left = rows("l", "Ihar Losik", "Maryia Kalesnikava")
    right = rows("r", "Лосік Ігар", "Калеснікава Марыя", "Бабарыка Віктар")
    opts = ReconcileOptions(exhaustive_pairs=0, index_cache=tmp_path)
    first = reconcile(left, right, opts)
    files = list(tmp_path.glob("*.npz"))
    assert len(files) == 1
    assert files[0] == CachedIndexFactory(tmp_path).path_for([r.name for r in right])
    assert files[0].stat().st_mode & 0o777 == 0o600  # it holds every name, private ones too
    second = reconcile(left, right, opts)
    assert list(tmp_path.glob("*.npz")) == files
    assert [p.right for p in second.pairs] == [p.right for p in first.pairs]
    assert first.counts["matched"] == 2
    reconcile(left, right[:2], opts)
    assert len(list(tmp_path.glob("*.npz"))) == 2


@pytest.mark.parametrize(("max_candidates", "found"), [(5, False), (1000, True)])
def test_namesakes_beyond_the_candidate_limit(
    toy_options: ReconcileOptions, max_candidates: int, found: bool
) -> None:
    """30 namesakes fill every candidate slot; the one born in 1970 is the 26th."""
    years = [PartialDate(1940 + i) for i in range(30)]
    right = rows("r", *["Ivan Petrou"] * 30, birth=years)  # type: ignore[arg-type]
    left = rows("l", "Ivan Petrou", birth=[PartialDate(1965)])  # type: ignore[arg-type]
    opts = ReconcileOptions(
        matcher=toy_options.matcher,
        index_factory=toy_options.index_factory,
        candidates=5,
        max_candidates=max_candidates,
    )
    (pair,) = reconcile(left, right, opts).pairs
    assert pair.right is not None
    assert (pair.right.birth == PartialDate(1965)) is found
    assert pair.verdict == ("match" if found else "review")


def test_forked_workers_give_the_same_result(toy_options: ReconcileOptions) -> None:
    given = ["Ihar", "Maryia", "Ales", "Pavel", "Volha", "Siarhei", "Nasta", "Raman"]
    surnames = ["Losik", "Kalesnikava", "Bialiatski", "Seviarynets", "Znak", "Dziadok"]
    names = [f"{g} {s}" for g in given for s in surnames]
    left = rows("l", *names)
    right = rows("r", *[" ".join(reversed(n.split())) for n in names[::2]], "Ivan Petrou")
    results = [
        reconcile(
            left,
            right,
            ReconcileOptions(
                matcher=toy_options.matcher, index_factory=toy_options.index_factory, workers=w
            ),
        )
        for w in (1, 2)
    ]
    serial, forked = ([(p.right, p.verdict, p.why) for p in r.pairs] for r in results)
    assert serial == forked
    assert results[0].counts["matched"] >= len(names) // 2


def test_a_patronymic_on_one_side_does_not_decide_between_namesakes() -> None:
    # Two records of the same name and birth year, one with a patronymic: the list's row
    # (no patronymic) scores a little higher against the record without one, but that alone
    # must not make it a confident match — the real matcher, the default options.
    left = rows("l", "Aliaksandr Kavalenka", birth=[PartialDate.parse("1975")])
    right = rows(
        "r",
        "Каваленка Аляксандр Іванавіч",
        "Каваленка Аляксандр",
        birth=[PartialDate.parse("1975"), PartialDate.parse("1975")],
    )
    (pair,) = reconcile(left, right, ReconcileOptions()).pairs
    assert pair.right is not None and pair.right.name == "Каваленка Аляксандр"
    assert pair.verdict == "review"
    assert "ambiguous: right 1 'Каваленка Аляксандр Іванавіч'" in pair.why
    # with the namesake's birth year different, the evidence tells them apart
    right[0] = right[0]._replace(birth=PartialDate.parse("1990"))
    (pair,) = reconcile(left, right, ReconcileOptions()).pairs
    assert pair.verdict == "match"


def test_the_cli_passes_the_ambiguity_margin(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from prisonwatch.cli import app

    (tmp_path / "l.csv").write_text("id,name,birth_year\n1,Aliaksandr Kavalenka,1975\n")
    (tmp_path / "r.csv").write_text(
        "id,name,birth_year\n1,Каваленка Аляксандр Іванавіч,1975\n2,Каваленка Аляксандр,1975\n"
    )
    verdicts = []
    for margin in ("0.05", "0.01"):
        out = tmp_path / f"out-{margin}.csv"
        args = ["reconcile", str(tmp_path / "l.csv"), str(tmp_path / "r.csv"), "-o", str(out)]
        result = CliRunner().invoke(app, [*args, "--no-db", "--ambiguity-margin", margin])
        assert result.exit_code == 0, result.output
        verdicts.append(out.read_text().splitlines()[1].split(",")[5])
    assert verdicts == ["review", "match"]
