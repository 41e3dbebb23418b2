"""Spending files: every bad row rejected with its reason, the rest imported as the user chose,
in one transaction; the same file twice is refused by its content hash."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from seoul_digital.governance.engine import spending as engine

GOOD_AND_BAD = (
    "집행일,사업,금액,집행내용\n"
    "2021-01-15,data,1000000,정상 1\n"                       # line 2: ok
    "2021-02-01,없는사업,5000,모르는 사업\n"                  # line 3: unknown programme
    "2021-02-02,overseas,-3000,음수\n"                         # line 4: negative
    "2021-02-03,overseas,삼천원,글자\n"                        # line 5: non-numeric
    "2020-12-31,data,1000,작년\n"                              # line 6: outside the year
    "2021-03-01,시민참여형 서울데이터 창출,\"2,500,000\",세부사업명\n"  # line 7: ok, by line name
    "2021-13-01,data,0,여러 문제\n"                            # line 8: bad date and zero
)


def upload(text: str, name: str = "spending.csv", encoding: str = "utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


# --- engine ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,unit,expected", [
    ("1,234,000", 1, (1_234_000, None)),
    ("1234000원", 1, (1_234_000, None)),
    ("₩ 5,000", 1, (5_000, None)),
    ("12.5", 1000, (12_500, None)),
    ("-5,000", 1, (None, "negative_amount")),
    ("△5,000", 1, (None, "negative_amount")),
    ("(5,000)", 1, (None, "negative_amount")),
    ("오천", 1, (None, "non_numeric_amount")),
    ("1,2a", 1, (None, "non_numeric_amount")),
    ("", 1, (None, "missing_amount")),
    ("0", 1, (None, "zero_amount")),
    ("10.5", 1, (None, "fractional_won")),
])
def test_parse_amount(text, unit, expected):
    assert engine.parse_amount(text, unit) == expected


@pytest.mark.parametrize("text,expected", [
    ("2021-03-15", (dt.date(2021, 3, 15), None)),
    ("2021.3.5", (dt.date(2021, 3, 5), None)),
    ("2021. 3. 15.", (dt.date(2021, 3, 15), None)),
    ("2021년 3월 15일", (dt.date(2021, 3, 15), None)),
    ("20210315", (dt.date(2021, 3, 15), None)),
    ("2021-03-15 00:00:00", (dt.date(2021, 3, 15), None)),
    ("2021-02-30", (None, "bad_date")),
    ("3월 15일", (None, "bad_date")),
    ("", (None, "missing_date")),
])
def test_parse_date(text, expected):
    assert engine.parse_date(text) == expected


def test_amount_column_unit_from_header():
    assert engine.find_columns(["일자", "사업명", "금액(천원)", "적요"])[1] == 1000
    assert engine.find_columns(["date", "programme", "amount", "description"])[1] == 1
    columns, _unit = engine.find_columns(["집행일자", "세부사업", "집행액(백만원)"])
    assert columns["description"] is None and _unit == 1_000_000


def test_check_rows_reasons_per_row():
    refs = {engine.normalise_key("data"): engine.ProgrammeRef("data")}
    check = engine.check_rows(
        ["집행일", "사업", "금액"],
        [["2021-01-01", "data", "10"], ["2021-13-01", "nope", "-1"]],
        first_line=2, sha256="x", year=2021, programmes=refs)
    assert [r.line for r in check.accepted] == [2]
    assert [(r.line, [x.code for x in r.reasons]) for r in check.rejected] == [
        (3, ["bad_date", "unknown_programme", "negative_amount"])]


def test_missing_columns_is_a_file_problem():
    check = engine.check_rows(["a", "b"], [["1", "2"]], first_line=2, sha256="x", year=2021,
                              programmes={})
    assert check.file_problem == "missing_columns"
    assert check.file_problem_detail == "date, programme, amount"
    assert not check.accepted and not check.rejected


# --- service --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_valid_rows_mode_imports_the_good_rows_and_explains_the_rest(users, fiscal_year):
    from seoul_digital.governance import services
    from seoul_digital.governance.import_messages import rejection_lines
    from seoul_digital.governance.models import Spending

    batch = services.do_check_spending_file(users.admin, fiscal_year, upload(GOOD_AND_BAD), mode="valid")
    assert batch.status == "checked" and Spending.objects.count() == 0  # nothing before applying
    assert (batch.rows_total, batch.rows_accepted, batch.rows_rejected) == (7, 2, 5)
    reasons = {r["line"]: r["codes"] for r in rejection_lines(batch)}
    assert reasons == {3: ["unknown_programme"], 4: ["negative_amount"],
                       5: ["non_numeric_amount"], 6: ["outside_year"],
                       8: ["bad_date", "zero_amount"]}
    texts = {r["line"]: r["reasons"] for r in rejection_lines(batch)}
    assert "없는사업" in texts[3][0] and "-3000" in texts[4][0] and "2021" in texts[6][0]

    batch = services.do_apply_spending_import(users.admin, batch)
    assert batch.status == "partial" and batch.rows_imported == 2
    rows = Spending.objects.order_by("source_line")
    assert [(r.source_line, r.programme.code, r.amount_krw) for r in rows] == [
        (2, "data", 1_000_000), (7, "data", 2_500_000)]
    assert rows[1].cost_line.code == "citizen_data"
    assert batch.amount_imported_krw == 3_500_000


@pytest.mark.django_db
def test_all_or_nothing_imports_nothing_when_a_row_is_bad(users, fiscal_year):
    from seoul_digital.governance import services
    from seoul_digital.governance.models import Spending

    batch = services.do_check_spending_file(users.admin, fiscal_year, upload(GOOD_AND_BAD), mode="all")
    batch = services.do_apply_spending_import(users.admin, batch)
    assert batch.status == "rejected" and batch.rows_imported == 0
    assert Spending.objects.count() == 0
    assert batch.rows_rejected == 5  # still explained, row by row


@pytest.mark.django_db
def test_mode_can_be_changed_when_applying(users, fiscal_year):
    from seoul_digital.governance import services
    from seoul_digital.governance.models import Spending

    batch = services.do_check_spending_file(users.admin, fiscal_year, upload(GOOD_AND_BAD), mode="all")
    batch = services.do_apply_spending_import(users.admin, batch, mode="valid")
    assert batch.status == "partial" and Spending.objects.count() == 2


@pytest.mark.django_db
def test_same_file_twice_is_refused_by_content_hash(users, fiscal_year):
    from seoul_digital.governance import services
    from seoul_digital.governance.import_messages import rejection_lines
    from seoul_digital.governance.models import Spending

    text = "집행일,사업,금액\n2021-01-15,data,1000\n2021-01-16,data,2000\n"
    first = services.do_apply_spending_import(
        users.admin, services.do_check_spending_file(users.admin, fiscal_year, upload(text), mode="all"))
    assert first.status == "imported"
    # Same bytes under another name: still the same file.
    second = services.do_check_spending_file(users.admin, fiscal_year, upload(text, "renamed.csv"),
                                             mode="valid")
    assert second.duplicate_of == first and second.rows_accepted == 0
    assert all(r["codes"] == ["duplicate_file"] for r in rejection_lines(second))
    second = services.do_apply_spending_import(users.admin, second)
    assert second.status == "rejected"
    assert Spending.objects.count() == 2
    # A file that was checked but never applied does not block a later import.
    other = "집행일,사업,금액\n2021-01-17,data,3000\n"
    services.do_cancel_spending_import(
        users.admin, services.do_check_spending_file(users.admin, fiscal_year, upload(other), mode="all"))
    third = services.do_check_spending_file(users.admin, fiscal_year, upload(other), mode="all")
    assert third.duplicate_of is None and services.do_apply_spending_import(users.admin, third).status == "imported"


@pytest.mark.django_db
def test_apply_is_one_transaction(users, fiscal_year):
    """If writing fails half-way, nothing of the file is recorded and the batch stays open."""
    from django.db import DatabaseError

    from seoul_digital.governance import services
    from seoul_digital.governance.models import Spending, SpendingImport

    batch = services.do_check_spending_file(
        users.admin, fiscal_year, upload("집행일,사업,금액\n2021-01-15,data,1000\n"), mode="valid")
    with mock.patch.object(SpendingImport, "save", side_effect=DatabaseError("disk full")):
        with pytest.raises(DatabaseError):
            services.do_apply_spending_import(users.admin, batch)
    assert Spending.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == "checked"
    assert services.do_apply_spending_import(users.admin, batch).status == "imported"


@pytest.mark.django_db
def test_applied_batch_cannot_be_applied_again(users, fiscal_year):
    from django.core.exceptions import ValidationError

    from seoul_digital.governance import services

    batch = services.do_apply_spending_import(users.admin, services.do_check_spending_file(
        users.admin, fiscal_year, upload("집행일,사업,금액\n2021-01-15,data,1000\n"), mode="valid"))
    with pytest.raises(ValidationError):
        services.do_apply_spending_import(users.admin, batch)


@pytest.mark.django_db
def test_staff_record_only_their_programme(users, fiscal_year):
    from seoul_digital.governance import services
    from seoul_digital.governance.import_messages import rejection_lines

    text = "집행일,사업,금액\n2021-01-15,data,1000\n2021-01-15,overseas,1000\n2021-01-15,데이터 창출 분석 및 활용 확산,7\n"
    batch = services.do_apply_spending_import(
        users.staff, services.do_check_spending_file(users.staff, fiscal_year, upload(text), mode="valid"))
    assert batch.rows_imported == 2
    assert [r["codes"] for r in rejection_lines(batch)] == [["not_your_programme"]]
    assert set(batch.rows.values_list("programme__code", flat=True)) == {"data"}


@pytest.mark.django_db
def test_cp949_csv_and_xlsx_are_read(users, fiscal_year):
    import openpyxl

    from seoul_digital.governance import services

    cp949 = services.do_check_spending_file(
        users.admin, fiscal_year,
        upload("집행일자,사업명,집행액(천원),적요\n2021-02-01,서울 스마트시티센터 운영,1500,임차료\n",
               encoding="cp949"), mode="valid")
    assert cp949.rows_accepted == 1 and not cp949.rejections
    batch = services.do_apply_spending_import(users.admin, cp949)
    assert batch.rows.get().amount_krw == 1_500_000  # 천원 header
    assert batch.rows.get().description == "임차료"

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["지출 내역"])  # a title row above the table
    sheet.append(["집행일", "사업", "금액", "내용"])
    sheet.append([dt.datetime(2021, 3, 2), "robots", 250000, "운영사 선금"])
    sheet.append([dt.datetime(2022, 1, 2), "robots", 1, "다음 해"])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = services.do_check_spending_file(
        users.admin, fiscal_year, SimpleUploadedFile("q1.xlsx", buffer.getvalue()), mode="valid")
    assert xlsx.rows_accepted == 1
    assert [(r["line"], [x["code"] for x in r["reasons"]]) for r in xlsx.rejections] == [(4, ["outside_year"])]


@pytest.mark.django_db
def test_unreadable_or_wrong_files_say_why(users, fiscal_year):
    from seoul_digital.governance import services

    with pytest.raises(services.ImportFileError, match="CSV"):
        services.do_check_spending_file(users.admin, fiscal_year,
                                        SimpleUploadedFile("a.pdf", b"%PDF-1.4"), mode="valid")
    with pytest.raises(services.ImportFileError):
        services.do_check_spending_file(users.admin, fiscal_year,
                                        SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"), mode="valid")
    with pytest.raises(services.ImportFileError):
        services.do_check_spending_file(users.admin, fiscal_year, SimpleUploadedFile("a.csv", b""),
                                        mode="valid")
    batch = services.do_check_spending_file(users.admin, fiscal_year,
                                            upload("날짜,비고\n2021-01-01,x\n"), mode="valid")
    assert batch.file_problem == "missing_columns"
    from seoul_digital.governance.import_messages import summary_text

    assert "사업" in summary_text(batch) and "금액" in summary_text(batch)
    assert services.do_apply_spending_import(users.admin, batch).status == "rejected"


@pytest.mark.django_db
def test_import_is_audited(users, fiscal_year):
    from seoul_digital.core.models import AuditLog
    from seoul_digital.governance import services

    batch = services.do_apply_spending_import(users.admin, services.do_check_spending_file(
        users.admin, fiscal_year, upload("집행일,사업,금액\n2021-01-15,data,1000\n"), mode="valid"))
    entries = AuditLog.objects.filter(model="spendingimport", object_id=str(batch.pk)).order_by("at", "id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].after["status"] == "imported" and "1 rows" in entries[1].note
