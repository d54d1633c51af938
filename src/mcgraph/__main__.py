"""``python -m mcgraph`` runs the command-line interface."""

from .cli import main

main()
