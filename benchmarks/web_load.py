"""Load test of the web app: N synthetic people in PostgreSQL, `prisonwatch serve` (uvicorn) on
127.0.0.1, 20 concurrent clients; prints p50/p99 of name search over HTTP and of the people-list
page, measured three ways: wrk with 20 connections each sending its next request as soon as the
last answer arrives (the saturation case: how many requests per second the machine serves),
wrk with 20 connections each pausing 0.5-1.5 s after an answer, as people reading pages do
(wrk's Lua ``delay``; its latency counts from the first byte sent, not the pause), and the
same pausing readers in locust. Searches are for ``--queries`` distinct
names of the registry (2,000 by default: most query words are not yet in the index's cache of
recent words, as with real readers), in both scripts, whole names and single surnames.

    .venv/bin/python benchmarks/web_load.py --people 100000 --duration 20

Needs ``wrk`` (Debian: ``apt-get install -y wrk``) and PostgreSQL at 127.0.0.1:5432. The
registry is generated with COPY into a throw-away database that is dropped at the end. Only
127.0.0.1 is ever targeted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from _pg import temp_pg_database
from prisonwatch.store.db import Database
from prisonwatch.store.listkeys import rebuild_list_keys

GIVEN = [
    ("Аляксандр", "Aliaksandr"),
    ("Мікалай", "Mikalai"),
    ("Сяргей", "Siarhei"),
    ("Марыя", "Maryia"),
    ("Вольга", "Volha"),
    ("Ігар", "Ihar"),
    ("Павел", "Pavel"),
    ("Святлана", "Sviatlana"),
    ("Віктар", "Viktar"),
    ("Ганна", "Hanna"),
    ("Дзмітрый", "Dzmitry"),
    ("Алена", "Alena"),
    ("Андрэй", "Andrei"),
    ("Юлія", "Yulia"),
    ("Максім", "Maksim"),
    ("Кацярына", "Katsiaryna"),
]
SYL = [
    ("ка", "ka"),
    ("ле", "le"),
    ("ні", "ni"),
    ("ма", "ma"),
    ("ро", "ro"),
    ("ві", "vi"),
    ("са", "sa"),
    ("ту", "tu"),
    ("бе", "be"),
    ("да", "da"),
    ("го", "ho"),
    ("лю", "liu"),
    ("ча", "cha"),
    ("шы", "shy"),
    ("ко", "ko"),
    ("зе", "ze"),
    ("ры", "ry"),
    ("ну", "nu"),
]
END = [
    ("віч", "vich"),
    ("ка", "ka"),
    ("скі", "ski"),
    ("ёнак", "ionak"),
    ("ук", "uk"),
    ("ава", "ava"),
    ("енка", "enka"),
    ("ін", "in"),
]
REGIONS = ["Minsk", "Brest", "Hrodna", "Homel", "Mahilioŭ", "Viciebsk", "Minsk region"]


def surname(rng: random.Random) -> tuple[str, str]:
    parts = [rng.choice(SYL) for _ in range(rng.randint(1, 3))] + [rng.choice(END)]
    cyr = "".join(p[0] for p in parts)
    lat = "".join(p[1] for p in parts)
    return cyr.capitalize(), lat.capitalize()


def _copy(conn: psycopg.Connection, table: str, columns: str, rows: io.StringIO) -> None:
    rows.seek(0)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as cp:
        while chunk := rows.read(1 << 20):
            cp.write(chunk)


def generate(url: str, people: int, seed: int = 7, queries: int = 2_000) -> list[str]:
    """Insert ``people`` persons with a Cyrillic and a Latin name and 1-3 events; returns
    ``queries`` names of them to search for (drawn with their own random generator: the
    registry does not depend on how many)."""
    rng = random.Random(seed)
    qrng = random.Random(seed + 1)
    raw = url.replace("postgresql+psycopg://", "postgresql://")
    samples: list[str] = []
    today = dt.date.today()
    with psycopg.connect(raw) as conn:
        batch = 50_000
        for start in range(1, people + 1, batch):
            p, n, e = io.StringIO(), io.StringIO(), io.StringIO()
            for pid in range(start, min(start + batch, people + 1)):
                g_cyr, g_lat = rng.choice(GIVEN)
                s_cyr, s_lat = surname(rng)
                region = rng.choice(REGIONS)
                p.write(f"{pid}\t{region}\tt\t2024-01-01 00:00:00\t2024-01-01 00:00:00\t1\n")
                for nid_off, (text_, script, primary) in enumerate(
                    ((f"{g_cyr} {s_cyr}", "cyrillic", "t"), (f"{g_lat} {s_lat}", "latin", "f"))
                ):
                    nid = pid * 2 - 1 + nid_off
                    n.write(f"{nid}\t{pid}\t{text_}\t{script}\tofficial\t{primary}\tpublic\n")
                detained = today - dt.timedelta(days=rng.randint(30, 3000))
                e.write(f"{pid}\tdetained\t{detained}\t3\tf\tpublic\t2024-01-01 00:00:00\n")
                if rng.random() < 0.4:
                    out = detained + dt.timedelta(days=rng.randint(10, 1500))
                    if out < today:
                        e.write(
                            f"{pid}\treleased_end_of_term\t{out}\t3\tf\tpublic\t"
                            f"2024-01-01 00:00:00\n"
                        )
                if pid % max(1, people // queries) == 0:
                    samples.append(
                        qrng.choice([f"{g_lat} {s_lat}", s_cyr, s_lat.lower(), f"{s_cyr} {g_cyr}"])
                    )
            _copy(conn, "person", "id, region, synthetic, created_at, updated_at, version", p)
            _copy(conn, "name", "id, person_id, full_text, script, kind, is_primary, visibility", n)
            _copy(
                conn,
                "status_event",
                "person_id, kind, date_start, date_precision, date_approx, visibility, created_at",
                e,
            )
            conn.commit()
            print(f"  {min(start + batch - 1, people):,} people", flush=True)
        with conn.cursor() as cur:
            cur.execute("SELECT setval('person_id_seq', (SELECT max(id) FROM person))")
            cur.execute("SELECT setval('name_id_seq', (SELECT max(id) FROM name))")
        conn.commit()
    # rows loaded by COPY have no stored list keys yet (the tally's triggers did count them)
    t0 = time.perf_counter()
    with Database(url).engine.begin() as sa_conn:
        rebuild_list_keys(sa_conn)
    print(f"  list keys computed in {time.perf_counter() - t0:.0f} s", flush=True)
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        # write the bulk load's dirty pages out now, not while the load test runs
        conn.execute("CHECKPOINT")
    return samples


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        data: dict[str, object] = json.loads(resp.read())
        return data


LUA = """
local paths = {%s}
local pause = {%s}
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local i = 0
local sent = 0
init = function(args)
  -- each of wrk's threads walks the paths from its own starting point
  i = (id - 1) * 7919
  math.randomseed(id)
