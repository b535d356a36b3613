"""`timebank retention run` and `timebank person export|erase`: the operator's side of
subject access, erasure and retention (issue 13)."""
from __future__ import annotations

from pathlib import Path

import click

from timebank.cli.common import ROW_ID, pass_database

__all__ = ["retention", "person"]


@click.group()
def retention() -> None:
    """How long assessments and closed introductions are kept."""


@retention.command("run")
@click.option("--bank", "bank_slug", metavar="SLUG", help="Only this bank (default: every bank).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed, and remove nothing.")
@pass_database
def retention_run(database, bank_slug: str | None, dry_run: bool) -> None:
    """Remove what each bank keeps no longer; prints each record removed."""
    from timebank.services.retention import run_retention

    removed = run_retention(database, bank_slug=bank_slug, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for r in removed:
        click.echo(f"{r.bank_slug}: {verb} {r.kind} {r.id} (last contact {r.last_contact.isoformat()})")
    click.echo(f"{len(removed)} record(s) {'would be removed' if dry_run else 'removed'}.")


@click.group()
def person() -> None:
    """Everything the bank holds on one member: export it, or erase it."""


@person.command("export")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--member", "member_id", required=True, type=ROW_ID)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The zip file to write (JSON and a readable page).")
@pass_database
def person_export(database, bank_slug: str, member_id: int, out: Path) -> None:
    """Write the member's record and ledger to a zip (assessments: a social worker's export)."""
    from timebank.services.subject_access import as_zip, member_file

    out.write_bytes(as_zip(member_file(database, None, bank_slug, member_id)))
    click.echo(f"member {member_id}: written to {out}")


@person.command("erase")
@click.option("--bank", "bank_slug", required=True, metavar="SLUG")
@click.option("--member", "member_id", required=True, type=ROW_ID)
@click.option("--yes", is_flag=True, help="Do not ask: erasing cannot be undone.")
@pass_database
def person_erase(database, bank_slug: str, member_id: int, yes: bool) -> None:
    """Erase a member: name, contact details, texts and assessments; the ledger stays whole."""
    from timebank.services.erasure import erase_member

    if not yes:
        click.confirm(f"Erase member {member_id} of {bank_slug}? This cannot be undone", abort=True)
    erased = erase_member(database, bank_slug, member_id)
    if erased.already:
        click.echo(f"member {member_id} was erased already: nothing to do.")
    else:
        click.echo(f"member {member_id} erased: {erased.exchanges} exchange text(s), {erased.requests} request(s), "
                   f"{erased.offers} offer(s), {erased.notes} note(s), {erased.assessments} assessment(s), "
                   f"{erased.sign_ins} sign-in(s).")
