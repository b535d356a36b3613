"""`python -m timebank.cli`: the `timebank` console script, for when no script is installed."""
from timebank.cli import main

main(prog_name="timebank")
