"""Parse time (wall and CPU) and peak memory of an FtM entities file of 1,000,000 statements.

Generates (once; reused when present) a JSON-lines file in ``--dir`` by repeating the real
sample ``sanctions-samples/opensanctions-zala-cluster-entities.ftm.json`` (91 entities: 14
targets with their Sanction, Address, Passport, Ownership, Family... records) with unique ids:
copy *k* renames every entity id and referent, and every property value that refers to one,
with the suffix ``-k``, so links between the records of a copy stay intact. Copies are added
until the file holds ``--statements`` statements (one per property value, as in FtM's
statement model).

Then, in a fresh child process, does what ``prisonwatch sanctions import`` does to read it
(format detection, :func:`parse`, every target consumed) and prints the wall time, the
targets and statements read, and the child's peak memory (max RSS).

Run: ``.venv/bin/python benchmarks/sanctions_ftm.py [--statements 1000000] [--dir /tmp]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SAMPLE = "opensanctions-zala-cluster-entities.ftm.json"


def _sample_path() -> Path:
    """The sample in ``../shared/data`` beside the checkout (or a worktree's parents)."""
    for parent in Path(__file__).resolve().parents:
        p = parent / "shared" / "data" / "sanctions-samples" / SAMPLE
        if p.exists():
            return p
    raise SystemExit(f"sample not found (looked for {SAMPLE} in ../shared/data)")


def _statements(entity: dict[str, Any]) -> int:
    return sum(len(values) for values in entity["properties"].values())


def _renamed(entity: dict[str, Any], ids: set[str], suffix: str) -> dict[str, Any]:
    out = dict(entity)
    out["id"] = entity["id"] + suffix
    out["referents"] = [r + suffix for r in entity.get("referents") or ()]
    out["properties"] = {
        prop: [v + suffix if v in ids else v for v in values]
        for prop, values in entity["properties"].items()
    }
    return out


def generate(path: Path, statements: int) -> tuple[int, int]:
    sample = [json.loads(line) for line in _sample_path().open(encoding="utf-8")]
    ids = {e["id"] for e in sample} | {r for e in sample for r in e.get("referents") or ()}
    per_copy = sum(_statements(e) for e in sample)
    copies = -(-statements // per_copy)
    with path.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for e in sample:
                fh.write(json.dumps(_renamed(e, ids, f"-{k}"), ensure_ascii=False))
                fh.write("\n")
    return copies * len(sample), copies * per_copy


def child(path: str) -> None:
    from prisonwatch.sanctions.formats import detect

    started = time.perf_counter()
    module = detect(Path(path))
    parsed = module.parse(Path(path))
    targets = statements = 0
    for t in parsed.targets:
        targets += 1
        statements += sum(1 for _ in t.statements())
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kib = usage.ru_maxrss
    print(
        json.dumps(
            {
                "format": module.FORMAT,
                "targets": targets,
                "target_statements": statements,
                "seconds": round(elapsed, 1),
                "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
                "peak_rss_mib": round(peak_kib / 1024),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--statements", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp"))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    path = args.dir / f"pw-bench-ftm-{args.statements}.ftm.json"
    if path.exists():
        print(f"reusing {path}")
    else:
        t0 = time.perf_counter()
        entities, stmts = generate(path, args.statements)
        print(
            f"generated {path}: {entities:,} entities, {stmts:,} statements, "
            f"{path.stat().st_size / 2**20:.0f} MiB in {time.perf_counter() - t0:.1f} s"
        )
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout)
    print(
        f"parsed ({result['format']}): {result['targets']:,} targets, "
        f"{result['target_statements']:,} target statements, {result['seconds']} s wall "
        f"({result['cpu_seconds']} s CPU, incl. imports), "
        f"peak memory {result['peak_rss_mib']} MiB"
    )


if __name__ == "__main__":
    main()
