"""`timebank notices schedule`: write the calendar's notices due today to the outbox.

Run it daily (cron or a timer), or let `notices send --loop` do it: the loop runs it
before its first pass and after any pass on a new UTC day (`daily_schedule`). Running it
twice on a day writes nothing new.
"""
from __future__ import annotations

import datetime as dt

import click

from timebank.cli.common import pass_database
from timebank.cli.notices import notices

__all__ = ["schedule", "daily_schedule"]


@notices.command("schedule")
@click.option("--today", "today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to write notices for (default: today, UTC).")
@pass_database
def schedule(database, today: dt.datetime | None) -> None:
    """Write the notices the calendar makes due: requests and offers expiring within a week,
    weekly digests, follow-ups due and safeguarding checks expiring within 30 days."""
    from timebank.services.scheduled_notices import write_due_notices

    day = today.date() if today else dt.datetime.now(dt.UTC).date()
    written = write_due_notices(database, day)
    kinds = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in sorted(written.by_kind.items()))
    click.echo(f"{written.total} notice{'s' if written.total != 1 else ''} written for {day.isoformat()}"
               + (f": {kinds}." if kinds else "."))


def daily_schedule(database):
    """A callable for the send loop: writes the day's notices once per UTC day."""
    from timebank.services.scheduled_notices import write_due_notices

    done: list[dt.date] = []

    def run() -> None:
        today = dt.datetime.now(dt.UTC).date()
        if not done or done[-1] != today:
            write_due_notices(database, today)
            done.append(today)

    return run
