"""``python -m evalsets`` runs the command line."""

from evalsets.cli.main import main

main()
