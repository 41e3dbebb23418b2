"""`seoul-digital governance …` commands. Import heavy modules inside commands, not here."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def _actor(username: str | None):
    """The user a command acts as: the named account, or a transient admin for operators."""
    from django.contrib.auth import get_user_model

    from seoul_digital.core.roles import Role

    User = get_user_model()
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise click.ClickException(f"no user '{username}'") from None
    return User(username="cli", role=Role.ADMIN, is_active=True)


@click.group(help="Governance: organisation, budget execution, audit register, annual report.")
def group() -> None:
    pass


@group.command("report")
@click.option("--year", type=int, default=2021, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "xlsx"]), default="html",
              show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="output file (default governance-report-YEAR.FORMAT); '-' writes to stdout")
@click.option("--user", "username", default=None, help="act as this account (default: admin view)")
@click.option("--lang", default="ko", show_default=True, type=click.Choice(["ko", "en"]))
def report(year: int, fmt: str, out: Path | None, username: str | None, lang: str) -> None:
    """Regenerate the work report's tables (staffing, finance, budget 총괄표, quarterly plans,
    audit summary) from the database."""
    from seoul_digital.cli import setup_django

    setup_django()
    from django.utils import translation

    from seoul_digital.governance import reports

    with translation.override(lang):
        try:
            content, _type, name = reports.render(_actor(username), year, fmt)
        except reports.ReportUnavailable as err:
            raise click.ClickException(str(err)) from None
    if str(out) == "-":
        sys.stdout.buffer.write(content)
        return
    target = out or Path(name)
    target.write_bytes(content)
    click.echo(f"{target} ({len(content):,} bytes)")


@group.command("import-spending")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=2021, show_default=True)
@click.option("--mode", type=click.Choice(["valid", "all"]), default="valid", show_default=True,
              help="valid: import the valid rows; all: import every row or none")
@click.option("--user", "username", required=True, help="the account the spending is recorded by")
@click.option("--dry-run", is_flag=True, help="check and report only; record nothing")
def import_spending(path: Path, year: int, mode: str, username: str, dry_run: bool) -> None:
    """Check a spending CSV/XLSX (date, programme, amount, description) and import it."""
    from seoul_digital.cli import setup_django

    setup_django()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from seoul_digital.governance import selectors, services
    from seoul_digital.governance.import_messages import rejection_lines, summary_text

    user = _actor(username)
    fiscal_year = selectors.fiscal_years_for(user).filter(year=year).first()
    if fiscal_year is None:
        raise click.ClickException(f"no fiscal year {year} visible to {username}")
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    try:
        batch = services.do_check_spending_file(user, fiscal_year, upload, mode=mode)
        if not dry_run:
            batch = services.do_apply_spending_import(user, batch)
    except services.ImportFileError as err:
        raise click.ClickException(str(err)) from None
    except (ValidationError, services.AccessDenied) as err:
        raise click.ClickException(" ".join(getattr(err, "messages", [str(err)]))) from None
    for entry in rejection_lines(batch):
        click.echo(f"  line {entry['line']}: " + "; ".join(entry["reasons"]))
    click.echo(f"import #{batch.pk}: {batch.get_status_display()} — {summary_text(batch)}; "
               f"imported {batch.rows_imported} rows, {batch.amount_imported_krw:,} KRW")
    if not dry_run and batch.status == "rejected":
        sys.exit(1)


@group.command("status")
@click.option("--year", type=int, default=2021, show_default=True)
@click.option("--quarter", type=click.IntRange(1, 4), default=None)
def status(year: int, quarter: int | None) -> None:
    """Print execution by programme at a quarter's end, with alerts."""
    from seoul_digital.cli import setup_django

    setup_django()
    from seoul_digital.governance import monitoring, selectors

    user = _actor(None)
    fiscal_year = selectors.fiscal_years_for(user).filter(year=year).first()
    if fiscal_year is None:
        raise click.ClickException(f"no fiscal year {year}")
    result = monitoring.monitor(user, fiscal_year, quarter)
    click.echo(f"{year} Q{result.quarter} (alert threshold {result.threshold_pp}%p); "
               "amounts in 백만원")
    click.echo(f"{'programme':<20}{'예산현액':>10}{'집행':>10}{'집행률':>8}{'계획':>8}{'차이':>9}"
               f"{'예상불용':>10}")
    rows = [(p.code, s.at(result.quarter)) for p, s in result.programmes]
    if result.total_row:
        rows.append(("TOTAL", result.total_row))
    for code, row in rows:
        rate = f"{row.execution_rate * 100:.1f}%" if row.execution_rate is not None else "-"
        gap = f"{row.gap_pp:+.1f}" if row.gap_pp is not None else "-"
        flag = "  ALERT" if row.behind else ""
        click.echo(f"{code:<20}{row.current_budget_krw / 1e6:>10,.1f}"
                   f"{row.cumulative_spend_krw / 1e6:>10,.1f}{rate:>8}"
                   f"{row.planned_share * 100:>7.1f}%{gap:>9}"
                   f"{row.projected_unspent_krw / 1e6:>10,.1f}{flag}")
