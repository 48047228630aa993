"""``python -m tools COMMAND``: the checkout-only commands without the installed CLI."""

from tools.cli import tools

tools(prog_name="python -m tools")
