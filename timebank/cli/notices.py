"""`timebank notices send [--loop]`: the worker that sends the outbox's notices by email.

Settings come from the environment (`TIMEBANK_SMTP_HOST` ..., see the README): the
command line only says how often.
"""
from __future__ import annotations

import signal
import threading

import click

from timebank.cli.common import pass_database

__all__ = ["notices"]


@click.group()
def notices() -> None:
    """The messages the bank sends: exchanges waiting, helpers chosen, welcome, reset links."""


@notices.command("send")
@click.option("--loop", is_flag=True, help="Keep sending, pass after pass, until stopped (for a service unit).")
@click.option("--sleep", "sleep_seconds", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="With --loop: seconds to wait between passes.")
@pass_database
def send(database, loop: bool, sleep_seconds: float) -> None:
    """Send the notices that are due; one pass, or with --loop until SIGTERM or Ctrl+C."""
    from timebank.services.notice_delivery import run_loop, send_pass
    from timebank.services.settings import DeliverySettings

    try:
        settings = DeliverySettings.from_environment()
    except ValueError as error:
        raise click.UsageError(str(error)) from None

    def report(result) -> None:
        if result.claimed or not loop:
            click.echo(f"{result.sent} sent, {result.failed} to try again, {result.given_up} given up.")

    if not loop:
        report(send_pass(database, settings))
        return
    stop = threading.Event()
    # The notice in hand is finished and the rest handed back, so a stop sends nothing twice.
    for which in (signal.SIGTERM, signal.SIGINT):
        signal.signal(which, lambda *_: stop.set())
    # The calendar's notices (timebank/cli/schedule.py), once a day, before the passes send them.
    from timebank.cli.schedule import daily_schedule
    scheduled = daily_schedule(database)
    scheduled()
    run_loop(database, settings, sleep_seconds=sleep_seconds, stop=stop,
             on_pass=lambda result: (report(result), scheduled()))
