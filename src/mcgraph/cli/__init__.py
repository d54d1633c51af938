"""Command-line interface: ``mcgraph`` (or ``python -m mcgraph``).

Every module in this package that imports :data:`~.app.cli` and adds commands to it is picked up;
subcommands own their options. :func:`main` maps outcomes to exit codes (0 ok, 1 problems found, 2 error).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from ..errors import McgraphError
from .app import EXIT_ERROR, EXIT_OK, cli, err_console

for _info in pkgutil.iter_modules(__path__):
    if _info.name != "app" and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; exits with the command's code."""
    try:
        code = cli.main(args=argv, prog_name="mcgraph", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = EXIT_ERROR
    except click.exceptions.Abort:
        err_console.print("aborted")
        code = EXIT_ERROR
    except McgraphError as exc:
        err_console.print(f"[bold red]error:[/] {exc}")
        code = EXIT_ERROR
    sys.exit(code if isinstance(code, int) else EXIT_OK)


__all__ = ["cli", "main"]
