"""`seoul-digital governance …` commands. Import heavy modules inside commands, not here."""

import click


@click.group(help="Governance.")
def group() -> None:
    pass
