"""Run the CLI as `python -m cpreport`."""
from .cli import main

main()
