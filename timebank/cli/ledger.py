"""Commands of the ledger: banks, members, exchanges, balances, statements, check."""
from __future__ import annotations

import csv
import sys

import click

from timebank.cli.common import ROW_ID, actor, echo_json, pass_database, refusals_exit_1
from timebank.domain.hours import format_minutes, parse_hours, parse_signed_hours
from timebank.domain.spreadsheets import spreadsheet_safe

__all__ = ["register"]


def register(group: click.Group) -> None:
    for command in (init, bank, member, log, log_group, grant, donate, reverse, balance,
                    statement, check):
        group.add_command(command)


@click.command()
@click.pass_obj
@refusals_exit_1
def init(obj) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    from timebank.db import migrate

    database = obj.database(require_schema=False)
    migrate.upgrade(database)
    click.echo(f"Database ready at revision {migrate.current_revision(database)}.")


@click.group()
def bank() -> None:
    """Time banks."""


@bank.command("add")
@click.argument("slug")
@click.option("--name", required=True, help="The bank's full name.")
@click.option("--min-balance", default="-10", show_default=True, metavar="H",
              help="Lowest balance a member may reach, in hours (zero or below).")
@click.option("--max-balance", default="100", show_default=True, metavar="H",
              help="Highest balance a member may reach, in hours.")
@click.option("--phone", default=None, metavar="NUMBER",
              help="The number members ring, printed on letters, statements and offers (also on Settings).")
@pass_database
def bank_add(database, slug: str, name: str, min_balance: str, max_balance: str, phone: str | None) -> None:
    """A new time bank called SLUG, with its own account and community pot."""
    from timebank.services.banks import create_bank

    view = create_bank(database, slug, name, floor_minutes=parse_signed_hours(min_balance),
                       ceiling_minutes=parse_signed_hours(max_balance), contact_phone=phone)
    click.echo(view.slug)


@click.group()
def member() -> None:
    """Members of a time bank."""


@member.command("add")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("name")
@click.option("--email", default=None, help="Optional: many members are run by a coordinator.")
@click.option("--organisation", is_flag=True, help="The member is an organisation.")
@click.option("--phone", default=None)
@click.option("--area", default=None, help="Neighbourhood.")
@click.option("--joined", "joined_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="DATE",
              help="The day they joined (YYYY-MM-DD), when earlier than today: no help is dated before it.")
@click.option("--key", default=None, metavar="KEY", help="Idempotency key: a retry takes one member on.")
@pass_database
def member_add(database, bank_slug, name, email, organisation, phone, area, joined_on, key) -> None:
    """A new member NAME with an hours account; prints the member's id."""
    from timebank.services.members import add_member

    view = add_member(database, bank_slug, name, email=email, organisation=organisation,
                      phone=phone, area=area, joined_on=joined_on.date() if joined_on else None,
                      idempotency_key=key)
    click.echo(view.id)


@click.command()
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--provider", type=ROW_ID, required=True, metavar="ID", help="The member who helped.")
@click.option("--receiver", type=ROW_ID, required=True, metavar="ID", help="The member who was helped.")
@click.option("--hours", required=True, metavar="H", help="1.5, 1,5, 1h 30m, 45m or 1:30.")
@click.option("--what", default=None, metavar="TEXT", help="What was done.")
@click.option("--category", default=None, metavar="C", help="A service category of the bank.")
@click.option("--on", "given_on", default=None, metavar="DATE", help="Day the help was given (YYYY-MM-DD).")
@click.option("--key", default=None, metavar="KEY", help="Idempotency key: a retry records one exchange.")
@click.option("--long-ago", is_flag=True, help="The day is more than a year back, and that is right.")
@click.option("--again", is_flag=True,
              help="Record it although the same people, day and hours were logged within a day.")
@pass_database
def log(database, bank_slug, provider, receiver, hours, what, category, given_on, key, long_ago, again) -> None:
    """Record an exchange, posted at once; prints the exchange id."""
    from timebank.services.ledger import log_exchange

    view = log_exchange(database, bank_slug, provider_id=provider, receiver_id=receiver,
                        minutes=parse_hours(hours), recorded_by=actor(), category=category,
                        description=what, given_on=given_on, idempotency_key=key,
                        long_ago_confirmed=long_ago, refuse_duplicates=not again)
    click.echo(view.id)


@click.command("log-group")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--provider", type=ROW_ID, required=True, metavar="ID")
@click.option("--hours", required=True, metavar="H")
@click.option("--receiver", "receivers", type=ROW_ID, multiple=True, required=True, metavar="ID",
              help="Repeat for each receiver.")
