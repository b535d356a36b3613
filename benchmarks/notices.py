"""How fast the notice worker sends, and that it never sends one twice.

For each database: 10,000 notices are written to the outbox, then one worker pass
(`timebank.services.notice_delivery.send_pass`, as `timebank notices send` runs it) sends
them to a real SMTP server on 127.0.0.1 (aiosmtpd, as the tests use, in a process of its own). Repeated for
`--passes` rounds of fresh notices; prints the median rate (notices per second, from
claiming the first to marking the last sent) and the notices that arrived twice (by
Message-ID) or not at all, which must both be 0.

Runs on scratch databases only (a temporary SQLite file; a PostgreSQL database created
and dropped through the admin URL).

    .venv/bin/python benchmarks/notices.py --notices 10000 --passes 3 --backend both
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timebank.db import migrate  # noqa: E402
from timebank.db.engine import Database  # noqa: E402
from timebank.db.models import Member, Notice  # noqa: E402
from timebank.services import banks, members, notices  # noqa: E402
from timebank.services.notice_delivery import send_pass  # noqa: E402
from timebank.services.settings import DeliverySettings  # noqa: E402

ADMIN_URL = os.environ.get("TIMEBANK_BENCH_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


# The SMTP server runs in a process of its own, as a mail server would, so it does not
# share this process's interpreter lock with the worker; it prints each Message-ID it took.
SERVER = """
import sys, time
from tests.integration.smtp_inbox import Inbox
inbox = Inbox()
inbox.__enter__()
print(inbox.port, flush=True)
sys.stdin.read()
inbox.__exit__()
print("\\n".join(inbox.message_ids()), flush=True)
"""


class _Server:
    def __enter__(self):
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen([sys.executable, "-c", SERVER], cwd=root, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.port = int(self.process.stdout.readline())
        return self

    def message_ids(self) -> list[str]:
        out, _ = self.process.communicate("", timeout=600)
        return [line for line in out.splitlines() if line]

    def __exit__(self, *_):
        if self.process.poll() is None:
            self.process.kill()


def _write(database: Database, member_id: int, round_number: int, count: int) -> None:
    with database.session() as session, session.begin():
        member = session.get(Member, member_id)
        for number in range(count):
            notices.write(session, kind="welcome", recipient=member, key=f"bench.{round_number}.{number}",
                          facts={"bank_name": "Leith Time Bank", "name": "Ann", "has_sign_in": True})


def run(database: Database, count: int, passes: int) -> dict:
    migrate.upgrade(database)
    bank = banks.create_bank(database, "bench", "Leith Time Bank")
    member = members.add_member(database, bank.slug, "Ann Smith", email="ann@example.org",
                                joined_on=dt.date(2026, 1, 1))
    rates = []
    with _Server() as server:
        settings = DeliverySettings(smtp_host="127.0.0.1", smtp_port=server.port, sender="news@bank.example.org",
                                    secret_key="bench", base_url="https://bank.example.org")
        for round_number in range(passes):
            _write(database, member.id, round_number, count)
            start = time.perf_counter()
            result = send_pass(database, settings)
            rates.append(result.sent / (time.perf_counter() - start))
        ids = server.message_ids()
    twice = len(ids) - len(set(ids))
    missing = count * passes - len(set(ids))
    with database.session(readonly=True) as session:
        unsent = session.scalar(sa.select(sa.func.count()).select_from(Notice).where(Notice.state != "sent"))
    return {"rate": statistics.median(rates), "rates": rates, "twice": twice, "missing": missing, "unsent": unsent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(f"{args.notices:,} notices a pass, {args.passes} passes, to aiosmtpd on 127.0.0.1\n")
    print("| database | notices/s (median) | each pass | sent twice | not arrived | not marked sent |")
    print("| --- | --- | --- | --- | --- | --- |")
    for backend in backends:
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="timebank-bench-")
            database = Database(f"sqlite:///{folder}/bench.sqlite3")
            found = run(database, args.notices, args.passes)
            database.dispose()
        else:
            admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
            name = f"timebank_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            database = Database(ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
            try:
                found = run(database, args.notices, args.passes)
            finally:
                database.dispose()
                with admin.connect() as connection:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
        each = ", ".join(f"{r:,.0f}" for r in found["rates"])
        print(f"| {backend} | {found['rate']:,.0f} | {each} | {found['twice']} | {found['missing']} | "
              f"{found['unsent']} |", flush=True)


if __name__ == "__main__":
    main()
