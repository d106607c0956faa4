"""``python -m incentsim``: the command line."""

from incentsim.cli import main

main()
