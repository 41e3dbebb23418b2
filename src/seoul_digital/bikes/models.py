"""따릉이 stations, safety-stock recomputations, station bands, truck routes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role
from seoul_digital.core.scoping import RestrictedQuerySet, Scope


class Station(models.Model):
    """A 따릉이 대여소 (public station number; ST-id of the real-time API where known)."""

    station_no = models.CharField(_("대여소번호"), max_length=10, unique=True)
    st_id = models.CharField(_("대여소 ID"), max_length=20, blank=True, db_index=True)
    name = models.CharField(_("대여소명"), max_length=200)
    district = models.ForeignKey("core.District", verbose_name=_("자치구"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="bike_stations")
    address = models.CharField(_("주소"), max_length=300, blank=True)
    lat = models.FloatField(_("위도"))
    lon = models.FloatField(_("경도"))
    docks = models.PositiveIntegerField(_("거치대 수"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="district", view=Role.officials(), change=Role.foundation())

    class Meta:
        ordering = ["station_no"]
        verbose_name = _("대여소")
        verbose_name_plural = _("대여소")

    def __str__(self) -> str:
        return f"{self.station_no}. {self.name}"


class Recomputation(models.Model):
    """One recomputation of every station's band from a status snapshot."""

    class Source(models.TextChoices):
        DEMO = "demo", _("시연 스냅숏")
        FILE = "file", _("파일")
        LIVE = "live", _("실시간 API")

    created_at = models.DateTimeField(_("계산 시각"), default=timezone.now, db_index=True)
    taken_at = models.DateTimeField(_("현황 시각"))
    source = models.CharField(_("현황 출처"), max_length=10, choices=Source.choices)
    source_label = models.CharField(_("현황 파일"), max_length=300, blank=True)
    horizon_hours = models.PositiveSmallIntegerField(_("예측 구간(시간)"), default=3)

    class RoutePreset(models.TextChoices):
        # The two presets of the benchmarked planner (engine/ours_settings.py).
        SERVICE = "service", _("서비스 우선")
        LEAN = "lean", _("이동 최소")

    route_preset = models.CharField(_("경로 계획 방식"), max_length=10, choices=RoutePreset.choices,
                                    default=RoutePreset.SERVICE)
    stations = models.PositiveIntegerField(_("대여소 수"), default=0)
    with_stock = models.PositiveIntegerField(_("현황 있는 대여소"), default=0)
    empty_risk = models.PositiveIntegerField(_("빈 대여소 위험"), default=0)
    full_risk = models.PositiveIntegerField(_("포화 위험"), default=0)
    seconds = models.FloatField(_("계산 시간(초)"), default=0.0)
    problems = models.JSONField(_("입력 문제"), default=dict, blank=True)
    forecast_note = models.CharField(_("예측 방법"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()
    # City-wide runs: officers see the runs; their stations' rows are scoped separately.
    scope = Scope(district=None, view=Role.officials(), change=Role.foundation())

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("안전재고 재계산")
        verbose_name_plural = _("안전재고 재계산")

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M} ({self.get_source_display()})"


class StationBand(models.Model):
    """[min, target, max] of one station in one recomputation, with its risk."""

    class Risk(models.TextChoices):
        EMPTY = "empty_risk", _("빈 대여소 위험")
        FULL = "full_risk", _("포화 위험")
        OK = "ok", _("적정")

    class Severity(models.TextChoices):
        HIGH = "high", _("높음")
        MEDIUM = "medium", _("주의")
        LOW = "low", _("낮음")
        NONE = "", _("없음")

    run = models.ForeignKey(Recomputation, on_delete=models.CASCADE, related_name="bands")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="bands")
    stock = models.IntegerField(_("현재 재고"), null=True, blank=True)
    low = models.PositiveIntegerField(_("최소"))
    target = models.PositiveIntegerField(_("목표"))
    high = models.PositiveIntegerField(_("최대"))
    risk = models.CharField(_("위험"), max_length=12, choices=Risk.choices, default=Risk.OK)
    severity = models.CharField(_("심각도"), max_length=8, choices=Severity.choices, blank=True)
    p_empty = models.FloatField(_("빈 대여소 확률"), null=True, blank=True)
    p_full = models.FloatField(_("포화 확률"), null=True, blank=True)
    expected_dissatisfied = models.FloatField(_("예상 불만족 이용자"), null=True, blank=True)
    excess = models.FloatField(_("줄일 수 있는 불만족"), default=0.0)
    forecast = models.JSONField(_("시간대별 예측"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="station__district", view=Role.officials(), change=Role.foundation())

    class Meta:
        ordering = ["run", "station"]
        constraints = [models.UniqueConstraint(fields=["run", "station"], name="bikes_band_unique")]
        indexes = [models.Index(fields=["run", "risk"])]
        verbose_name = _("대여소 안전재고")
        verbose_name_plural = _("대여소 안전재고")

    def __str__(self) -> str:
        return f"{self.station} [{self.low}, {self.target}, {self.high}]"

    @property
    def need(self) -> int:
        if self.stock is None:
            return 0
        if self.stock < self.low:
            return self.target - self.stock
        if self.stock > self.high:
            return -(self.stock - self.target)
        return 0


class TruckRoute(models.Model):
    run = models.ForeignKey(Recomputation, on_delete=models.CASCADE, related_name="routes")
    truck = models.PositiveIntegerField(_("트럭"))
    km = models.FloatField(_("주행 거리(km)"))
    minutes = models.FloatField(_("소요 시간(분)"))
    bikes_moved = models.PositiveIntegerField(_("옮기는 자전거"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district=None, view=Role.officials(), change=Role.foundation())

    class Meta:
        ordering = ["run", "truck"]
        verbose_name = _("재배치 경로")
        verbose_name_plural = _("재배치 경로")

    def __str__(self) -> str:
        return f"truck {self.truck} ({self.km:.1f} km)"


class RouteStop(models.Model):
    route = models.ForeignKey(TruckRoute, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("순서"))
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="route_stops")
    quantity = models.IntegerField(_("수량(+수거/−배치)"))
    arrive_min = models.FloatField(_("도착(분)"))

    objects = RestrictedQuerySet.as_manager()
    scope = Scope(district="station__district", view=Role.officials(), change=Role.foundation())

    class Meta:
        ordering = ["route", "order"]
        verbose_name = _("경로 정차")
        verbose_name_plural = _("경로 정차")

    def __str__(self) -> str:
        return f"{self.route} #{self.order} {self.station_id} {self.quantity:+d}"