end
request = function()
  sent = sent + 1
  if #pause == 2 and sent <= %d then
    -- every connection's first request is a cheap one: readers arrive at once, and 20
    -- searches in the same instant are not what pausing readers cause
    return wrk.format("GET", "/api/v1/health")
  end
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
if #pause == 2 then
  -- a reader looks at the page before the next click; wrk times a request from its first byte
  -- sent to the last byte of the answer, so the pause is not counted in the latency
  delay = function() return math.random(pause[1], pause[2]) end
end
"""


def wrk(
    base: str, paths: list[str], seconds: int, clients: int, pause_ms: tuple[int, int] | None = None
) -> dict[str, str]:
    """``clients`` connections of wrk (2 threads) cycling through ``paths``; with ``pause_ms``
    each waits that long (uniform) after an answer before its next request."""
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(
            LUA
            % (
                ", ".join(json.dumps(p) for p in paths),
                ", ".join(str(ms) for ms in pause_ms or ()),
                clients // threads,
            )
        )
        script = fh.name
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            script,
            base,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(script)
    figures = {}
    for label in ("50%", "90%", "99%"):
        m = re.search(rf"^\s+{re.escape(label)}\s+(\S+)", out, re.M)
        figures[label] = m.group(1) if m else "?"
    m = re.search(r"Requests/sec:\s+(\S+)", out)
    figures["req/s"] = m.group(1) if m else "?"
    m = re.search(r"(\d+) requests in", out)
    figures["requests"] = m.group(1) if m else "?"
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non-2xx"] = m.group(1) if m else "0"
    return figures


LOCUSTFILE = """
import json, random
from locust import FastHttpUser, between, task

PATHS = json.loads(%r)


class Reader(FastHttpUser):  # locust's lighter client: less of its own time in the figures
    wait_time = between(0.5, 1.5)  # a person reading the page before the next click

    @task
    def get(self):
        self.client.get(random.choice(PATHS), name="page")
