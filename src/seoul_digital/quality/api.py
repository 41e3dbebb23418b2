"""API routes of the Open-data quality programme, mounted at /api/v1/quality/.

The same selectors (and so the same scoping) as the pages: a Data Supporter sees only the
datasets assigned to them; other rows answer 404.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from seoul_digital.core.services import AccessDenied
from seoul_digital.quality import selectors, services
from seoul_digital.quality.readiness import readiness_of

router = Router(tags=["quality"])


class VersionOut(Schema):
    id: int
    number: int
    original_name: str
    size_bytes: int
    state: str
    conformance_rate: float | None
    rows: int | None
    error_cells: int | None
    checked_cells: int | None
    uploaded_at: dt.datetime
    job_id: int | None


class DatasetOut(Schema):
    id: int
    name: str
    portal_id: str
    provider: str
    category: str
    district: str | None
    status: str
    target_rate: float
    latest: VersionOut | None


class DatasetDetailOut(DatasetOut):
    description: str
    spec_yaml: str
    supporters: list[str]
    versions: list[VersionOut]


class ReadinessItemOut(Schema):
    label: str
    status: str
    detail: str


class ReadinessOut(Schema):
    dataset_id: int
    ready: bool
    conformance_rate: float | None
    version: int | None
    items: list[ReadinessItemOut]
    dimensions: dict[str, float | None]


class ErrorOut(Schema):
    detail: str


def _version(v) -> dict | None:
    if v is None:
        return None
    return {"id": v.pk, "number": v.number, "original_name": v.original_name,
            "size_bytes": v.size_bytes, "state": v.state, "conformance_rate": v.conformance_rate,
            "rows": v.rows, "error_cells": v.error_cells, "checked_cells": v.checked_cells,
            "uploaded_at": v.uploaded_at, "job_id": v.job_id}


def _dataset(d, user) -> dict:
    latest = selectors.versions_for(user, d).order_by("-number").first()
    return {"id": d.pk, "name": d.name, "portal_id": d.portal_id, "provider": d.provider,
            "category": d.category, "district": d.district.code if d.district_id else None,
            "status": d.status, "target_rate": d.target_rate, "latest": _version(latest)}


@router.get("/datasets", response=list[DatasetOut], url_name="quality_datasets")
def datasets(request, q: str = "", status: str = ""):
    return [_dataset(d, request.auth) for d in selectors.search_datasets(request.auth, q=q, status=status)[:500]]


@router.get("/datasets/{dataset_id}", response=DatasetDetailOut, url_name="quality_dataset")
def dataset(request, dataset_id: int):
    user = request.auth
    d = selectors.dataset_for(user, dataset_id)
    data = _dataset(d, user)
    data.update(description=d.description, spec_yaml=d.spec_yaml,
                supporters=[a.supporter.username for a in selectors.assignments_for(user, d)],
                versions=[_version(v) for v in selectors.versions_for(user, d).order_by("-number")])
    return data


@router.get("/datasets/{dataset_id}/readiness", response=ReadinessOut, url_name="quality_readiness")
def readiness(request, dataset_id: int):
    d = selectors.dataset_for(request.auth, dataset_id)
    r = readiness_of(d)
    return {"dataset_id": d.pk, "ready": r.ready, "conformance_rate": r.rate,
            "version": r.version.number if r.version else None,
            "items": [{"label": i.label, "status": i.status, "detail": i.detail} for i in r.items],
            "dimensions": {x["code"]: x["rate"] for x in r.dimensions}}


@router.post("/datasets/{dataset_id}/versions", response={201: VersionOut, 400: ErrorOut},
             url_name="quality_upload")
def upload(request, dataset_id: int, file: UploadedFile = File(...), note: str = Form("")):
    """Upload a new version; its check starts as a job (``job_id``)."""
    user = request.auth
    d = selectors.dataset_for(user, dataset_id)
    try:
        version = services.do_upload_version(user, d, file, note=note, request=request)
    except AccessDenied:
        raise Http404 from None
    except ValidationError as err:
        return Status(400, {"detail": " ".join(err.messages)})
    version.refresh_from_db()
    return Status(201, _version(version))


@router.get("/versions/{version_id}", response=VersionOut, url_name="quality_version")
def version(request, version_id: int):
    return _version(selectors.version_for(request.auth, version_id))


@router.get("/versions/{version_id}/report", url_name="quality_report")
def report(request, version_id: int):
    """The check's report: the JSON contract (file, encoding, header_rows, rows, columns,
    findings, conformance_rate) plus profiles and the fixer's summary."""
    v = selectors.version_for(request.auth, version_id)
    if v.report is None:
        raise Http404
    return {"report": v.report, "fix": v.fix_summary}
