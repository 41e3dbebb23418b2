"""`seoul-digital inclusion …` commands. Import heavy modules inside commands, not here."""

import click


@click.group(help="Digital inclusion.")
def group() -> None:
    pass
