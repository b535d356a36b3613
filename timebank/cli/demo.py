"""`timebank demo` (the demonstration bank) and `timebank serve` (the web application)."""
from __future__ import annotations

import click

from timebank.cli.common import pass_database, refusals_exit_1

__all__ = ["demo_command", "serve_command"]


@click.command("demo")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the demonstration bank is there already.")
@pass_database
def demo_command(database, if_empty: bool) -> None:
    """Fill the database with a demonstration time bank and print its sign-ins."""
    from timebank.demo import create_demo_bank

    summary = create_demo_bank(database, if_empty=if_empty)
    if not summary.created:
        click.echo(f"The demonstration bank {summary.bank_slug!r} is there already: nothing added.")
        return
    click.echo(
        f"Made the demonstration bank {summary.bank_slug!r}: {summary.members} members "
        f"({summary.organisations} organisations), {summary.exchanges} exchanges "
        f"({summary.group_exchanges} group) in {summary.categories} categories, "
        f"{summary.pending} waiting for confirmation, {summary.offers} offers, "
        f"{summary.requests} requests."
    )
    click.echo(f"Sign in with any of these; the password is {summary.password}")
    for role, email in summary.sign_ins:
        click.echo(f"  {role:<14} {email}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Requests served at once.")
@click.pass_obj
@refusals_exit_1
def serve_command(obj, host: str, port: int, threads: int) -> None:
    """Serve the web application with waitress, a production WSGI server."""
    import waitress

    from timebank.web import create_app

    # The schema is checked first: a server on a database without tables fails every page.
    database = obj.database()
    app = create_app({"DATABASE": database, "DATABASE_URL": database.url})
    import threading

    from sqlalchemy.engine import make_url

    from timebank.services import readings

    threading.Thread(target=readings.warm_up, daemon=True, name="warm-up").start()

    shown = make_url(database.url).render_as_string(hide_password=True)
    click.echo(f"Serving {shown} at http://{host}:{port}/ (Ctrl+C stops it)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="timebank")
