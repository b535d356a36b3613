"""`timebank reader train --bank SLUG`: retrain a bank's reader on its examples (the
readings its social workers corrected, and the matches they accepted)."""
from __future__ import annotations

import click

from timebank.cli.common import pass_database

__all__ = ["reader"]


@click.group()
def reader() -> None:
    """The reader that reads people's words into the bank's services."""


@reader.command("train")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--only-when-taught", is_flag=True,
              help="Train only when there are examples the stored reader has not learned from.")
@pass_database
def reader_train(database, bank_slug: str, only_when_taught: bool) -> None:
    """Train the bank's reader on its examples and store it; prints how many it learned from."""
    from timebank.services.readings import retrain_reader, retrain_when_taught

    trained = retrain_when_taught(database, bank_slug) if only_when_taught else retrain_reader(database, bank_slug)
    if trained is None:
        click.echo(f"{bank_slug}: nothing new to learn.")
        return
    stored = "model stored" if trained.model_stored else "no learned reader yet: the examples are kept for it"
    click.echo(f"{trained.bank_slug}: {trained.example_count} example(s); {stored}.")
