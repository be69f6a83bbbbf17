"""``python -m indexer`` runs the ``corpus`` command."""

from indexer.launch import main

main()
