"""The name-group table answers like rigour; the first compare needs no rigour tagger;
the index reaches words two edits away and keeps working through save/load."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np

from prisonwatch.names import CandidateIndex
from prisonwatch.names.features import _nominatives
from prisonwatch.names.groups import name_groups, rigour_name_groups
from prisonwatch.names.index.hashing import neighbourhood, query_hashes
from prisonwatch.names.parse import split_words
from prisonwatch.names.translit import detect_language, to_ascii


def test_group_table_answers_like_rigour(shared_data: Path) -> None:
    words: set[str] = {"igorʹ", "dar'ya", "мікалай", "nicholas", "николаю"}
    with (shared_data / "names-dev.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lang = detect_language(row["name"])
            head, tail = split_words(row["name"])
            for w in head + tail:
                low = w.lower()
                words.update({low, to_ascii(w, lang), *_nominatives(low)})
    differ = [w for w in sorted(words) if name_groups(w) != rigour_name_groups(w)]
    assert not differ, differ[:20]
    assert name_groups("Мікалай") & name_groups("Nicholas")


def test_first_compare_does_not_load_rigour() -> None:
    code = (
        "import sys\n"
        "from prisonwatch.names import compare, search_key\n"
        "r = compare('Аляксандр Лукашэнка', 'Alexander LUKASHENKO')\n"
        "k = search_key('Лукашэнка')\n"
        "print(r.score >= 0.8, 'rigour.names' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["True", "False"]


def test_query_hashes_meet_the_vocabulary_neighbourhood() -> None:
    vocab = ["zavebaevich", "statkevich", "ivanov"]
    hashes, owner = neighbourhood(vocab)
    reach = {
        q: {vocab[int(o)] for o in owner[np.isin(hashes, query_hashes(q))]}
        for q in ["zavebaevits", "statkevch", "ivanof", "ivonaf", "statkewytsh"]
    }
    assert reach["zavebaevits"] == {"zavebaevich"}  # 2 edits, long word
    assert reach["statkevch"] == {"statkevich"}  # 1 edit
    assert reach["ivanof"] == {"ivanov"}
    assert reach["ivonaf"] == set()  # 2 edits in a short word: not a spelling variant
    assert reach["statkewytsh"] == set()


def test_two_edit_surname_with_a_common_given_name_is_a_candidate(tmp_path: Path) -> None:
    names = [(i, f"Александр Иванович Петров{i:05d}") for i in range(3000)]
    names.append(("z", "Завебаевич Александр Иванович"))
    idx = CandidateIndex.build(names)
    assert "z" in idx.candidates("Aleksandr Zavebaevic", limit=5)
    assert idx.search("Aleksandr Zavebaevic", limit=1)[0][0] == "z"
    idx.save(tmp_path / "i.npz")
    loaded = CandidateIndex.load(tmp_path / "i.npz")
    assert loaded.candidates("Aleksandr Zavebaevic", limit=5) == idx.candidates(
        "Aleksandr Zavebaevic", limit=5
    )
    loaded.add("y", "Ihar Losik")
    assert loaded.search("Игорь Лосик")[0][0] == "y"
