"""`seoul-digital siting …` commands. Import heavy modules inside commands, not here.

Engine commands never start Django. ``--data-dir`` defaults to ``$SEOUL_DATA_DIR``, then to
``../shared/data/seoul`` next to the checkout (as the web settings do).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click


def _default_data_dir() -> Path | None:
    env = os.environ.get("SEOUL_DATA_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "data" / "seoul"
        if candidate.is_dir():
            return candidate
    return None


def _data_dir(value: str | None) -> Path:
    if value:
        return Path(value)
    found = _default_data_dir()
    if found is None:
        raise click.ClickException(
            "자료 폴더를 찾을 수 없습니다: --data-dir 또는 SEOUL_DATA_DIR로 지정하거나 "
            "`seoul-digital siting synth --out DIR`로 합성 자료를 만드세요.")
    return found


def _fail(err: Exception, as_json: bool) -> None:
    if as_json:
        message = err.message if isinstance(err, click.ClickException) else str(err)
        click.echo(json.dumps({"error": message}, ensure_ascii=False))
        sys.exit(1)
    click.echo("", err=True)  # end the progress line
    raise click.ClickException(err.message if isinstance(err, click.ClickException) else str(err))


def _bar(label: str):
    """A terminal progress callback on stderr (stdout stays clean for --json)."""
    state = {"last": -1}

    def progress(done: float, total: float, message: str = "") -> None:
        percent = int(100 * done / total) if total else 0
        if percent != state["last"]:
            state["last"] = percent
            click.echo(f"\r{label} {percent:3d}% {message[:50]:<50}", nl=False, err=True)
            if percent >= 100:
                click.echo("", err=True)

    return progress


@click.group(help="CCTV siting: demand model, exact maximal coverage, backtests.")
def group() -> None:
    pass


@group.command()
@click.option("--district", required=True, help="자치구 이름 또는 행정안전부 코드 (강남구, 11680)")
@click.option("--data-dir", type=click.Path(file_okay=False), help="자료 폴더 (기본 $SEOUL_DATA_DIR)")
@click.option("--existing", "existing", type=click.Path(dir_okay=False),
              help="기존 CCTV CSV (전국CCTV표준데이터 형식: 위도, 경도, 카메라대수; CP949 또는 UTF-8)")
@click.option("--count", type=int, help="새로 설치할 개소 수")
@click.option("--budget-krw", type=int, help="예산(원): 1개소 설치비로 나눈 만큼 설치")
@click.option("--target-coverage", type=float, help="목표 커버율 0–1 (예: 0.9): 최소 개소 수(LSCP)")
@click.option("--radius", type=float, help="새 카메라 감시 반경 m (기본 50, 회전형 100)")
@click.option("--existing-radius", type=float,
              help="기존 카메라 모두에 쓸 반경 m (기본: 사양에 따라 고정형 50 / 회전형 100)")
@click.option("--unit-cost-krw", type=int, help="1개소 설치비(원), 기본은 가중치 파일 값")
@click.option("--weights", "weights_file", type=click.Path(dir_okay=False, exists=True),
              help="가중치 YAML (기본: 구별 파일 engine/weights/<구>.yaml)")
@click.option("--output", type=click.Path(dir_okay=False), help="추천 입지를 GeoJSON으로 저장")
@click.option("--json", "as_json", is_flag=True, help="결과를 JSON으로 출력")
@click.option("--time-limit", type=float, default=60.0, show_default=True, help="최적화 시간 한도(초)")
def recommend(district, data_dir, existing, count, budget_krw, target_coverage, radius,
              existing_radius, unit_cost_krw, weights_file, output, as_json, time_limit):
    """Recommend new CCTV sites for a district (count, budget, target coverage or the knee)."""
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.recommend import Options
    from seoul_digital.siting.engine.recommend import recommend as run

    try:
        root = _data_dir(data_dir)
        options = Options(count=count, budget_krw=budget_krw, target_coverage=target_coverage,
                          radius=radius, existing_radius=existing_radius,
                          unit_cost_krw=unit_cost_krw, time_limit=time_limit,
                          weights_text=Path(weights_file).read_text(encoding="utf-8")
                          if weights_file else None)
        result = run(root, district, options, existing_csv=existing,
                     progress=(lambda *a, **k: None) if as_json else _bar("입지 계산"))
    except (SitingInputError, OSError, click.ClickException) as err:
        _fail(err, as_json)
        return
    if output:
        Path(output).write_text(json.dumps(result.geojson(), ensure_ascii=False, indent=1),
                                encoding="utf-8")
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{result.district}: 새 CCTV {result.count}개소 "
               f"({ {'count': '개수 지정', 'budget': '예산', 'target': '목표 커버율', 'knee': '곡선의 무릎'}[result.mode] })")
    click.echo(f"  수요 커버율 {result.coverage_before:.1%} → {result.coverage_after:.1%} "
               f"(행정안전부 방식으로 같은 수를 고르면 {result.mois_baseline_coverage:.1%})")
    click.echo(f"  기존 CCTV {result.existing_sites}개소 · 설치비 {result.total_cost_krw:,}원")
    for s in result.sites[:20]:
        click.echo(f"  {s.rank:3d}. ({s.lat:.5f}, {s.lon:.5f}) {s.why}")
    if len(result.sites) > 20:
        click.echo(f"  … 외 {len(result.sites) - 20}곳" + (f" (전체는 {output})" if output else ""))
    for note in result.notes:
        click.echo(f"  참고: {note}")


@group.command()
@click.option("--district", required=True)
@click.option("--data-dir", type=click.Path(file_okay=False))
@click.option("--hide", type=float, default=0.2, show_default=True, help="숨길 기존 CCTV 비율")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--radius", type=float, help="감시 반경 m (기본 50)")
@click.option("--existing-radius", type=float, help="기존 카메라 반경 m (기본: 사양)")
@click.option("--trials", type=int, default=20, show_default=True, help="무작위 기준 반복 수")
@click.option("--json", "as_json", is_flag=True)
def backtest(district, data_dir, hide, seed, radius, existing_radius, trials, as_json):
    """Hide a share of existing sites and see how many the model finds again."""
    from seoul_digital.siting.engine.backtest import backtest as run
    from seoul_digital.siting.engine.errors import SitingInputError

    try:
        result = run(_data_dir(data_dir), district, hide=hide, seed=seed, radius=radius,
                     existing_radius=existing_radius, trials=trials,
                     progress=(lambda *a, **k: None) if as_json else _bar("되짚어 보기"))
    except (SitingInputError, OSError, click.ClickException) as err:
        _fail(err, as_json)
        return
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"{result['district']}: 기존 {result['existing_sites']}곳 중 {result['hidden_sites']}곳을 숨기고 "
               f"같은 수를 추천 (반경 {result['radius_m']:.0f} m)")
    for key, label in (("model", "모형"), ("model_calibrated", "모형(기존 위치로 맞춘 가중치)"),
                       ("population_only", "인구만"), ("mois_style", "행정안전부 방식"), ("random", "무작위")):
        r = result[key]
        click.echo(f"  {label:<28} 적중률 {r['hit_rate']:.1%} (반경 2배 {r['hit_rate_2r']:.1%})")


@group.command()
@click.option("--out", required=True, type=click.Path(file_okay=False), help="만들 폴더")
@click.option("--district", "districts", multiple=True, help="자치구 (여러 번 가능; 기본 강남·서초·관악)")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--scale", type=float, default=1.0, show_default=True, help="면적 배율 (시험용 축소)")
def synth(out, districts, seed, scale):
    """Write a synthetic data folder in the real files' layout (for demos and tests)."""
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.synth import DEMO_DISTRICTS, write_synthetic

    try:
        path = write_synthetic(out, districts or DEMO_DISTRICTS, seed=seed, scale=scale)
    except SitingInputError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"합성 자료를 만들었습니다: {path}")


