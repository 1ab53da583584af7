"""Ticket numbers: human-friendly, and unique when many writers open tickets at once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from accord.auth.access import OPERATOR
from accord.loop.models import Ticket
from accord.loop.tickets import open_ticket
from tests.factories import make_account
from tests.loop.builders import MONDAY

N = 200


def test_numbers_look_like_ac_000001(session: Session) -> None:
    make_account(session, "ACC-1")
    t1 = open_ticket(session, OPERATOR, account_id="ACC-1", title="a", team="support",
                     priority="normal", now=MONDAY)  # fmt: skip
    t2 = open_ticket(session, OPERATOR, account_id="ACC-1", title="b", team="support",
                     priority="normal", now=MONDAY)  # fmt: skip
    assert (t1.id, t2.id) == ("AC-000001", "AC-000002")


def test_200_tickets_opened_in_parallel_get_200_distinct_numbers(engine: Engine) -> None:
    with Session(engine) as s:
        make_account(s, "ACC-1")
        s.commit()

    def one(i: int) -> str:
        with Session(engine) as s:
            t = open_ticket(s, OPERATOR, account_id="ACC-1", title=f"t{i}", team="support",
                            priority="normal", now=MONDAY)  # fmt: skip
            s.commit()
            return t.id

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(one, range(N)))
    elapsed = time.perf_counter() - started
    assert len(set(numbers)) == N
    with Session(engine) as s:
        assert s.scalar(select(func.count(func.distinct(Ticket.seq)))) == N
        assert s.scalar(select(func.max(Ticket.seq))) == N  # no gaps: every writer succeeded
    print(f"{N} tickets in parallel: {elapsed:.2f} s")
