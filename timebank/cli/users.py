"""Commands for sign-ins: the operator makes, resets and disables staff sign-ins.

A reset link is printed to the operator's terminal (stdout), to hand to its holder; it
is never written to a log. A link works once, for an hour, and voids the older ones.
"""
from __future__ import annotations

import click

from timebank.cli.common import pass_database
from timebank.domain.roles import STAFF_ROLES

__all__ = ["user"]


def _echo_link(link) -> None:
    click.echo(link.path)
    click.echo(f"The link works once, for an hour: give it to {link.user.name} ({link.user.email}) "
               "only, and they choose their password with it.", err=True)
    if link.emailed_to:
        click.echo(f"It is sent to {link.emailed_to} too, by `timebank notices send`.", err=True)


@click.group()
def user() -> None:
    """Sign-ins of staff: coordinators and social workers."""


@user.command("add")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--role", required=True, type=click.Choice(STAFF_ROLES),
              help="Members' sign-ins are made by their coordinator.")
@click.option("--name", required=True, help="The person's name, as pages show it.")
@click.argument("email")
@pass_database
def user_add(database, bank_slug: str, role: str, name: str, email: str) -> None:
    """A new staff sign-in for EMAIL; prints its id, then its reset link."""
    from timebank.services.auth import add_staff_sign_in

    link = add_staff_sign_in(database, bank_slug, email=email, name=name, role=role)
    click.echo(link.user.id)
    _echo_link(link)


@user.command("reset")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("email")
@pass_database
def user_reset(database, bank_slug: str, email: str) -> None:
    """A new reset link for the sign-in EMAIL of the bank; prints the link."""
    from timebank.services.auth import issue_reset_link_by_operator

    _echo_link(issue_reset_link_by_operator(database, bank_slug, email))


@user.command("disable")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("email")
@pass_database
def user_disable(database, bank_slug: str, email: str) -> None:
    """Stop the sign-in EMAIL of the bank: its sessions end at once; prints its id."""
    from timebank.services.auth import set_sign_in_active_by_operator

    click.echo(set_sign_in_active_by_operator(database, bank_slug, email, False).id)


@user.command("enable")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("email")
@pass_database
def user_enable(database, bank_slug: str, email: str) -> None:
    """Let the sign-in EMAIL of the bank sign in again; prints its id."""
    from timebank.services.auth import set_sign_in_active_by_operator

    click.echo(set_sign_in_active_by_operator(database, bank_slug, email, True).id)


@user.command("reset-factor")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.argument("email")
@pass_database
def user_reset_factor(database, bank_slug: str, email: str) -> None:
    """Clear the second factor of the sign-in EMAIL (a lost phone): its sessions end, and
    it sets up a new authenticator app at its next sign-in; prints its id."""
    from timebank.services.second_factor import reset_factor_by_operator

    reset = reset_factor_by_operator(database, bank_slug, email)
    click.echo(reset.user_id)
    click.echo(f"{reset.name} ({reset.email}) sets up a new authenticator app when they next sign in.", err=True)
