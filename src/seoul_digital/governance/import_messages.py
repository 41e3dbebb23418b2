"""Words for the spending-file checker's reason codes (the engine returns codes only)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REASON_TEXT = {
    "missing_date": gettext_lazy("집행일이 비어 있습니다"),
    "bad_date": gettext_lazy("집행일 '%(value)s'을(를) 날짜로 읽을 수 없습니다 (예: 2021-03-15)"),
    "outside_year": gettext_lazy("집행일 %(value)s이(가) %(year)s 회계연도 밖입니다"),
    "missing_programme": gettext_lazy("사업이 비어 있습니다"),
    "unknown_programme": gettext_lazy("알 수 없는 사업입니다: '%(value)s' (사업 코드나 사업명을 쓰세요)"),
    "not_your_programme": gettext_lazy("담당 사업이 아니어서 기록할 수 없습니다: '%(value)s'"),
    "missing_amount": gettext_lazy("금액이 비어 있습니다"),
    "non_numeric_amount": gettext_lazy("금액 '%(value)s'이(가) 숫자가 아닙니다"),
    "negative_amount": gettext_lazy("금액 '%(value)s'이(가) 음수입니다 (반납·정정은 따로 처리하세요)"),
    "zero_amount": gettext_lazy("금액이 0원입니다"),
    "fractional_won": gettext_lazy("금액 '%(value)s'이(가) 원 단위 정수가 아닙니다"),
    "duplicate_file": gettext_lazy("같은 내용의 파일을 이미 가져왔습니다"),
}

FILE_PROBLEM_TEXT = {
    "missing_columns": gettext_lazy("필수 열을 찾지 못했습니다: %(value)s. 머리글에 집행일·사업·금액 "
                                    "열이 있어야 합니다."),
    "no_rows": gettext_lazy("데이터 행이 없습니다."),
}

COLUMN_NAMES = {"date": gettext_lazy("집행일"), "programme": gettext_lazy("사업"),
                "amount": gettext_lazy("금액")}


def reason_text(code: str, value: str = "", year: int | None = None) -> str:
    template = REASON_TEXT.get(code)
    if template is None:
        return code
    return str(template) % {"value": value, "year": year or ""}


def file_problem_text(code: str, detail: str = "") -> str:
    template = FILE_PROBLEM_TEXT.get(code)
    if template is None:
        return code
    if code == "missing_columns":
        detail = ", ".join(str(COLUMN_NAMES.get(name.strip(), name.strip()))
                           for name in detail.split(",") if name.strip())
    return str(template) % {"value": detail}


def rejection_lines(batch) -> list[dict]:
    """The batch's rejected rows with their reasons in words, for pages, CSV and API."""
    year = batch.fiscal_year.year
    out = []
    for entry in batch.rejections or []:
        reasons = [reason_text(r["code"], r.get("value", ""), year) for r in entry["reasons"]]
        out.append({"line": entry["line"], "values": entry["values"], "reasons": reasons,
                    "codes": [r["code"] for r in entry["reasons"]]})
    return out


def summary_text(batch) -> str:
    if batch.file_problem:
        return file_problem_text(batch.file_problem, batch.file_problem_detail)
    return _("전체 %(total)s행 중 올바른 행 %(ok)s, 거부 %(bad)s") % {
        "total": batch.rows_total, "ok": batch.rows_accepted, "bad": batch.rows_rejected}
