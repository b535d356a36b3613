"""How long every GET page of the demonstration bank takes to render, signed in as its users.

Builds the demonstration bank (`timebank demo`) in a scratch SQLite file, or uses the
database given with --db (made with `timebank demo` first), signs in as the demo's
member, coordinator and social worker through the Flask test client, then requests
every GET endpoint of the application's url map as the role the policy allows, many
times each. Prints the median and the 95th percentile per page in a markdown table;
the aim (issue 4) is every page under 200 ms on this machine.

With --big, the demonstration bank is first grown to 2,000 members and 100,000
exchanges (benchmarks/data/big_bank.py, in bulk, the ledger kept consistent so that
`timebank check` passes), and the lists and searches are what matter (issue 11):
a row per page with its p50 and p95, list and search pages marked, and a few searches
(EXTRA_PATHS) timed beside the url map's pages. Given a --db already grown, --big adds
nothing, so one big bank can be timed again and again (the first growth takes a minute).

Only the server's work is timed (routing, the session check, the services' queries,
the template), not a network or a browser.

    .venv/bin/python benchmarks/pages.py --repeat 30
    .venv/bin/python benchmarks/pages.py --db sqlite:///instance/demo.sqlite3
    .venv/bin/python benchmarks/pages.py --big --repeat 10
    .venv/bin/python benchmarks/pages.py --big --repeat 10 --db sqlite:////tmp/big.sqlite3
    .venv/bin/python benchmarks/pages.py --big --db postgresql+psycopg://postgres@127.0.0.1:5432/big
    .venv/bin/python benchmarks/pages.py --big --repeat 50 --only 'exchanges?member=' --db postgresql+psycopg://...

Results on this machine: benchmarks/results/.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timebank.db import migrate
from timebank.db.engine import Database
from timebank.demo import (
    COORDINATOR_EMAIL,
    DEMO_BANK_SLUG,
    DEMO_PASSWORD,
    MEMBER_EMAIL,
    SOCIAL_WORKER_EMAIL,
    create_demo_bank,
)
from timebank.services import banks, ledger, members, requests_offers
from timebank.services.checks import check_ledger

AIM_MS = 200
BIG_MEMBERS, BIG_EXCHANGES = 2_000, 100_000
# Pages whose length grows with the bank: the ones --big is about.
LISTS = {"coordinator.members", "coordinator.exchanges", "coordinator.pending", "coordinator.home",
         "coordinator.members_csv", "coordinator.member", "coordinator.log", "coordinator.log_group",
         "coordinator.calls", "coordinator.requests", "coordinator.offers", "coordinator.request",
         "coordinator.ask_for", "member.browse", "member.statement", "member.log", "member.home",
         "reports.activity", "reports.network", "reports.funders", "social.assessments",
         "social.introductions"}
# Searches and pages of lists, timed when their page exists: the words people would
# type, in the arguments the pages read (the members' list reads `q` and `status`, the
# exchanges' `member`, `since`, `until`, `text` and `kind`; every list `page`).
# {member_id} is the busiest member, {since} and {until} the last 30 days, {last_page}
# the exchanges' last page.
EXTRA_PATHS = (
    ("coordinator", "/coordinator/members?q=Paterson"),
    ("coordinator", "/coordinator/members?q=0131"),
    ("coordinator", "/coordinator/members?q=Leith"),
    ("coordinator", "/coordinator/members?status=active&page=20"),
    ("coordinator", "/coordinator/exchanges?text=shop"),
    ("coordinator", "/coordinator/exchanges?page=50"),
    ("coordinator", "/coordinator/exchanges?page={last_page}"),
    ("coordinator", "/coordinator/exchanges?member={member_id}"),
    ("coordinator", "/coordinator/exchanges?since={since}&until={until}&kind=exchange"),
    ("coordinator", "/coordinator/exchanges?member={member_id}&text=shop&since={since}&until={until}"),
    ("coordinator", "/coordinator/requests?page=2"),
    ("coordinator", "/coordinator/offers?page=2"),
    ("member", "/member/browse?category=shopping"),
    ("member", "/member/browse?area=Leith"),
)
SIGN_INS = {"member": MEMBER_EMAIL, "coordinator": COORDINATOR_EMAIL,
            "social_worker": SOCIAL_WORKER_EMAIL}
# Which user asks for a page its policy gives to several roles (anonymous first).
ROLE_ORDER = ("anonymous", "member", "coordinator", "social_worker")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _database(url: str | None, big: bool) -> tuple[Database, str]:
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='timebank-pages-')}/demo.sqlite3"
    # Only the demo's three sign-ins are hashed here; pages never hash a password.
    database = Database(url, password_hashing="fast")
    migrate.upgrade(database)
    started = time.perf_counter()
    made = create_demo_bank(database, if_empty=True)
    note = (f"demonstration bank made in {time.perf_counter() - started:.1f} s" if made.created
            else "demonstration bank already there")
    if big:
        from benchmarks.data.big_bank import grow_bank

        started = time.perf_counter()
        added, exchanges = grow_bank(database, DEMO_BANK_SLUG, members=BIG_MEMBERS, exchanges=BIG_EXCHANGES)
        report = check_ledger(database)
        if report.problems:
            raise SystemExit(f"the big bank fails `timebank check`: {report.problems[:3]}")
        note += (f"; grown by {added:,} members and {exchanges:,} exchanges in "
                 f"{time.perf_counter() - started:.1f} s, and `timebank check` passes")
    return database, note


def _signed_in(app, email: str | None):
    client = app.test_client()
    if email is None:
        return client
    page = client.get("/sign-in")
    token = CSRF.search(page.text)
    response = client.post("/sign-in", data={
        "email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1) if token else ""})
    if response.status_code != 302:
        raise SystemExit(f"signing in as {email} failed ({response.status_code}): is this the demo database?")
    return client


def _argument_values(database: Database) -> dict[str, list]:
    """Values for the url map's arguments: the demo member and the busiest members."""
    everyone = members.list_members(database, DEMO_BANK_SLUG)
    by_name = {m.name: m.id for m in everyone}
    counts = sorted(ledger.balances(database, DEMO_BANK_SLUG),
                    key=lambda b: b.given_minutes + b.received_minutes, reverse=True)
    member_ids = list(dict.fromkeys([by_name["Morag Henderson"], counts[0].member_id]))
    requests = requests_offers.list_requests(database, DEMO_BANK_SLUG)
    exchanges = ledger.list_exchanges(database, DEMO_BANK_SLUG, limit=1)
    categories = banks.list_categories(database, DEMO_BANK_SLUG)
    return {
        "category": [categories[0][0]] if categories else [],
        "member_id": member_ids,
        "request_id": [requests[0].id] if requests else [],
        "exchange_id": [exchanges[0].id] if exchanges else [],
    }