@group.command()
@click.option("--district", required=True)
@click.option("--data-dir", type=click.Path(file_okay=False))
@click.option("--existing", type=click.Path(dir_okay=False), help="기존 CCTV CSV (기본: 자료 폴더)")
def calibrate(district, data_dir, existing):
    """Print weights (YAML) fitted to where the district's cameras already are."""
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.recommend import calibrated_weights

    try:
        _w, text = calibrated_weights(_data_dir(data_dir), district, existing_csv=existing)
    except (SitingInputError, OSError) as err:
        raise click.ClickException(str(err)) from None
    click.echo(text, nl=False)


@group.command("weights")
@click.option("--district", required=True)
def weights_cmd(district):
    """Print a district's weights file (YAML) — copy, edit, pass back with --weights."""
    from seoul_digital.siting.engine.demand import load_weights, weights_path
    from seoul_digital.siting.engine.errors import SitingInputError
    from seoul_digital.siting.engine.layers import resolve_district

    try:
        d = resolve_district(district)
    except SitingInputError as err:
        raise click.ClickException(str(err)) from None
    path = weights_path(d.slug)
    if path.exists():
        click.echo(path.read_text(encoding="utf-8"), nl=False)
    else:
        from seoul_digital.siting.engine.demand import default_weights_yaml

        click.echo(default_weights_yaml(d.name_ko), nl=False)
    load_weights(d.slug, d.name_ko)  # validates
