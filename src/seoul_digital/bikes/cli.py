"""`seoul-digital bikes …` commands. Import heavy modules inside commands, not here."""

import click


@click.group(help="Bike safety stock.")
def group() -> None:
    pass
