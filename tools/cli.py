"""The checkout-only commands: ``newswire bench``, ``newswire eval`` and ``newswire eval-dedup``
run these when newswire runs from a checkout; ``python -m tools COMMAND`` runs them directly."""

from __future__ import annotations

import click

from tools.bench.run import bench
from tools.evaluation.run import eval_dedup, eval_nlp

#: Command name -> click command, as ``newswire`` mounts them.
COMMANDS: dict[str, click.Command] = {"bench": bench, "eval": eval_nlp, "eval-dedup": eval_dedup}


@click.group(help="The checkout-only newswire commands (benchmark and evaluations).")
def tools() -> None:
    pass


for _name, _command in COMMANDS.items():
    tools.add_command(_command, _name)
