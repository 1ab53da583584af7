"""Survey submissions under load: latency and exactly-once storage of ``POST /s/{token}``.

Prepares a migrated SQLite file database (WAL, as Accord runs it) in a temporary folder with the
shipped relationship survey and N sent invitations (default 2,000: 200 accounts × 10 contacts),
starts a real server (``uvicorn accord.api.app:create_app``, a separate process, loopback), then,
with C keep-alive connections of a minimal asyncio HTTP/1.1 client:

* baseline — the same number of ``GET /healthz`` requests by the same clients, so the ratio
  shows what the submit path costs beyond the HTTP stack and the client itself;
* the survey page — ``GET /s/{token}`` (the form each respondent loads first);
* submit — C concurrent clients (default 100) post every invitation's
  full answers once, plus D duplicates (default 10 % of N: a second POST of an already posted
  form, as a double click or a resubmit would), interleaved at random.

Closed loop by default: every client posts again as soon as its answer comes, so C requests are
always in flight — the worst case, a burst. ``--rate R`` runs open loop instead: requests start
at R per second (Poisson arrivals), at most C in flight — closer to real respondents.

Prints p50/p90/p99/max latency per phase, throughput, the server's CPU time per request (from
/proc: what a request costs, whatever else shares the machine), the ratio of submit p50/p99 to
the baseline's, and stored vs sent: every invitation must be stored exactly once (feedback rows,
responses, invitations marked responded) and no request may fail. Target: p99 ≤ 50 ms on SQLite
and 0 lost. Bounded: ``--max-seconds`` per phase.

    python benchmarks/submit_bench.py                       # 2,000 invitations, 100 clients
    python benchmarks/submit_bench.py --rate 200            # open loop, 200 submissions/s
    python benchmarks/submit_bench.py --workers 4           # four server processes
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx

ANSWERS = {
    "nps": "8", "product": "4", "price": "3", "fulfilment": "2", "ease": "4", "presence": "4",
    "trust": "5", "comment": "Good parts, but two deliveries came late this quarter.",
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, invitations: int) -> list[str]:
    """Migrate, load the survey, create accounts/contacts and sent invitations; their tokens."""
    from accord.accounts.models import Account, Contact
    from accord.auth.access import OPERATOR
    from accord.db import make_engine, transaction
    from accord.listening import surveys
    from accord.listening.invitations import create_invitations, survey_token
    from accord.listening.survey_schema import parse_text
    from accord.migrations import upgrade

    engine = make_engine(url)
    upgrade(engine)
    roles = ("economic_buyer", "technical_buyer", "user", "procurement", "gatekeeper", "champion")
    per_account = 10
    accounts = -(-invitations // per_account)
    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(engine) as session:
        text = surveys.shipped_definitions()["relationship.yaml"]
        surveys.save_survey(session, OPERATOR, parse_text(text))
        picks = []
        for a in range(accounts):
            session.add(Account(id=f"ACC-{a:05d}", name=f"Company {a}", segment="mid_market"))
            for c in range(per_account):
                if len(picks) == invitations:
                    break
                cid = f"CON-{a:05d}-{c}"
                email = f"{cid.lower()}@example.com"
                session.add(Contact(id=cid, account_id=f"ACC-{a:05d}", name=f"Person {cid}",
                                    email=email, role=roles[c % 6]))  # fmt: skip
                picks.append((cid, None, "benchmark"))
        session.flush()
        made = create_invitations(session, OPERATOR, "relationship-2026", picks, now)
        for inv in made:
            inv.status, inv.sent_at = "sent", now
        tokens = [survey_token(inv.id) for inv in made]
    engine.dispose()
    return tokens


def counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from accord.db import make_engine
    from accord.listening.models import Feedback, Invitation, SurveyResponse

    engine = make_engine(url)
    with engine.connect() as conn:
        out = {
            "feedback": conn.scalar(select(func.count()).select_from(Feedback)) or 0,
            "responses": conn.scalar(select(func.count()).select_from(SurveyResponse)) or 0,
            "responded": conn.scalar(
                select(func.count())
                .select_from(Invitation)
                .where(Invitation.responded_at.is_not(None))
            )
            or 0,
        }
    engine.dispose()
    return out


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-m", "uvicorn", "accord.api.app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        "--no-access-log", "--workers", str(workers),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


class Connection:
    """A minimal HTTP/1.1 keep-alive client on one socket: it adds almost no time of its own,
    so the latencies are the server's (httpx's pool costs more than the server under load)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, str]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        body = urlencode(form).encode() if form is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
        if form is not None:
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
        head += f"Content-Length: {len(body)}\r\n\r\n"
        self.writer.write(head.encode() + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
        length = int(headers.get("content-length", "0"))
        text = (await self.reader.readexactly(length)).decode("utf-8", "replace")
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, text

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_phase(
    port: int,
    jobs: list[tuple[str, str, dict[str, str] | None]],
    clients: int,
    rate: float | None,
    max_seconds: float,
) -> tuple[list[float], list[tuple[int, str]], float]:
    """Run (method, path, form) jobs on ``clients`` keep-alive connections; per-request
    latency in ms, (status, kind of page) per request, and the phase's wall time."""
    latencies: list[float] = []
    results: list[tuple[int, str]] = []
    queue: asyncio.Queue[tuple[str, str, dict[str, str] | None]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    conns = [Connection("127.0.0.1", port) for _ in range(clients)]
    for conn in conns:
        pool.put_nowait(conn)
    started = time.perf_counter()
    deadline = started + max_seconds

    async def one(job: tuple[str, str, dict[str, str] | None]) -> None:
        conn = await pool.get()
        try:
            t0 = time.perf_counter()
            status, text = await conn.request(*job)
            latencies.append((time.perf_counter() - t0) * 1000)
        finally:
            pool.put_nowait(conn)
        kind = (
            "saved" if "your answers are saved" in text
            else "again" if "already answered" in text else "other"
        )  # fmt: skip
        results.append((status, kind))

    try:
        if rate is None:  # closed loop: each client sends its next request when one returns

            async def worker() -> None:
                while time.perf_counter() < deadline:
                    try:
                        job = queue.get_nowait()
                    except asyncio.QueueEmpty:
                        return
                    await one(job)

            await asyncio.gather(*(worker() for _ in range(clients)))
        else:  # open loop: Poisson arrivals at `rate`, at most `clients` in flight
            tasks = []
            rng = random.Random(1)
            next_at = time.perf_counter()
            while not queue.empty() and time.perf_counter() < deadline:
                next_at += rng.expovariate(rate)
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                tasks.append(asyncio.create_task(one(queue.get_nowait())))
            await asyncio.gather(*tasks)
    finally:
        for conn in conns:
            conn.close()
    return latencies, results, time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process and its children (uvicorn workers), from
    /proc: what the requests cost whatever else shares the machine (0 where /proc is missing)."""
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else float("nan")


def line(name: str, lat: list[float], wall: float) -> str:
    return (
        f"{name:<22} n={len(lat):>6}  p50={pct(lat, 50):7.1f} ms  p90={pct(lat, 90):7.1f} ms  "
        f"p99={pct(lat, 99):7.1f} ms  max={max(lat):7.1f} ms  {len(lat) / wall:7.0f} req/s"
    )


WARM_UP = 50  # invitations answered before timing starts, excluded from the figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invitations", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--duplicates", type=float, default=0.10, help="share posted twice")
    parser.add_argument("--rate", type=float, default=None, help="open loop: requests per s")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="per phase")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="accord-submit-bench-"))
    url = f"sqlite:///{folder / 'accord.db'}"
    env = {
        **os.environ,
        "ACCORD_DATABASE_URL": url,
        "ACCORD_SECRET_KEY": secrets.token_urlsafe(48),
        # The text classifier tags feedback in the background; keep it out of the timing.
        "ACCORD_TEXT_AUTO_CLASSIFY": "false",
    }
    os.environ.update(env)
    t0 = time.perf_counter()
    tokens = prepare(url, args.invitations + WARM_UP)
    # The first requests of each kind pay for lazy imports, compiled templates and new pool
    # connections (≈ 0.2–0.3 s once per process, measured): answered before timing starts.
    warm, tokens = tokens[:WARM_UP], tokens[WARM_UP:]
    print(f"prepared {len(tokens):,} sent invitations in {time.perf_counter() - t0:.1f} s "
          f"({folder})")  # fmt: skip
    port = free_port()
    server = start_server(env, port, args.workers)
    rng = random.Random(7)
    try:
        n = len(tokens)
        dup = rng.sample(tokens, int(n * args.duplicates))
        posts = [("POST", f"/s/{t}", ANSWERS) for t in tokens]
        # Duplicates come after their first POST has been sent: spread over the second half.
        half = len(posts) // 2
        for t in dup:
            posts.insert(rng.randint(half, len(posts)), ("POST", f"/s/{t}", ANSWERS))
        total = len(posts)
        mode = "closed loop" if args.rate is None else f"open loop at {args.rate:.0f}/s"
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (other work shares them)")
        print(f"{args.clients} clients, {mode}, {args.workers} server process(es); "
              f"{n:,} submissions + {len(dup):,} duplicates = {total:,} POSTs")  # fmt: skip

        def phase(jobs):  # type: ignore[no-untyped-def]
            return asyncio.run(run_phase(port, jobs, args.clients, args.rate, args.max_seconds))

        phase([("GET", "/healthz", None)] * 200)  # warm-up
        phase([("GET", f"/s/{t}", None) for t in warm])
        phase([("POST", f"/s/{t}", ANSWERS) for t in warm])
        cpu = [cpu_seconds(server.pid)]
        base_lat, _, base_wall = phase([("GET", "/healthz", None)] * total)
        cpu.append(cpu_seconds(server.pid))
        page_lat, page_res, page_wall = phase([("GET", f"/s/{t}", None) for t in tokens])
        cpu.append(cpu_seconds(server.pid))
        sub_lat, sub_res, sub_wall = phase(posts)
        cpu.append(cpu_seconds(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)

    used = [(b - a) * 1000 for a, b in itertools.pairwise(cpu)]
    print(line("baseline GET /healthz", base_lat, base_wall)
          + f"  server CPU {used[0] / len(base_lat):.2f} ms/req")  # fmt: skip
    print(line("GET /s/{token}", page_lat, page_wall)
          + f"  server CPU {used[1] / len(page_lat):.2f} ms/req")  # fmt: skip
    print(line("POST /s/{token}", sub_lat, sub_wall)
          + f"  server CPU {used[2] / len(sub_lat):.2f} ms/req")  # fmt: skip
    print(f"ratio submit/baseline: p50 {pct(sub_lat, 50) / pct(base_lat, 50):.1f}x, "
          f"p99 {pct(sub_lat, 99) / pct(base_lat, 99):.1f}x")  # fmt: skip
    failed = sum(1 for s, _ in sub_res if s != 200) + sum(1 for s, _ in page_res if s != 200)
    saved = sum(1 for s, k in sub_res if s == 200 and k == "saved")
    again = sum(1 for s, k in sub_res if s == 200 and k == "again")
    got = counts(url)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    n_all = n + WARM_UP  # the warm-up answers are stored too
    lost = n_all - got["feedback"]
    print(f"sent {len(sub_res):,} POSTs for {n:,} invitations: {saved:,} stored, {again:,} "
          f"answered 'already answered', {failed} failed (non-200)")  # fmt: skip
    print(f"database: {got['feedback']:,} feedback, {got['responses']:,} responses, "
          f"{got['responded']:,} invitations responded; lost {lost}, "
          f"extra {max(0, got['feedback'] - n_all)} (incl. {WARM_UP} warm-up answers)")  # fmt: skip
    stored = got["feedback"] == got["responses"] == got["responded"] == n_all
    ok = lost == 0 and failed == 0 and stored
    verdict = "PASS" if ok and pct(sub_lat, 99) <= 50 else "stored exactly once" if ok else "FAIL"
    print(f"target p99 <= 50 ms and 0 lost: {verdict}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
