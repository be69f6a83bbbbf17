"""``python -m indexer`` runs the ``corpus`` command."""

from indexer.cli import main

main()
