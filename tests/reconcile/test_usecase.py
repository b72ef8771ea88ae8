"""reconcile/usecase.py on its own: a run without a registry, and a stopped run."""

from __future__ import annotations

from pathlib import Path

import pytest

from prisonwatch.io.limits import StopSignal
from prisonwatch.reconcile import InputError
from prisonwatch.reconcile.usecase import ListFile, reconcile_lists


@pytest.fixture
def files(tmp_path: Path) -> tuple[ListFile, ListFile]:
    left, right = tmp_path / "demanded.csv", tmp_path / "upload-1.csv"
    left.write_text("id,name\n1,Ihar Losik\n2,Maksim Znak\n", encoding="utf-8")
    right.write_text("code,full name\na,Igor Losik\n", encoding="utf-8")
    return ListFile(left), ListFile(right, "code", "full name", shown_name="released.csv")


def test_without_a_registry(files: tuple[ListFile, ListFile]) -> None:
    seen: list[str] = []
    done = reconcile_lists(*files, registry=None, progress=lambda st, _d, _t: seen.append(st))
    assert (done.left_label, done.right_label, done.title) == (
        "demanded",
        "released",  # the shown name, not the temporary file's
        "demanded × released",
    )
    assert done.queued == 0
    assert done.result.counts == {"matched": 1, "review": 0, "left_only": 1, "right_only": 0}
    (losik,) = done.result.by_verdict("match")
    assert losik.right is not None and losik.right.key.startswith("list:released:")
    assert "match" in seen


def test_a_stopped_run_is_an_input_error(files: tuple[ListFile, ListFile]) -> None:
    stop = StopSignal(seconds=600)
    stop.stop("the client went away")
    with pytest.raises(InputError, match="stopped: the client went away"):
        reconcile_lists(*files, registry=None, stop=stop)
