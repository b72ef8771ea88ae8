"""Parse time and peak memory of a full-size OFAC advanced XML, and the diff of two versions.

    PYTHONPATH=src .venv/bin/python benchmarks/sanctions_parse.py               # 18,000 parties
    PYTHONPATH=src .venv/bin/python benchmarks/sanctions_parse.py --parties 2000

Builds an ``sdn_advanced.xml``-like file of ``--parties`` DistinctParty elements by
multiplying the structure of the 2020-03-17 sample (``ofac-consolidated-advanced-…``): its
ReferenceValueSets once, then copy k of each Location, IDRegDocument, DistinctParty,
ProfileRelationship and SanctionsEntry with every record id (not the reference-value ids)
shifted by k·1,000,000, so ids are unique and every reference still resolves. It writes it to
a temporary folder and then, each in a fresh child process (so the peak RSS is the step's own):

1. parses it with ``ofac_advanced_xml`` (targets counted, not kept) — targets < 60 s, < 1 GB;
2. builds a second version — 1 % of the parties removed, 1 % added, 2 % changed (the primary
   name's first part gets a suffix) — and diffs the two with ``sanctions.diff.diff_targets``,
   printing the counts found against the counts planted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = "shared/data/sanctions-samples/ofac-consolidated-advanced-2020-03-17-sample.xml"
SHIFT = 1_000_000
#: attributes holding record ids (shifted per copy); the others point into ReferenceValueSets
RECORD_ATTRS = (
    "ID",
    "FixedRef",
    "LocationID",
    "IdentityID",
    "NamePartGroupID",
    "FeatureVersionID",
    "IDRegDocumentID",
    "DocumentedNameID",
    "ProfileID",
    "From-ProfileID",
    "To-ProfileID",
    "SanctionsEntryID",
    "IssuedIn-LocationID",
)
_RECORD_ID = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, RECORD_ATTRS)) + r')="(\d+)"')
SECTIONS = (
    ("Locations", r'<Location ID="'),
    ("IDRegDocuments", r'<IDRegDocument ID="'),
    ("DistinctParties", r"<DistinctParty "),
    ("ProfileRelationships", r'<ProfileRelationship ID="'),
    ("SanctionsEntries", r'<SanctionsEntry ID="'),
)


def _find_sample() -> Path:
    """``…/shared/data/sanctions-samples/…`` above this checkout (or its worktree)."""
    for parent in Path(__file__).resolve().parents:
        if (parent / SAMPLE).exists():
            return parent / SAMPLE
    raise SystemExit(f"sample not found: ../{SAMPLE}")


def _blocks(text: str, start: str) -> list[str]:
    tag = start.strip("<").split()[0]
    return re.findall(start + r".*?</" + tag + ">", text, flags=re.S)


def _shift(block: str, k: int) -> str:
    if k == 0:
        return block
    return _RECORD_ID.sub(lambda m: f'{m[1]}="{int(m[2]) + k * SHIFT}"', block)


def _change(party: str) -> str:
    """The first name part of the party (its primary name) gets a suffix."""
    return re.sub(r"(<NamePartValue [^>]*>)([^<]*)(<)", r"\1\2 CHANGED\3", party, count=1)


def build(path: Path, parties: int, *, removed: set[int], changed: set[int], extra: int) -> int:
    """Write a file of ``parties`` (+ ``extra``) parties; party i is copy i // 32 of sample
    party i % 32. Returns the number of parties written."""
    text = _find_sample().read_text(encoding="utf-8")
    head = text[: text.index("</ReferenceValueSets>") + len("</ReferenceValueSets>")]
    blocks = {name: _blocks(text, start) for name, start in SECTIONS}
    per_copy = len(blocks["DistinctParties"])
    total = parties + extra
    copies = -(-total // per_copy)
    keep = {i for i in range(parties) if i not in removed} | set(range(parties, total))
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(head + "\n")
        for name, _start in SECTIONS:
            out.write(f"  <{name}>\n")
            for k in range(copies):
                for j, block in enumerate(blocks[name]):
                    if name == "DistinctParties":
                        i = k * per_copy + j
                        if i not in keep:
                            continue
                        block = _change(block) if i in changed else block
                        written += 1
                    out.write("    " + _shift(block, k) + "\n")
            out.write(f"  </{name}>\n")
        out.write("  <SanctionsEntryLinks />\n</Sanctions>\n")
    return written


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_parse(path: Path) -> dict[str, float | int | str]:
    from prisonwatch.sanctions.formats import detect

    start, cpu = time.perf_counter(), time.process_time()
    module = detect(path)
    parsed = module.parse(path)
    count = sum(1 for _t in parsed.targets)
    return {
        "format": parsed.header.format,
        "list": parsed.header.list_name,
        "targets": count,
        "seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def child_diff(old: Path, new: Path) -> dict[str, float | int]:
    from prisonwatch.sanctions.diff import diff_targets
    from prisonwatch.sanctions.formats import parse

    start, cpu = time.perf_counter(), time.process_time()
    result = diff_targets(parse(old).targets, parse(new).targets)
    return {
        "added": len(result.added),
        "removed": len(result.removed),
        "changed": len(result.changed),
        "seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def _run_child(*args: str) -> dict[str, float | int | str]:
    # the children read this checkout's sources, whatever PYTHONPATH the caller exported
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr}")
    result: dict[str, float | int | str] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=18_000)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--child-parse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-diff", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_parse:
        print(json.dumps(child_parse(args.child_parse)))
        return
    if args.child_diff:
        print(json.dumps(child_diff(*args.child_diff)))
        return

    n = args.parties
    removed = {i for i in range(n) if i % 100 == 50}  # 1 %
    changed = {i for i in range(n) if i % 50 == 7}  # 2 %
    extra = n // 100  # 1 % added
    with tempfile.TemporaryDirectory(prefix="pw_sanctions_bench_") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        v1, v2 = folder / "sdn_advanced_v1.xml", folder / "sdn_advanced_v2.xml"
        t0 = time.perf_counter()
        written1 = build(v1, n, removed=set(), changed=set(), extra=0)
        written2 = build(v2, n, removed=removed, changed=changed, extra=extra)
        build_s = time.perf_counter() - t0
        print(
            f"built v1: {written1:,} parties, {v1.stat().st_size / 1e6:.1f} MB; "
            f"v2: {written2:,} parties, {v2.stat().st_size / 1e6:.1f} MB ({build_s:.1f} s)"
        )
        parse1 = _run_child("--child-parse", str(v1))
        print(
            f"parse v1 ({parse1['format']}, {parse1['list']}): {parse1['targets']:,} targets "
            f"in {parse1['seconds']} s wall ({parse1['cpu_seconds']} s CPU), "
            f"peak RSS {parse1['peak_rss_mb']} MB "
            f"(targets < 60 s, < 1024 MB)"
        )
        diff = _run_child("--child-diff", str(v1), str(v2))
        print(
            f"diff v1 -> v2 (two parses + set difference): {diff['seconds']} s wall "
            f"({diff['cpu_seconds']} s CPU), "
            f"peak RSS {diff['peak_rss_mb']} MB"
        )
        print(
            f"  found   added {diff['added']:,}, removed {diff['removed']:,}, "
            f"changed {diff['changed']:,}"
        )
        print(f"  planted added {extra:,}, removed {len(removed):,}, changed {len(changed):,}")


if __name__ == "__main__":
    main()