@click.option("--what", default=None, metavar="TEXT")
@click.option("--category", default=None, metavar="C")
@click.option("--on", "given_on", default=None, metavar="DATE")
@click.option("--key", default=None, metavar="KEY")
@click.option("--long-ago", is_flag=True, help="The day is more than a year back, and that is right.")
@pass_database
def log_group(database, bank_slug, provider, hours, receivers, what, category, given_on, key, long_ago) -> None:
    """One provider, several receivers sharing the hours; prints the exchange id."""
    from timebank.services.ledger import log_group_exchange

    view = log_group_exchange(database, bank_slug, provider_id=provider,
                              receiver_ids=list(receivers), minutes=parse_hours(hours),
                              recorded_by=actor(), category=category, description=what,
                              given_on=given_on, idempotency_key=key, long_ago_confirmed=long_ago)
    click.echo(view.id)


@click.command()
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--member", "member_id", type=ROW_ID, required=True, metavar="ID")
@click.option("--hours", required=True, metavar="H")
@click.option("--reason", required=True, metavar="TEXT")
@click.option("--from-pot", is_flag=True, help="From the community pot instead of the bank's account.")
@click.option("--key", default=None, metavar="KEY")
@pass_database
def grant(database, bank_slug, member_id, hours, reason, from_pot, key) -> None:
    """Hours from the bank's own account (welcome hours, a coordinator's grant)."""
    from timebank.services.ledger import grant as grant_hours

    view = grant_hours(database, bank_slug, member_id=member_id, minutes=parse_hours(hours),
                       reason=reason, recorded_by=actor(), from_community_pot=from_pot,
                       idempotency_key=key)
    click.echo(view.id)


@click.command()
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--member", "member_id", type=ROW_ID, required=True, metavar="ID")
@click.option("--hours", required=True, metavar="H")
@click.option("--key", default=None, metavar="KEY")
@pass_database
def donate(database, bank_slug, member_id, hours, key) -> None:
    """Hours given to the bank's community pot."""
    from timebank.services.ledger import donate as donate_hours

    view = donate_hours(database, bank_slug, member_id=member_id, minutes=parse_hours(hours),
                        recorded_by=actor(), idempotency_key=key)
    click.echo(view.id)


@click.command()
@click.argument("exchange_id", type=ROW_ID)
@click.option("--reason", required=True, metavar="TEXT")
@click.option("--bank", "bank_slug", default=None, metavar="SLUG", help="Refuse if the exchange is of another bank.")
@click.option("--key", default=None, metavar="KEY")
@pass_database
def reverse(database, exchange_id, reason, bank_slug, key) -> None:
    """Record the opposite exchange; nothing is ever deleted or edited."""
    from timebank.services.ledger import reverse_exchange

    view = reverse_exchange(database, exchange_id, reason=reason, recorded_by=actor(),
                            bank_slug=bank_slug, idempotency_key=key)
    click.echo(view.id)


@click.command()
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("member_id", type=ROW_ID, required=False)
@click.option("--json", "as_json", is_flag=True)
@pass_database
def balance(database, bank_slug, member_id, as_json) -> None:
    """One member's balance, or every member's."""
    from timebank.services import ledger

    views = [ledger.balance(database, bank_slug, member_id, with_totals=False)] if member_id is not None \
        else ledger.balances(database, bank_slug)
    if as_json:
        echo_json(views[0].as_json() if member_id is not None else [v.as_json() for v in views])
        return
    for v in views:
        click.echo(f"{v.member_id:>6}  {v.name:<30}  {format_minutes(v.balance_minutes):>10}")


@click.command()
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("member_id", type=ROW_ID)
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout.")
@click.option("--json", "as_json", is_flag=True)
@pass_database
def statement(database, bank_slug, member_id, as_csv, as_json) -> None:
    """A member's entries, oldest day of help first, with the running balance."""
    from timebank.services.ledger import statement as member_statement

    lines = member_statement(database, bank_slug, member_id)
    columns = ["entry", "exchange", "day", "kind", "state", "category", "description",
               "with", "minutes", "balance_minutes"]
    rows = [[line.entry_id, line.exchange_id, line.given_on.isoformat(), line.kind, line.state,
             line.category or "", line.description or "", line.counterparty, line.amount_minutes,
             line.balance_minutes] for line in lines]
    if as_json:
        echo_json([dict(zip(columns, row)) for row in rows])
    elif as_csv:
        # The same guard as the web's downloads: a description or a name typed as a
        # formula is shown by the spreadsheet, never run.
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
    else:
        for line in lines:
            click.echo(f"{line.given_on}  #{line.exchange_id:<6} {line.kind:<9} {line.counterparty[:24]:<24} "
                       f"{format_minutes(line.amount_minutes):>9}  {format_minutes(line.balance_minutes):>10}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@pass_database
def check(database, as_json) -> None:
    """Verify every invariant of the ledger; exit 0 only if all hold."""
    from timebank.services.checks import check_ledger

    report = check_ledger(database)
    if as_json:
        echo_json(report.as_json())
    else:
        for p in report.problems:
            click.echo(f"BROKEN {p.invariant}: {p.detail}")
        summary = ", ".join(f"{v} {k}" for k, v in report.counts.items())
        click.echo(("ok: " if report.ok else "FAILED: ") + summary)
    sys.exit(0 if report.ok else 1)


