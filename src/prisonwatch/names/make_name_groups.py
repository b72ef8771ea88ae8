"""Generate ``data/name_groups.txt.gz`` — the given-name groups table — from ``rigour``.

The table maps every single-word name form in Latin or Cyrillic letters that rigour's person
tagger knows to the Wikidata ids of its name groups, *exactly* as
``rigour.names.analyze_names`` tags that word: the forms are read from rigour's own corpus
files, and the ids of each form are asked from rigour itself. Loading the table takes
milliseconds; building rigour's tagger takes 5-20 s per process, which every ``compare`` and
every index build used to pay.

Source: rigour 2.6.1 (OpenSanctions, MIT licence — see ``data/LICENSE-rigour.txt``), the
pinned version. Its corpus files ship in the sdist only (``rust/data/names/person_names.txt``
and ``symbols.json``): download ``rigour-2.6.1.tar.gz`` from PyPI (the link on
https://pypi.org/simple/rigour/; sha256
``f5e3736252f11b90ac32387f6fa02182a021dfd28ad90c6065d8e5bca0b2e8e5``), then::

    tar xzf rigour-2.6.1.tar.gz
    .venv/bin/python -m prisonwatch.names.make_name_groups rigour-2.6.1/rust/data/names

Re-run it whenever the rigour pin changes.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from prisonwatch.names.groups import TABLE_PATH, in_table_alphabet, rigour_name_groups


def _forms(folder: Path) -> set[str]:
    from rigour.names import tokenize_name

    forms: set[str] = set()

    def add(alias: str) -> None:
        toks = tokenize_name(alias.casefold())
        if len(toks) == 1 and in_table_alphabet(toks[0]):
            forms.add(toks[0])

    with (folder / "person_names.txt").open(encoding="utf-8") as fh:
        for line in fh:
            aliases, sep, _gid = line.strip().rpartition(" => ")
            if sep:
                for alias in aliases.split(", "):
                    add(alias)
    symbols = json.loads((folder / "symbols.json").read_text(encoding="utf-8"))
    for section in ("person_name_parts", "person_nick", "person_symbols"):
        for aliases in symbols.get(section, {}).values():
            for alias in aliases:
                add(alias)
    return forms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="rigour-2.6.1/rust/data/names")
    ap.add_argument("-o", "--output", type=Path, default=TABLE_PATH)
    args = ap.parse_args()
    rows: list[str] = []
    for form in sorted(_forms(args.folder)):
        ids = rigour_name_groups(form)
        if ids:
            rows.append(form + "\t" + " ".join(sorted(ids)))
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(rows) + "\n")
    print(f"{len(rows):,} forms -> {args.output}")


if __name__ == "__main__":
    main()
