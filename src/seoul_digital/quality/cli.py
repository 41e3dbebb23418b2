"""`seoul-digital quality …` commands. Import heavy modules inside commands, not here.

    seoul-digital quality check FILE [--spec YAML] [--json] [--html OUT] [--xlsx OUT]
    seoul-digital quality fix FILE --out CLEAN.csv --log CHANGES.csv [--review REVIEW.json]

Exit status: 0 no error findings, 1 error findings, 2 the file (or spec) could not be read.
"""

from __future__ import annotations

import json
import sys

import click


def _progress():
    """A one-line progress display on a terminal; silent when piped."""
    if not sys.stderr.isatty():
        return lambda done, total, message="": None
    state = {"last": -1}

    def report(done, total, message=""):
        pct = int(100 * done / total) if total else -1
        if pct != state["last"]:
            state["last"] = pct
            shown = f"{pct:3d}%" if pct >= 0 else "   "
            click.echo(f"\r{shown} {message[:60]:<60}", err=True, nl=False)

    return report


def _load_spec(spec_path):
    from seoul_digital.quality.engine.spec import SpecError, load_spec

    try:
        return load_spec(spec_path)
    except SpecError as err:
        click.echo(f"명세 오류: {err}", err=True)
        sys.exit(2)


def _summary(report) -> str:
    from seoul_digital.quality.engine.catalogue import DIMENSIONS, RULES
    from seoul_digital.quality.engine.render import SEVERITY_KO, percent

    lines = [f"파일: {report.file}"]
    if report.unreadable:
        lines.append(f"읽을 수 없음: {report.unreadable}")
        return "\n".join(lines)
    lines.append(f"인코딩: {report.encoding or report.kind} ({report.encoding_evidence})"
                 if report.encoding else f"형식: {report.kind}, 시트 {report.sheet}")
    lines.append(f"머리글 {report.header_rows}행, 데이터 {report.rows:,}행, 열 {report.columns}개")
    lines.append(f"정합률: {percent(report.conformance_rate)} "
                 f"(오류 셀 {report.error_cells:,} / 검사한 셀 {report.checked_cells:,})")
    lines.append("")
    for f in report.findings:
        where = f.column or "(파일 전체)"
        lines.append(f"[{SEVERITY_KO[f.severity]}] {DIMENSIONS[f.dimension].ko} · {RULES[f.rule].ko} "
                     f"({f.rule}) · {where} · {f.count:,}건" + (f" — {f.message}" if f.message else ""))
        if f.examples:
            shown = "; ".join(f"{e.row}행 {e.value[:40]!r}" for e in f.examples[:3])
            lines.append(f"    예: {shown}")
    return "\n".join(lines)


@click.group(help="공공데이터 품질 검사 (Open-data quality).")
def group() -> None:
    pass


@group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--spec", "spec_path", type=click.Path(dir_okay=False, exists=True),
              help="데이터셋별 검사 명세(YAML)")
@click.option("--sheet", default=None, help="통합문서에서 검사할 시트 이름")
@click.option("--json", "as_json", is_flag=True, help="결과를 JSON으로 출력")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="HTML 보고서 파일")
@click.option("--xlsx", "xlsx_out", type=click.Path(dir_okay=False), help="XLSX 보고서 파일")
@click.option("--no-profiles", is_flag=True, help="JSON에서 열 프로필 생략")
def check(file, spec_path, sheet, as_json, html_out, xlsx_out, no_profiles):
    """FILE의 품질을 검사하고 정합률과 발견 사항을 보여 줍니다."""
    from seoul_digital.quality.engine import check_file

    spec = _load_spec(spec_path)
    report = check_file(file, spec, sheet=sheet, progress=_progress(), fewer_gc_passes=True)
    if sys.stderr.isatty():
        click.echo("\r" + " " * 66 + "\r", err=True, nl=False)
    if html_out:
        from seoul_digital.quality.engine.render import write_html

        write_html(report, html_out)
    if xlsx_out:
        from seoul_digital.quality.engine.render import write_xlsx

        write_xlsx(report, xlsx_out)
    if as_json:
        click.echo(report.to_json(profiles=not no_profiles))
    else:
        click.echo(_summary(report))
    if report.unreadable:
        sys.exit(2)
    sys.exit(1 if any(f.severity == "error" for f in report.findings) else 0)


@group.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="정리된 CSV(UTF-8)를 쓸 파일")
@click.option("--log", "log", required=True, type=click.Path(dir_okay=False),
              help="바뀐 셀마다 한 줄(행, 열, 전, 후, 규칙)을 쓸 CSV")
@click.option("--review", "review", type=click.Path(dir_okay=False),
              help="사람이 확인할 항목(제안 포함)을 쓸 JSON")
@click.option("--spec", "spec_path", type=click.Path(dir_okay=False, exists=True))
@click.option("--sheet", default=None)
@click.option("--no-bom", is_flag=True, help="UTF-8 BOM 없이 쓰기")
@click.option("--json", "as_json", is_flag=True, help="결과 요약을 JSON으로 출력")
def fix(file, out, log, review, spec_path, sheet, no_bom, as_json):
    """추측 없이 고칠 수 있는 것만 고쳐 OUT에 쓰고, 바뀐 셀을 LOG에 남깁니다."""
    from seoul_digital.quality.engine.catalogue import RULES
    from seoul_digital.quality.engine.fix import fix_file

    spec = _load_spec(spec_path)
    try:
        result = fix_file(file, out, log, spec=spec, sheet=sheet, bom=not no_bom,
                          progress=_progress())
    except ValueError as err:
        click.echo(f"오류: {err}", err=True)
        sys.exit(2)
    if sys.stderr.isatty():
        click.echo("\r" + " " * 66 + "\r", err=True, nl=False)
    if review and not result.error:
        with open(review, "w", encoding="utf-8") as fh:
            json.dump([r.to_dict() for r in result.needs_review], fh, ensure_ascii=False, indent=2)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif result.error:
        click.echo(f"읽을 수 없음: {result.error}")
    else:
        click.echo(f"{result.source}: {result.rows_in:,}행 → {out} ({result.rows_out:,}행), "
                   f"바뀐 셀 {result.changes:,}개 → {log}")
        for rule, n in sorted(result.changes_by_rule.items(), key=lambda kv: -kv[1]):
            click.echo(f"  고침: {RULES[rule].ko} ({rule}) {n:,}건")
        if result.needs_review:
            click.echo("사람이 확인할 것 (고치지 않음):")
            for item in result.needs_review:
                example = item.examples[0] if item.examples else None
                extra = ""
                if example:
                    extra = f" 예: {example['row']}행 {example['value'][:30]!r}"
                    if example.get("proposal"):
                        extra += f" → 제안 {example['proposal']}"
                click.echo(f"  {RULES[item.rule].ko} · {item.column or '(파일 전체)'} · "
                           f"{item.count:,}건{extra}")
    sys.exit(2 if result.error else 0)


@group.command("rules")
def list_rules():
    """검사 규칙 목록(규칙 ID, 품질 항목, 심각도, 자동 수정 여부)."""
    from seoul_digital.quality.engine.catalogue import DIMENSIONS, RULES

    for rule in RULES.values():
        click.echo(f"{rule.id:30} {DIMENSIONS[rule.dimension].ko:5} {rule.severity:8} "
                   f"{'수정' if rule.fixable else '  '} {rule.ko}")
