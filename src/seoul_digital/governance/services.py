"""Governance writes. Each one is checked against ``restrict`` and written to the audit log."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seoul_digital.common import korean_files
from seoul_digital.core import audit
from seoul_digital.core.models import Programme
from seoul_digital.core.roles import Role
from seoul_digital.core.services import AccessDenied, do_create, do_update, ensure_can
from seoul_digital.governance.engine import spending as spending_engine
from seoul_digital.governance.models import (
    AuditEvidence, AuditItem, AuditProgressNote, BudgetAdjustment, CostLine, FiscalYear, Spending,
    SpendingImport, Unit,
)

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_BYTES = 30 * 1024 * 1024
EVIDENCE_EXTENSIONS = {".pdf", ".hwp", ".hwpx", ".doc", ".docx", ".xls", ".xlsx", ".ppt",
                       ".pptx", ".csv", ".txt", ".png", ".jpg", ".jpeg", ".zip"}
IMPORT_EXTENSIONS = {".csv", ".tsv", ".txt", ".xlsx", ".xls"}


def _require_admin(user) -> None:
    if getattr(user, "role", None) != Role.ADMIN:
        raise AccessDenied("only foundation admins change governance records")


# --- organisation ---------------------------------------------------------------------------

def do_update_org(user, obj, /, *, request=None, **changes):
    """Edit a unit, grade, board record or finance figure; before/after go to the audit log."""
    return do_update(user, obj, request=request, **changes)


@transaction.atomic
def do_update_unit(user, unit: Unit, /, *, programmes=None, request=None, **changes) -> Unit:
    before = sorted(unit.programmes.values_list("code", flat=True))
    unit = do_update(user, unit, request=request, **changes)
    if programmes is not None:
        after = sorted(p.code for p in programmes)
        if after != before:
            unit.programmes.set(programmes)
            audit.record(user, "update", unit, before={"programmes": before},
                         after={"programmes": after}, request=request)
    return unit


@transaction.atomic
def do_create_unit(user, /, *, programmes=(), request=None, **fields) -> Unit:
    _require_admin(user)
    unit = do_create(user, Unit, request=request, **fields)
    if programmes:
        unit.programmes.set(programmes)
        audit.record(user, "update", unit, before={"programmes": []},
                     after={"programmes": sorted(p.code for p in programmes)}, request=request)
    return unit


# --- budget settings and 이월/전용 --------------------------------------------------------------

def do_set_threshold(user, fiscal_year: FiscalYear, /, value, *, request=None) -> FiscalYear:
    return do_update(user, fiscal_year, request=request, alert_threshold_pp=value)


def do_add_adjustment(user, fiscal_year: FiscalYear, /, *, request=None, **fields) -> BudgetAdjustment:
    _require_admin(user)
    return do_create(user, BudgetAdjustment, request=request, fiscal_year=fiscal_year,
                     created_by=user, **fields)


# --- spending -------------------------------------------------------------------------------

def do_add_spending(user, fiscal_year: FiscalYear, /, *, request=None, **fields) -> Spending:
    """One spending row typed in by hand. Staff may only add to their own programme (the
    check after saving rolls the insert back otherwise)."""
    return do_create(user, Spending, request=request, fiscal_year=fiscal_year, created_by=user,
                     **fields)


def do_update_spending(user, row: Spending, /, *, request=None, **changes) -> Spending:
    return do_update(user, row, request=request, **changes)


def do_delete_spending(user, row: Spending, /, *, request=None) -> None:
    from seoul_digital.core.services import do_delete

    do_delete(user, row, request=request)


def programme_lookup() -> dict[str, spending_engine.ProgrammeRef]:
    """Every spelling a spending file may use for a programme or one of its cost lines."""
    lookup: dict[str, spending_engine.ProgrammeRef] = {}
    key = spending_engine.normalise_key
    lines_by_programme: dict[int, list[CostLine]] = {}
    for line in CostLine.objects.select_related("programme").order_by("sort_order"):
        lines_by_programme.setdefault(line.programme_id, []).append(line)
    for programme in Programme.objects.all():
        lines = lines_by_programme.get(programme.pk, [])
        only_line = lines[0].code if len(lines) == 1 else None
        ref = spending_engine.ProgrammeRef(programme.code, only_line)
        for spelling in (programme.code, programme.name_ko, programme.name_en):
            if spelling:
                lookup.setdefault(key(spelling), ref)
        for line in lines:
            line_ref = spending_engine.ProgrammeRef(programme.code, line.code)
            for spelling in (line.code, line.name_ko, line.name_en):
                if spelling:
                    lookup.setdefault(key(spelling), line_ref)
    return lookup


class ImportFileError(ValueError):
    """The upload cannot be checked at all (too big, wrong type, unreadable); say why."""


def _allowed_codes(user) -> set[str] | None:
    if user.role == Role.ADMIN:
        return None
    if user.role == Role.STAFF and user.programme_id:
        return {user.programme.code}
    return set()


def _applied_duplicate(sha256: str, exclude_pk=None):
    # An integrity check over every import, not a read shown to the user.
    queryset = SpendingImport.objects.filter(
        sha256=sha256, status__in=(SpendingImport.Status.IMPORTED, SpendingImport.Status.PARTIAL))
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.order_by("pk").first()


def check_spending_bytes(user, fiscal_year: FiscalYear, data: bytes, name: str,
                         *, exclude_pk=None):
    """Run the engine's row checks on file content; returns (check, duplicate batch or None)."""
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_EXTENSIONS:
        raise ImportFileError(_("CSV, TSV, XLSX, XLS 파일만 가져올 수 있습니다 (받은 파일: %(name)s).")
                              % {"name": name})
    sha256 = spending_engine.file_sha256(data)
    duplicate = _applied_duplicate(sha256, exclude_pk)
    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        try:
            table = korean_files.read_table(path)
        except korean_files.UnreadableFile as err:
            raise ImportFileError(_("파일을 읽을 수 없습니다: %(reason)s")
                                  % {"reason": str(err).replace(path, name)}) from err
    finally:
        os.unlink(path)
    check = spending_engine.check_rows(
        table.header, table.rows, first_line=table.first_data_line, sha256=sha256,
        year=fiscal_year.year, programmes=programme_lookup(), allowed=_allowed_codes(user),
        duplicate=duplicate is not None)
    return check, duplicate


