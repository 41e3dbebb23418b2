"""`seoul-digital siting …` commands. Import heavy modules inside commands, not here."""

import click


@click.group(help="CCTV siting.")
def group() -> None:
    pass
