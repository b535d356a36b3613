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
@pass_database
def reader_train(database, bank_slug: str) -> None:
    """Train the bank's reader on its examples and store it; prints how many it learned from."""
    from timebank.services.readings import retrain_reader

    trained = retrain_reader(database, bank_slug)
    stored = "model stored" if trained.model_stored else "no learned reader yet: the examples are kept for it"
    click.echo(f"{trained.bank_slug}: {trained.example_count} example(s); {stored}.")