def _rejections_json(check) -> list[dict]:
    return [{"line": r.line, "values": r.values,
             "reasons": [{"code": reason.code, "value": reason.value} for reason in r.reasons]}
            for r in check.rejected]


def _read_upload(uploaded) -> bytes:
    if uploaded.size is not None and uploaded.size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("파일이 너무 큽니다(최대 20MB)."))
    data = uploaded.read()
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_("파일이 너무 큽니다(최대 20MB)."))
    if not data:
        raise ImportFileError(_("빈 파일입니다."))
    return data


@transaction.atomic
def do_check_spending_file(user, fiscal_year: FiscalYear, /, uploaded, *, mode: str,
                           request=None) -> SpendingImport:
    """Keep the uploaded file and what the check found; nothing is imported yet."""
    if user.role not in Role.foundation():
        raise AccessDenied("only foundation employees import spending")
    if mode not in SpendingImport.Mode.values:
        raise ValidationError({"mode": _("가져오기 방식을 고르세요.")})
    data = _read_upload(uploaded)
    name = Path(uploaded.name or "upload.csv").name[:255]
    check, duplicate = check_spending_bytes(user, fiscal_year, data, name)
    batch = SpendingImport(
        fiscal_year=fiscal_year, original_name=name, sha256=check.sha256, mode=mode,
        rows_total=check.total_rows, rows_accepted=len(check.accepted),
        rows_rejected=len(check.rejected), rejections=_rejections_json(check),
        file_problem=check.file_problem or "", file_problem_detail=check.file_problem_detail,
        duplicate_of=duplicate, uploaded_by=user)
    batch.file.save(f"{check.sha256[:16]}{Path(name).suffix.lower()}", ContentFile(data), save=False)
    batch.full_clean()
    batch.save()
    ensure_can(user, "change", batch)
    audit.record(user, "create", batch, after=audit.snapshot(batch), request=request,
                 note="spending file checked")
    return batch


