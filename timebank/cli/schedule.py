"""`timebank notices schedule`: write the calendar's notices due today to the outbox.

Run it daily (a timer beside the `notices send --loop` unit, or cron); running it twice
on a day writes nothing new. `notices send --loop` does not call it: a schedule runs once
a day, not every pass, and keeping the two apart keeps the worker's loop as it was built.
"""
from __future__ import annotations

import datetime as dt

import click

from timebank.cli.common import pass_database
from timebank.cli.notices import notices

__all__ = ["schedule"]


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
