"""`seoul-digital inclusion …` commands. Import heavy modules inside commands, not here.

Engine commands (match, synth, contents, diagnose) run without Django; ``statement`` and
``rollup`` read the platform database.
"""

from __future__ import annotations

import json
import sys

import click


@click.group(help="Digital inclusion: matching, diagnosis, statements, robot classes.")
def group() -> None:
    pass


def _bar(label: str):
    """A terminal progress bar adapted to the engine's progress callback."""
    state = {"bar": None}

    def progress(done, total, message=""):
        if state["bar"] is None:
            state["bar"] = click.progressbar(length=1000, label=label, file=sys.stderr)
            state["bar"].__enter__()
        fraction = (done / total) if total else 0.0
        bar = state["bar"]
        bar.update(max(0, int(fraction * 1000) - bar.pos))

    def close():
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    return progress, close


@group.command()
@click.option("--learners", "learners_csv", required=True, type=click.Path(exists=True, dir_okay=False),
              help="learners CSV (id, district, windows, level, device, …)")
@click.option("--supporters", "supporters_csv", required=True,
              type=click.Path(exists=True, dir_okay=False), help="supporters CSV")
@click.option("--travel-limit", type=float, default=None,
              help="also allow pairs within this many estimated travel minutes")
@click.option("--no-adjacent", is_flag=True, help="same district only (no bordering districts)")
@click.option("--sessions-per-month", type=int, default=2, show_default=True)
@click.option("--cap-hours", type=float, default=21.0, show_default=True,
              help="monthly hour cap per supporter")
@click.option("--greedy", is_flag=True, help="use the greedy baseline instead of the optimum")
@click.option("--json", "as_json", is_flag=True, help="print the full result as JSON")
def match(learners_csv, supporters_csv, travel_limit, no_adjacent, sessions_per_month,
          cap_hours, greedy, as_json):
    """Propose learner–supporter pairs (optimal min-cost flow) with reasons."""
    from seoul_digital.inclusion.engine import matching as m
    from seoul_digital.inclusion.engine.people_io import read_learners, read_supporters

    try:
        learners = read_learners(learners_csv)
        supporters = read_supporters(supporters_csv)
        policy = m.MatchPolicy(sessions_per_month=sessions_per_month,
                               monthly_cap_minutes=int(cap_hours * 60),
                               allow_adjacent=not no_adjacent, max_travel_minutes=travel_limit)
        if greedy:
            result = m.greedy_match(learners, supporters, policy)
        else:
            progress, close = _bar("matching") if not as_json else (lambda *a, **k: None, lambda: None)
            try:
                result = m.match(learners, supporters, policy, progress=progress)
            finally:
                close()
    except m.MatchingError as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    s = result.stats
    click.echo(f"{s['matched']}/{s['learners']} learners matched ({s['match_rate']:.1%}), "
               f"objective {s['objective']}, mean travel {s['mean_travel_minutes']:.1f} min, "
               f"solve {s['solve_seconds']} s")
    for p in result.proposals:
        why = "; ".join(m.describe(r) for r in p.reasons)
        click.echo(f"  {p.learner_id} → {p.supporter_id}  cost {p.cost}: {why}")
    for u in result.unmatched:
        click.echo(f"  {u.learner_id} waits: {m.describe(u.reason)}")


@group.command()
@click.option("--learners", "n_learners", type=int, default=200, show_default=True)
@click.option("--supporters", "n_supporters", type=int, default=20, show_default=True)
@click.option("--seed", type=int, default=2021, show_default=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="folder for learners.csv and supporters.csv")
def synth(n_learners, n_supporters, seed, out_dir):
    """Write synthetic learners.csv and supporters.csv (no real people)."""
    from pathlib import Path

    from seoul_digital.inclusion.engine import synth as synthetic
    from seoul_digital.inclusion.engine.people_io import write_learners, write_supporters

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    learners, supporters = synthetic.people(n_learners, n_supporters, seed=seed)
    write_learners(folder / "learners.csv", learners)
    write_supporters(folder / "supporters.csv", supporters)
    click.echo(f"wrote {len(learners)} learners and {len(supporters)} supporters to {folder}")


@group.command()
@click.option("--level", type=click.Choice(["basic", "daily", "advanced"]), default=None)
@click.option("--partners/--no-partners", default=True, show_default=True)
def contents(level, partners):
    """List the teaching contents (and partner courses)."""
    from seoul_digital.inclusion.engine import contents as data
    from seoul_digital.inclusion.engine.matching import LEVEL_KO

    rows = list(data.CONTENTS) + (list(data.PARTNER_COURSES) if partners else [])
    for c in rows:
        if level and c.level != level:
            continue
        partner = f" [{c.partner_ko}]" if c.partner_ko else ""
        click.echo(f"{c.code}  {LEVEL_KO[c.level]}  {c.minutes:>3}분  {c.title_ko}{partner}")


@group.command()
@click.option("--answers", "answers_json", required=True,
              help="JSON object question code → 0..3, or @file.json")
@click.option("--version", type=int, default=None, help="questionnaire version (default latest)")
def diagnose(answers_json, version):
    """Level per skill and overall from questionnaire answers."""
    from pathlib import Path

    from seoul_digital.inclusion.engine import diagnosis as d

    text = Path(answers_json[1:]).read_text() if answers_json.startswith("@") else answers_json
    try:
        answers = json.loads(text)
        result = d.diagnose(d.questionnaire(version=version), answers)
    except (ValueError, KeyError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))


@group.command()
@click.option("--supporter", "supporter_id", required=True, type=int, help="supporter record id")
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
def statement(supporter_id, month, out_path):
    """Write a supporter's monthly hours-and-fees statement as XLSX."""
    from seoul_digital.cli import setup_django

    setup_django()
    from seoul_digital.inclusion import reports
    from seoul_digital.inclusion.models import Supporter

    try:
        year, mon = (int(x) for x in month.split("-"))
    except ValueError:
        raise click.ClickException(f"'{month}' is not a month like 2021-06") from None
    supporter = Supporter.objects.filter(pk=supporter_id).first()
    if supporter is None:
        raise click.ClickException(f"no supporter with id {supporter_id}")
    data = reports.statement_xlsx(supporter, year, mon)
    with open(out_path, "wb") as fh:
        fh.write(data)
    click.echo(f"wrote {out_path}")


@group.command()
def rollup():
    """Robot-class reach per district against the 4,000-learner target."""
    from seoul_digital.cli import setup_django

    setup_django()
    from seoul_digital.inclusion import selectors

    for row in selectors.robot_rollup_all():
        click.echo(f"{row['district']:<6} classes {row['classes']:>4}  seniors {row['seniors']:>5}"
                   f"  children {row['children']:>5}  total {row['total']:>5} / {row['target']}")