@transaction.atomic
def do_apply_spending_import(user, batch: SpendingImport, /, *, mode: str | None = None,
                             request=None) -> SpendingImport:
    """Import the checked file: the valid rows, or (all-or-nothing) every row or none, in one
    transaction. The file is checked again first: the data may have changed since."""
    ensure_can(user, "change", batch)
    batch = SpendingImport.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_open:
        raise ValidationError(_("이미 처리한 가져오기입니다 (상태: %(status)s).")
                              % {"status": batch.get_status_display()})
    # One import at a time per fiscal year, so a file cannot slip in twice.
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=batch.fiscal_year_id)
    mode = mode or batch.mode
    if mode not in SpendingImport.Mode.values:
        raise ValidationError({"mode": _("가져오기 방식을 고르세요.")})
    with batch.file.open("rb") as fh:
        data = fh.read()
    check, duplicate = check_spending_bytes(user, fiscal_year, data, batch.original_name,
                                            exclude_pk=batch.pk)
    before = audit.snapshot(batch)
    batch.mode = mode
    batch.rows_total, batch.rows_accepted = check.total_rows, len(check.accepted)
    batch.rows_rejected, batch.rejections = len(check.rejected), _rejections_json(check)
    batch.file_problem = check.file_problem or ""
    batch.file_problem_detail = check.file_problem_detail
    batch.duplicate_of = duplicate
    refuse = (check.file_problem is not None or not check.accepted
              or (mode == SpendingImport.Mode.ALL_OR_NOTHING and check.rejected))
    if refuse:
        batch.status = SpendingImport.Status.REJECTED
        batch.rows_imported, batch.amount_imported_krw = 0, 0
    else:
        programmes = {p.code: p for p in Programme.objects.all()}
        lines = {line.code: line for line in CostLine.objects.filter(fiscal_year=fiscal_year)}
        Spending.objects.bulk_create([
            Spending(fiscal_year=fiscal_year, programme=programmes[row.programme],
                     cost_line=lines.get(row.cost_line) if row.cost_line else None,
                     date=row.date, amount_krw=row.amount_krw, description=row.description,
                     batch=batch, source_line=row.line, created_by=user)
            for row in check.accepted
        ])
        batch.rows_imported, batch.amount_imported_krw = len(check.accepted), check.accepted_krw
        batch.status = (SpendingImport.Status.PARTIAL if check.rejected
                        else SpendingImport.Status.IMPORTED)
    batch.finished_at = timezone.now()
    batch.save()
    after = audit.snapshot(batch)
    changed = {k for k in after if before.get(k) != after[k]}
    audit.record(user, "update", batch, before={k: before.get(k) for k in changed},
                 after={k: after[k] for k in changed}, request=request,
                 note=f"spending import {batch.status}: {batch.rows_imported} rows, "
                      f"{batch.amount_imported_krw} KRW")
    return batch


def do_cancel_spending_import(user, batch: SpendingImport, /, *, request=None) -> SpendingImport:
    if not batch.is_open:
        raise ValidationError(_("이미 처리한 가져오기입니다 (상태: %(status)s).")
                              % {"status": batch.get_status_display()})
    return do_update(user, batch, request=request, status=SpendingImport.Status.CANCELLED,
                     finished_at=timezone.now())


# --- audit register -------------------------------------------------------------------------

def do_update_audit_item(user, item: AuditItem, /, *, request=None, **changes) -> AuditItem:
    if "status" in changes and changes["status"] != item.status and "status_date" not in changes:
        changes["status_date"] = timezone.localdate()
    return do_update(user, item, request=request, **changes)


@transaction.atomic
def do_add_progress_note(user, item: AuditItem, /, *, date: dt.date, text: str,
                         status_after: str = "", request=None) -> AuditProgressNote:
    """A dated note; with ``status_after`` the item's status changes in the same transaction."""
    ensure_can(user, "change", item)
    note = do_create(user, AuditProgressNote, request=request, item=item, date=date, text=text,
                     status_after=status_after, author=user)
    if status_after and status_after != item.status:
        do_update(user, item, request=request, status=status_after, status_date=date)
    return note


@transaction.atomic
def do_add_evidence(user, item: AuditItem, /, uploaded, *, description: str = "",
                    request=None) -> AuditEvidence:
    import hashlib

    ensure_can(user, "change", item)
    name = Path(uploaded.name or "evidence").name[:255]
    if Path(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"file": _("이 형식의 파일은 올릴 수 없습니다: %(name)s. 가능한 형식: "
                                         "%(allowed)s") % {"name": name, "allowed": ", ".join(
                                             sorted(e.lstrip(".") for e in EVIDENCE_EXTENSIONS))}})
    if uploaded.size is not None and uploaded.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("파일이 너무 큽니다(최대 30MB).")})
    digest = hashlib.sha256()
    size = 0
    for chunk in uploaded.chunks():
        digest.update(chunk)
        size += len(chunk)
    if size == 0:
        raise ValidationError({"file": _("빈 파일입니다.")})
    uploaded.seek(0)
    evidence = AuditEvidence(item=item, original_name=name, size=size, sha256=digest.hexdigest(),
                             description=description, uploaded_by=user)
    evidence.file.save(f"{digest.hexdigest()[:16]}{Path(name).suffix.lower()}", uploaded, save=False)
    evidence.full_clean()
    evidence.save()
    audit.record(user, "create", evidence, after=audit.snapshot(evidence), request=request)
    return evidence