"""


def locust(base: str, paths: list[str], seconds: int, users: int) -> dict[str, str]:
    """``users`` simulated readers, each waiting 0.5-1.5 s between requests (locust)."""
    with tempfile.TemporaryDirectory() as tmp:
        locustfile = Path(tmp) / "locustfile.py"
        locustfile.write_text(LOCUSTFILE % json.dumps(paths))
        prefix = Path(tmp) / "stats"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(locustfile),
                "--headless",
                "-u",
                str(users),
                "-r",
                str(users),
                "-t",
                f"{seconds}s",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--reset-stats",
            ],  # the figures start once all readers have arrived
            check=True,
            capture_output=True,
            text=True,
        )
        import csv

        with open(f"{prefix}_stats.csv", newline="") as fh:
            row = next(r for r in csv.DictReader(fh) if r["Name"] == "Aggregated")
    return {
        "50%": row["50%"] + "ms",
        "90%": row["90%"] + "ms",
        "99%": row["99%"] + "ms",
        "req/s": f"{float(row['Requests/s']):.1f}",
        "requests": row["Request Count"],
        "non-2xx": row["Failure Count"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--duration", type=int, default=30, help="seconds per scenario")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument(
        "--workers",
        type=int,
        default=4,
        help="uvicorn worker processes (each keeps the connections it accepted: with "
        "as many workers as cores, an uneven split leaves a core idle)",
    )
    ap.add_argument("--no-locust", action="store_true", help="only the wrk runs")
    ap.add_argument(
        "--queries",
        type=int,
        default=2_000,
        help="distinct names searched for (cycled through by wrk, drawn by locust)",
    )
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    with temp_pg_database("pw_webload") as url:
        Database(url).migrate()
        t0 = time.perf_counter()
        print(f"generating {args.people:,} people ...", flush=True)
        samples = generate(url, args.people, queries=args.queries)
        print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
        port = _free_port()
        cache = tempfile.mkdtemp(prefix="pw-webload-index-")
        env = {
            **os.environ,
            "PRISONWATCH_DB": url,
            "PRISONWATCH_SECRET_KEY": "bench-only",
            "PRISONWATCH_INDEX_CACHE": cache,
        }
        cli = Path(sys.executable).with_name("prisonwatch")
        server = subprocess.Popen(
            [
                str(cli),
                "serve",
                "--db",
                url,
                "--public",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            t0 = time.perf_counter()
            while True:
                time.sleep(2)
                try:
                    # every worker builds its own index: wait until all answer ready
                    if all(
                        _get_json(base + "/api/v1/health").get("name_index") == "ready"
                        for _ in range(args.workers * 4)
                    ):
                        break
                except OSError:
                    pass
                if server.poll() is not None:
                    sys.exit("the server stopped")
            print(f"server ready (name index built) in {time.perf_counter() - t0:.0f} s")
            from urllib.parse import quote

            search_paths = [f"/search?q={quote(q)}" for q in samples]
            api_search = [f"/api/v1/search?q={quote(q)}" for q in samples]
            people_paths = [f"/people?page={p}" for p in range(1, 21)]
            people_filtered = [
                f"/people?status=held&region={quote(r)}&page={p}"
                for r in REGIONS
                for p in (1, 2, 3)
            ]
            scenarios = (
                ("search page /search", search_paths),
                ("search API /api/v1/search", api_search),
                ("people list /people (pages 1-20)", people_paths),
                ("people list filtered (held + region)", people_filtered),
            )
            rows = []
            for label, paths in scenarios:
                # warm-up: each worker's connections prepare their statements, templates
                # compile; only 20 of the 2,000 search names (1 %) are seen before
                wrk(base, paths[:20], 10, args.clients)
                f = wrk(base, paths, args.duration, args.clients)
                rows.append((f"{label}, wrk", f))
                print(
                    f"{label}, wrk (no pause): p50 {f['50%']}, p90 {f['90%']}, "
                    f"p99 {f['99%']}, {f['req/s']} req/s, {f['requests']} requests, "
                    f"non-2xx {f['non-2xx']}",
                    flush=True,
                )
            for label, paths in scenarios:
                f = wrk(base, paths, args.duration, args.clients, pause_ms=(500, 1500))
                rows.append((f"{label}, wrk, 0.5-1.5 s pauses", f))
                print(
                    f"{label}, wrk (0.5-1.5 s pauses): p50 {f['50%']}, p90 {f['90%']}, "
                    f"p99 {f['99%']}, {f['req/s']} req/s, {f['requests']} requests, "
                    f"non-2xx {f['non-2xx']}",
                    flush=True,
                )
            for label, paths in scenarios if not args.no_locust else ():
                f = locust(base, paths, args.duration, args.clients)
                rows.append((f"{label}, locust", f))
                print(
                    f"{label}, locust (0.5-1.5 s pauses): p50 {f['50%']}, "
                    f"p90 {f['90%']}, p99 {f['99%']}, {f['req/s']} req/s, "
                    f"{f['requests']} requests, non-2xx {f['non-2xx']}",
                    flush=True,
                )
            print()
            print(
                f"| {args.people:,} people, {args.clients} clients, {args.workers} workers "
                f"| p50 | p90 | p99 | req/s |"
            )
            print("| --- | --- | --- | --- | --- |")
            for label, f in rows:
                print(f"| {label} | {f['50%']} | {f['90%']} | {f['99%']} | {f['req/s']} |")
        finally:
            server.terminate()
            server.wait(30)
            shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
