"""`seoul-digital sewer …` commands. Import heavy modules inside commands, not here."""

import click


@click.group(help="AI sewer inspection.")
def group() -> None:
    pass
