"""The `timebank` console script: thin commands over the service layer.

Exit status is chosen here and only here: 0 done, 1 refused by a rule of the time bank
(one line on stderr, nothing written), 2 wrong usage (click's own).
"""
from __future__ import annotations

import click

from timebank.cli.common import cli_context
from timebank.cli.demo import demo_command, serve_command
from timebank.cli.ledger import register as register_ledger
from timebank.cli.match import match_command
from timebank.cli.notices import notices as notices_group
from timebank.cli.privacy import person as person_group
from timebank.cli.privacy import retention as retention_group
from timebank.cli.reader import reader as reader_group
from timebank.cli.schedule import schedule as _schedule  # noqa: F401  (adds `notices schedule`)
from timebank.cli.users import user as user_group
from timebank.domain.passwords import PASSWORD_HASHING

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "database_url",
    envvar="TIMEBANK_DATABASE_URL",
    default=None,
    metavar="URL",
    help="SQLAlchemy database URL (default: an SQLite file in ./instance).",
)
@click.option(
    "--password-hashing",
    type=click.Choice(PASSWORD_HASHING),
    default="standard",
    show_default=True,
    help="The cost of the password hashes written: fast only for tests and throwaway demonstrations.",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None, password_hashing: str) -> None:
    """Time bank ledger, members and capability matching."""
    ctx.obj = cli_context(database_url, password_hashing=password_hashing)
    ctx.call_on_close(ctx.obj.close)


register_ledger(main)
main.add_command(match_command)
main.add_command(demo_command)
main.add_command(serve_command)
main.add_command(user_group)
main.add_command(reader_group)
main.add_command(retention_group)
main.add_command(person_group)
main.add_command(notices_group)
