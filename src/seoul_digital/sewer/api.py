"""API routes of the AI sewer inspection programme, mounted at /api/v1/sewer/.

Same selectors and services as the pages: a foreign district's record answers 404."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema
from ninja.errors import HttpError

from seoul_digital.core.roles import Role, has_role
from seoul_digital.sewer import selectors, services
from seoul_digital.sewer.models import Finding

router = Router(tags=["sewer"])


def _official(request):
    if not has_role(request.auth, Role.officials()):
        raise Http404
    return request.auth


class InspectionOut(Schema):
    id: int
    district: str
    pipe_id: str
    upstream_manhole: str
    downstream_manhole: str
    diameter_mm: int
    material: str
    length_m: float
    inspected_on: date
    contractor: str
    status: str
    status_message: str
    structural_grade: str
    operational_grade: str
    model_version: str | None
    screened_at: datetime | None
    reviewed_at: datetime | None

    @staticmethod
    def resolve_district(obj):
        return obj.district.code

    @staticmethod
    def resolve_model_version(obj):
        return obj.model_version.version if obj.model_version else None


class FindingOut(Schema):
    id: int
    code: str
    ai_code: str
    source: str
    decision: str
    start_s: float
    end_s: float
    peak_s: float
    confidence: float | None
    distance_m: float | None
    distance_source: str
    clock: int | None
    severity: int | None
    note: str


class ReviewIn(Schema):
    decision: str
    code: str | None = None
    severity: int | None = None
    note: str | None = None


class ModelVersionOut(Schema):
    id: int
    version: str
    name: str
    f2_ciw: float | None
    f1_normal: float | None
    metrics_split: str
    shipped: bool
    created_at: datetime


class DashboardOut(Schema):
    district: str
    inspections: int
    reviewed: int
    ai_findings: int
    ai_correct: int
    ai_relabelled: int
    ai_rejected: int
    missed: int
    precision: float | None
    recall: float | None
    video_minutes: float
    review_minutes: float
    minutes_saved: float
    survey_count: int
    survey_mean: float | None
    survey_histogram: list[int]


@router.get("/inspections", response=list[InspectionOut], url_name="sewer_inspections")
def inspections(request, status: str = "", limit: int = 100):
    qs = selectors.inspections_for(_official(request))
    if status:
        qs = qs.filter(status=status)
    return list(qs[: max(1, min(limit, 1000))])


@router.get("/inspections/{inspection_id}", response=InspectionOut, url_name="sewer_inspection")
def inspection(request, inspection_id: int):
    return selectors.inspection_for(_official(request), inspection_id)


@router.get("/inspections/{inspection_id}/findings", response=list[FindingOut], url_name="sewer_findings")
def findings(request, inspection_id: int):
    user = _official(request)
    return list(selectors.findings_for(user, selectors.inspection_for(user, inspection_id)))


@router.post("/findings/{finding_id}/review", response=FindingOut, url_name="sewer_finding_review")
def review_finding(request, finding_id: int, payload: ReviewIn):
    user = _official(request)
    finding = selectors.finding_for(user, finding_id, "change")
    if payload.decision not in (Finding.Decision.ACCEPTED, Finding.Decision.REJECTED, Finding.Decision.RELABELLED):
        raise HttpError(422, "decision must be accepted, rejected or relabelled")
    if payload.severity is not None and not 1 <= payload.severity <= 5:
        raise HttpError(422, "severity must be 1–5")
    try:
        return services.do_review_finding(user, finding, decision=payload.decision, code=payload.code,
                                          severity=payload.severity, note=payload.note, request=request)
    except ValidationError as err:
        raise HttpError(422, " ".join(err.messages)) from None


@router.get("/models", response=list[ModelVersionOut], url_name="sewer_models")
def models(request):
    return list(selectors.model_versions_for(_official(request)))


@router.get("/dashboard/{district_code}", response=DashboardOut, url_name="sewer_dashboard")
def dashboard(request, district_code: str):
    user = _official(request)
    district = selectors.districts_for(user).filter(code=district_code).first()
    if district is None:
        raise Http404
    stats = selectors.district_stats(user, district)
    stats["district"] = district.code
    return stats
