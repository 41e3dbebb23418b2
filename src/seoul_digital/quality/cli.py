"""`seoul-digital quality …` commands. Import heavy modules inside commands, not here."""

import click


@click.group(help="Open-data quality.")
def group() -> None:
    pass
