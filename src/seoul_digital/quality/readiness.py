"""Certification readiness of a dataset: the items a K-DATA 데이터 품질인증 application is
judged on, from the latest checked version (and its approval)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from seoul_digital.quality.engine.catalogue import DIMENSIONS
from seoul_digital.quality.models import Dataset, DatasetVersion, FindingReview

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
VALUE_DIMENSIONS = ("completeness", "validity", "consistency", "accuracy", "uniqueness")


@dataclass
class Item:
    label: str
    status: str
    detail: str = ""

    @property
    def status_label(self) -> str:
        return {MET: _("충족"), NOT_MET: _("미충족"), UNKNOWN: _("확인 불가")}[self.status]


@dataclass
class Readiness:
    dataset: Dataset
    version: DatasetVersion | None
    approved: DatasetVersion | None
    items: list[Item]
    dimensions: list[dict]
    rate: float | None

    @property
    def ready(self) -> bool:
        return bool(self.items) and all(i.status == MET for i in self.items)

    @property
    def met_count(self) -> int:
        return sum(1 for i in self.items if i.status == MET)


def _has(report: dict, rule: str) -> int:
    return sum(f["count"] for f in report.get("findings", []) if f["rule"] == rule)


def readiness_of(dataset: Dataset) -> Readiness:
    checked = [v for v in dataset.versions.order_by("-number") if v.report is not None]
    version = checked[0] if checked else None
    approved = next((v for v in checked if v.state == DatasetVersion.State.APPROVED), None)
    if version is None:
        return Readiness(dataset, None, None, [Item(_("검사한 버전"), NOT_MET, _("아직 올린 파일이 없습니다."))],
                         [], None)
    report = version.report
    rate = version.conformance_rate
    items = [
        Item(_("정합률 목표 달성"), UNKNOWN if rate is None else (MET if rate >= dataset.target_rate else NOT_MET),
             _("%(rate)s / 목표 %(target)s") % {"rate": "-" if rate is None else f"{rate * 100:.2f}%",
                                                "target": f"{dataset.target_rate * 100:.2f}%"}),
        Item(_("읽을 수 있는 파일"), NOT_MET if report.get("unreadable") else MET,
             report.get("unreadable") or ""),
        Item(_("UTF-8 인코딩"), MET if (report.get("encoding") or "UTF-8").startswith("UTF-8") else NOT_MET,
             report.get("encoding") or _("통합문서")),
        Item(_("한 줄 머리글(제목 행·병합 머리글 없음)"),
             MET if report.get("header_rows") == 1 and not report.get("title_rows") else NOT_MET,
             _("머리글 %(n)d행") % {"n": report.get("header_rows", 0)}),
        Item(_("모든 열에 이름"), NOT_MET if _has(report, "blank_header_label") else MET),
        Item(_("빈 행·중복 행 없음"),
             NOT_MET if _has(report, "blank_rows") or _has(report, "duplicate_rows") else MET,
             _("빈 행 %(b)d, 중복 행 %(d)d") % {"b": _has(report, "blank_rows"), "d": _has(report, "duplicate_rows")}),
        Item(_("키 중복 없음"), NOT_MET if _has(report, "duplicate_key") else MET),
        Item(_("검사 규칙 문서화(명세)"), MET if dataset.spec_yaml.strip() else NOT_MET,
             _("명세 있음") if dataset.spec_yaml.strip() else _("열 이름으로 추론한 규칙만 있음")),
    ]
    pending = FindingReview.objects.filter(version=version, decision=FindingReview.Decision.PENDING).count()
    items.append(Item(_("모든 발견 사항 검토"), MET if pending == 0 else NOT_MET,
                      _("검토 전 %(n)d건") % {"n": pending}))
    items.append(Item(_("검토자 승인"), MET if approved is not None and approved.pk == version.pk else NOT_MET,
                      _("v%(n)d 승인") % {"n": approved.number} if approved else _("승인된 버전 없음")))
    dims = []
    for code in VALUE_DIMENSIONS:
        d = report.get("dimensions", {}).get(code, {})
        dims.append({"code": code, "name": DIMENSIONS[code].ko, "iso": DIMENSIONS[code].iso,
                     "errors": d.get("error_cells", 0), "rate": d.get("conformance_rate")})
    return Readiness(dataset, version, approved, items, dims, rate)
