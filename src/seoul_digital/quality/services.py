"""Every write of the quality app: permission-checked, validated, audited.

Services raise ``ValidationError`` with plain-words Korean messages (keyed by form field
where there is one) and ``AccessDenied`` when the user may not act; nothing is saved then.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from seoul_digital.core import audit
from seoul_digital.core.jobs import start_job
from seoul_digital.core.roles import Role
from seoul_digital.core.services import AccessDenied, do_create, do_delete, do_update, ensure_can
from seoul_digital.quality import selectors
from seoul_digital.quality.models import Assignment, Dataset, DatasetVersion, FindingReview

MAX_UPLOAD_BYTES = 4 << 30  # 4 GiB: the checker streams, the limit is the disk's
DATASET_FIELDS = ("name", "portal_id", "provider", "category", "district", "description",
                  "spec_yaml", "target_rate", "status")


def validate_spec(text: str) -> None:
    from seoul_digital.quality.engine.spec import SpecError, load_spec

    if not text.strip():
        return
    try:
        load_spec(text if "\n" in text else text + "\n")
    except SpecError as err:
        raise ValidationError({"spec_yaml": _("검사 명세를 읽을 수 없습니다: %(e)s") % {"e": err}}) from None


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AccessDenied(message)


# --------------------------------------------------------------------------- datasets

def do_create_dataset(user, *, request=None, **fields) -> Dataset:
    _require(selectors.can_manage_datasets(user), "only foundation staff register datasets")
    validate_spec(fields.get("spec_yaml", ""))
    return do_create(user, Dataset, request=request,
                     **{k: v for k, v in fields.items() if k in DATASET_FIELDS})


def do_update_dataset(user, dataset: Dataset, *, request=None, **changes) -> Dataset:
    _require(selectors.can_edit_dataset(user, dataset), "may not edit this dataset")
    if "status" in changes and not selectors.can_manage_datasets(user):
        changes.pop("status")
    if "district" in changes and not selectors.can_manage_datasets(user):
        changes.pop("district")
    validate_spec(changes.get("spec_yaml", ""))
    return do_update(user, dataset, request=request,
                     **{k: v for k, v in changes.items() if k in DATASET_FIELDS})


# --------------------------------------------------------------------------- supporters

def do_assign(user, dataset: Dataset, supporter, *, request=None) -> Assignment:
    _require(selectors.can_manage_datasets(user), "only foundation staff assign supporters")
    if supporter.role != Role.SUPPORTER or not supporter.is_active:
        raise ValidationError({"supporter": _("데이터 서포터즈(지원단 역할) 계정만 배정할 수 있습니다.")})
    if Assignment.objects.filter(dataset=dataset, supporter=supporter).exists():
        raise ValidationError({"supporter": _("이미 이 데이터셋에 배정된 서포터즈입니다.")})
    return do_create(user, Assignment, request=request, dataset=dataset, supporter=supporter,
                     assigned_by=user)


def do_unassign(user, assignment: Assignment, *, request=None) -> None:
    _require(selectors.can_manage_datasets(user), "only foundation staff assign supporters")
    do_delete(user, assignment, request=request)


# --------------------------------------------------------------------------- versions

def _digest(fileobj) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    for chunk in fileobj.chunks() if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(1 << 20), b""):
        h.update(chunk)
        size += len(chunk)
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    return h.hexdigest(), size


@transaction.atomic
def do_upload_version(user, dataset: Dataset, uploaded, *, note: str = "", request=None,
                      start: bool = True) -> DatasetVersion:
    """Store a new version of ``dataset`` and start its check as a job."""
    if not selectors.can_work_on(user, dataset):
        raise AccessDenied("may not upload versions of this dataset")
    name = Path(getattr(uploaded, "name", "") or "upload.csv").name
    sha, size = _digest(uploaded)
    if size == 0:
        raise ValidationError({"file": _("빈 파일(0바이트)입니다. 내용이 있는 파일을 올리세요.")})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("파일이 너무 큽니다(최대 4 GB).")})
    number = (DatasetVersion.objects.filter(dataset=dataset).aggregate(n=Max("number"))["n"] or 0) + 1
    version = DatasetVersion(dataset=dataset, number=number, original_name=name[:255],
                             size_bytes=size, sha256=sha, note=note, uploaded_by=user)
    version.file.save(f"v{number}/{name}", uploaded, save=False)
    version.full_clean()
    version.save()
    ensure_can(user, "change", version)
    audit.record(user, "create", version, after=audit.snapshot(version), request=request)
    if start:
        transaction.on_commit(lambda: start_check(user, version, request=request))
    return version


def start_check(user, version: DatasetVersion, *, request=None):
    job = start_job(user, "seoul_digital.quality.jobs.check_version",
                    title=f"품질 검사: {version.dataset.name} v{version.number}",
                    district=version.dataset.district, request=request, version_id=version.pk)
    DatasetVersion.objects.filter(pk=version.pk).update(job=job)
    version.job = job
    return job


def do_recheck(user, version: DatasetVersion, *, request=None):
    ensure_can(user, "change", version)
    if version.state in (DatasetVersion.State.SUBMITTED, DatasetVersion.State.APPROVED):
        raise ValidationError(_("승인 요청했거나 승인된 버전은 다시 검사하지 않습니다. 새 버전을 올리세요."))
    do_update(user, version, request=request, state=DatasetVersion.State.CHECKING, check_error="")
    return start_check(user, version, request=request)


def run_check(version: DatasetVersion, progress=None) -> DatasetVersion:
    """Check and fix a version's file; keep the report, the Korean HTML/XLSX reports, the
    clean CSV and the change log with the version. Called by the job (and the demo)."""
    from seoul_digital.common.progress import null_progress, scaled
    from seoul_digital.quality.engine import check_file, load_spec
    from seoul_digital.quality.engine.fix import fix_file
    from seoul_digital.quality.engine.render import write_html, write_xlsx

    progress = progress or null_progress
    dataset = version.dataset
    spec = load_spec(dataset.spec_yaml + "\n") if dataset.spec_yaml.strip() else None
    source = Path(version.file.path)
    with tempfile.TemporaryDirectory() as tmp:
        # the stored name may differ from the upload's; the checker reads the content
        report = check_file(source, spec, progress=scaled(progress, 0.0, 0.5))
        report.file = version.original_name
        title = f"{dataset.name} v{version.number}"
        html_path = write_html(report, Path(tmp) / "report.html", title=title)
        xlsx_path = write_xlsx(report, Path(tmp) / "report.xlsx", title=title)
        fix = None
        if not report.unreadable:
            fix = fix_file(source, Path(tmp) / "clean.csv", Path(tmp) / "changes.csv", spec=spec,
                           report=report, progress=scaled(progress, 0.5, 1.0))
        with transaction.atomic():
            version.refresh_from_db()
            before = audit.snapshot(version)
            stem = f"v{version.number}"
            for field, path, name in (("report_html", html_path, f"{stem}/report.html"),
                                      ("report_xlsx", xlsx_path, f"{stem}/report.xlsx")):
                with open(path, "rb") as fh:
                    getattr(version, field).save(f"quality/{dataset.pk}/{name}", File(fh), save=False)
            if fix is not None and not fix.error:
                with open(Path(tmp) / "clean.csv", "rb") as fh:
                    version.clean_file.save(f"quality/{dataset.pk}/{stem}/clean.csv", File(fh), save=False)
                with open(Path(tmp) / "changes.csv", "rb") as fh:
                    version.change_log.save(f"quality/{dataset.pk}/{stem}/changes.csv", File(fh), save=False)
            version.report = report.to_dict()
            version.fix_summary = fix.to_dict() if fix is not None else None
            version.conformance_rate = report.conformance_rate
            version.rows = report.rows
            version.error_cells = report.error_cells
            version.checked_cells = report.checked_cells
            version.state = DatasetVersion.State.CHECKED
            version.check_error = report.unreadable or ""
            version.save()
            _seed_reviews(version)
            after = audit.snapshot(version)
            changed = {k: v for k, v in after.items() if before.get(k) != v}
            audit.record(None, "update", version, before={k: before.get(k) for k in changed},
                         after=changed, note="quality check finished")
    return version


def _seed_reviews(version: DatasetVersion) -> None:
    """One pending review per error/warning finding; fixed ones start as 'auto-fixed'."""
    fixed = set((version.fix_summary or {}).get("changes_by_rule", {}))
    wanted = []
    for f in (version.report or {}).get("findings", []):
        if f.get("severity") not in ("error", "warning"):
            continue
        decision = FindingReview.Decision.FIXED if f["rule"] in fixed else FindingReview.Decision.PENDING
        wanted.append((f["rule"], f.get("column") or "", decision))
    existing = set(FindingReview.objects.filter(version=version).values_list("rule", "column"))
    FindingReview.objects.bulk_create([
        FindingReview(version=version, rule=rule, column=column[:300], decision=decision)
        for rule, column, decision in wanted if (rule, column[:300]) not in existing])


def mark_failed(version_id: int, reason: str) -> None:
    version = DatasetVersion.objects.get(pk=version_id)
    before = audit.snapshot(version)
    version.state = DatasetVersion.State.FAILED
    version.check_error = reason[:2000]
    version.save(update_fields=["state", "check_error"])
    audit.record(None, "update", version, before={"state": before["state"]},
                 after={"state": version.state}, note=f"check failed: {reason[:200]}")


# --------------------------------------------------------------------------- review workflow

def do_review_finding(user, version: DatasetVersion, *, rule: str, column: str, decision: str,
                      comment: str = "", request=None) -> FindingReview:
    ensure_can(user, "change", version)
    if version.state not in (DatasetVersion.State.CHECKED, DatasetVersion.State.RETURNED):
        raise ValidationError(_("검토 중이거나 반려된 버전만 판단을 바꿀 수 있습니다."))
    if decision not in FindingReview.Decision.values or decision == FindingReview.Decision.PENDING:
        raise ValidationError({"decision": _("판단을 고르세요.")})
    if decision == FindingReview.Decision.ACCEPTED and not comment.strip():
        raise ValidationError({"comment": _("문제가 아니라고 판단한 이유를 적어 주세요.")})
    known = {(f["rule"], f.get("column") or "") for f in (version.report or {}).get("findings", [])}
    if (rule, column) not in known:
        raise ValidationError(_("이 버전의 보고서에 없는 발견 사항입니다."))
    review = FindingReview.objects.filter(version=version, rule=rule, column=column).first()
    now = timezone.now()
    if review is None:
        return do_create(user, FindingReview, request=request, version=version, rule=rule,
                         column=column, decision=decision, comment=comment, reviewed_by=user,
                         reviewed_at=now)
    return do_update(user, review, request=request, decision=decision, comment=comment,
                     reviewed_by=user, reviewed_at=now)


def pending_reviews(version: DatasetVersion) -> list[FindingReview]:
    return list(FindingReview.objects.filter(version=version, decision=FindingReview.Decision.PENDING))


def do_submit(user, version: DatasetVersion, *, request=None) -> DatasetVersion:
    """A supporter (or staff) asks the reviewer to approve the version."""
    ensure_can(user, "change", version)
    if version.state not in (DatasetVersion.State.CHECKED, DatasetVersion.State.RETURNED):
        raise ValidationError(_("검사가 끝난 버전만 승인을 요청할 수 있습니다."))
    pending = pending_reviews(version)
    if pending:
        raise ValidationError(_("아직 판단하지 않은 발견 사항이 %(n)d건 있습니다.") % {"n": len(pending)})
    return do_update(user, version, request=request, state=DatasetVersion.State.SUBMITTED,
                     submitted_by=user, submitted_at=timezone.now())


def do_decide(user, version: DatasetVersion, *, approve: bool, comment: str = "",
              request=None) -> DatasetVersion:
    """The reviewer (foundation staff) approves or returns a submitted version."""
    _require(selectors.can_approve(user), "only foundation staff approve versions")
    ensure_can(user, "change", version)
    if version.state != DatasetVersion.State.SUBMITTED:
        raise ValidationError(_("승인 요청된 버전만 승인하거나 반려할 수 있습니다."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("반려 사유를 적어 주세요.")})
    state = DatasetVersion.State.APPROVED if approve else DatasetVersion.State.RETURNED
    return do_update(user, version, request=request, state=state, reviewed_by=user,
                     reviewed_at=timezone.now(), review_comment=comment)