def _pages(app, values: dict[str, list]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(endpoint, role, path) for every GET page, and the endpoints that could not be filled."""
    from timebank.web.policy import POLICY

    pages, skipped = [], []
    with app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            roles = [r for r in ROLE_ORDER if r in POLICY.get(rule.endpoint, ())]
            if not roles:
                skipped.append(f"{rule.endpoint} (no role may see it)")
                continue
            # A page open to anyone is timed signed out; the others as their first role.
            role = roles[0]
            if set(rule.arguments) - set(values) or any(not values[a] for a in rule.arguments):
                skipped.append(f"{rule.endpoint} (needs {', '.join(sorted(rule.arguments))})")
                continue
            combos = [{}]
            for argument in sorted(rule.arguments):
                combos = [dict(c, **{argument: v}) for c in combos for v in values[argument]]
            for combo in combos:
                pages.append((rule.endpoint, role, url_for(rule.endpoint, **combo)))
    return pages, skipped


def _time(client, path: str, repeat: int) -> tuple[int, list[float], list[float]]:
    """The status, and each request's wall and CPU milliseconds."""
    status = client.get(path).status_code  # a warm-up, which also fills the template cache
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        response.get_data()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        status = response.status_code
    return status, timings, cpu


def _answers(client, path: str) -> bool:
    return client.get(path).status_code == 200


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else timings[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a database URL (default: a scratch SQLite file)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--cpu", action="store_true",
                        help="add this process's CPU time per page (p50): on a loaded machine the wall "
                             "time mostly waits for a core; on SQLite the CPU time is the page's own work")
    parser.add_argument("--big", action="store_true",
                        help=f"grow the bank to {BIG_MEMBERS:,} members and {BIG_EXCHANGES:,} exchanges first")
    parser.add_argument("--only", metavar="TEXT",
                        help="time only the pages whose path holds TEXT (one page measured again and again)")
    args = parser.parse_args()

    from timebank.web import create_app

    database, note = _database(args.db, args.big)
    app = create_app({"DATABASE": database, "SECRET_KEY": "benchmark",
                      "SIGN_IN_LIMIT_PER_ACCOUNT": "1000 per minute",
                      "SIGN_IN_LIMIT_PER_ADDRESS": "1000 per minute",
                      # The pages are timed, not the sign-in: staff are not sent to set up a second factor.
                      "STAFF_SECOND_FACTOR_REQUIRED": False})
    app.logger.disabled = True
    clients = {role: _signed_in(app, SIGN_INS.get(role)) for role in ROLE_ORDER}
    values = _argument_values(database)
    pages, skipped = _pages(app, values)
    today = dt.date.today()
    filled = {"member_id": values["member_id"][-1], "until": today.isoformat(),
              "since": (today - dt.timedelta(days=30)).isoformat(),
              "last_page": -(-ledger.find_exchanges(database, DEMO_BANK_SLUG).total // ledger.PER_PAGE)}
    searches = [(role, path.format(**filled)) for role, path in EXTRA_PATHS]
    pages += [("search", role, path) for role, path in searches if _answers(clients[role], path)]
    if args.only:
        pages = [page for page in pages if args.only in page[2]]

    print(f"Pages of the demonstration bank ({note}; {database.dialect}; "
          f"{args.repeat} requests each, after one warm-up; aim: under {AIM_MS} ms)\n")
    cpu_head = (" CPU p50 ms |", " ---: |") if args.cpu else ("", "")
    print(f"| page | as | list or search | status | p50 ms | p95 ms |{cpu_head[0]} under aim |")
    print(f"| --- | --- | :---: | ---: | ---: | ---: |{cpu_head[1]} :---: |")
    slow = 0
    for endpoint, role, path in pages:
        status, timings, cpu = _time(clients[role], path, args.repeat)
        median, p95 = statistics.median(timings), _p95(timings)
        # A redirect (the home page sends each role to its own) is timed but is not a page.
        ok = p95 < AIM_MS and (status == 200 or 300 <= status < 400)
        slow += not ok
        listed = "yes" if endpoint in LISTS or endpoint == "search" else ""
        cpu_cell = f" {statistics.median(cpu):.1f} |" if args.cpu else ""
        print(f"| `{path}` ({endpoint}) | {role} | {listed} | {status} | {median:.1f} | {p95:.1f} |{cpu_cell} "
              f"{'yes' if ok else '**no**'} |", flush=True)
    if skipped:
        print(f"\nNot timed: {'; '.join(skipped)}")
    print(f"\n{len(pages) - slow} of {len(pages)} pages answered (200, or a redirect) with a "
          f"95th percentile under {AIM_MS} ms.")
    database.dispose()
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
