"""Read every layer the siting model uses for one district, from a folder laid out like
``../shared/data/seoul`` (see each SOURCE.md there).

What this module settles, once:

* **Files** are opened only through :mod:`seoul_digital.common.korean_files` (CP949/UTF-8/BOM,
  multi-row headers). Header rows are given explicitly where the KOSIS-style exports carry
  3–4 of them.
* **Coordinates** arrive as WGS84 lat/lon (standard data, 안심이, bells, schools, lamps,
  childcare), as Korean TM metres (LOCALDATA bars: EPSG:5174, guessed from the numbers and
  checked by :func:`common.crs.guess_tm_system`) or in UTM-K (JUSO road shapefiles). Everything
  is converted to EPSG:5179 metres for the grid and kept in WGS84 for maps.
* **KOSTAT 2013 polygons are on the Bessel datum.** The ``kostat_2013_*`` boundary files (district
  and 행정동) carry Korean 1985 (Bessel, EPSG:4162) longitudes/latitudes labelled as WGS84: they
  sit ~190 m west and ~300 m north of the JUSO 2015 polygons and of every camera point
  (중구's 정동 cameras fell in 종로구). They are transformed EPSG:4162 → EPSG:4326 on reading,
  which brings the mean IoU with the JUSO 2015 districts from 0.80 to 0.95; a test checks it.
* **District codes**: boundaries and the 행정동 household table use KOSTAT codes (11230 =
  강남구), the floating-population and LOCALDATA files use 행정안전부 codes (11680 = 강남구);
  :mod:`common.districts` maps both. Tables keyed by names are matched on the district plus a
  normalised 행정동 name ("종로1.2.3.4가동" = "종로1·2·3·4가동"), with a spatial fallback
  through the 행정동 representative points.
* **Bad points**: a coordinate outside Seoul is reported and dropped, one outside the district
  (beyond a 30 m tolerance for geocoding on border roads) is reported and dropped; nothing is
  ever moved or swapped. Each drop becomes a line in :attr:`DistrictLayers.notes`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from seoul_digital.common import crs
from seoul_digital.common.districts import DISTRICTS, District, UnknownDistrict, by_name, resolve
from seoul_digital.common.korean_files import Table, UnreadableFile, read_table
from seoul_digital.common.progress import ProgressCallback, null_progress
from seoul_digital.siting.engine.errors import SitingInputError

__all__ = [
    "PointLayer",
    "Cameras",
    "DistrictLayers",
    "resolve_district",
    "load_district",
    "read_existing_csv",
    "cameras_from_table",
    "seoul_district_table",
    "BORDER_TOLERANCE_M",
    "PTZ_RADIUS_M",
    "FIXED_RADIUS_M",
    "NON_SURVEILLANCE_PURPOSES",
    "normalise_dong_name",
]

BORDER_TOLERANCE_M = 30.0
FIXED_RADIUS_M = 50.0
PTZ_RADIUS_M = 100.0
# Cameras that watch for traffic offences, not for people, do not count as coverage.
NON_SURVEILLANCE_PURPOSES = frozenset({"교통단속", "교통정보수집"})

POINT_LAYER_LABELS = {
    "bars": "유흥주점",
    "bells": "안전비상벨",
    "schools": "초·중·고등학교",
    "childcare": "어린이집",
    "street_lamps": "가로등(시 관리 도로)",
    "security_lights": "보안등(골목)",
    "safety_grade": "치안안전등급(지구대 관할)",
}


# --------------------------------------------------------------------------------------------
# Data structures


@dataclass
class PointLayer:
    name: str
    label: str
    x: np.ndarray  # EPSG:5179 metres
    y: np.ndarray
    source: str
    weight: np.ndarray | None = None  # e.g. number of lamps at a point, grade of a police box

    def __len__(self) -> int:
        return int(self.x.size)


@dataclass
class Cameras:
    x: np.ndarray
    y: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    count: np.ndarray  # cameras at the site (카메라대수)
    radius: np.ndarray  # metres this site covers
    ptz: np.ndarray  # bool: rotating (360°) camera
    purpose: list[str]
    source: list[str]
    address: list[str]

    def __len__(self) -> int:
        return int(self.x.size)

    @classmethod
    def empty(cls) -> "Cameras":
        z = np.zeros(0)
        return cls(z, z.copy(), z.copy(), z.copy(), z.astype(int), z.copy(), z.astype(bool),
                   [], [], [])

    def subset(self, mask: np.ndarray) -> "Cameras":
        idx = np.flatnonzero(mask)
        return Cameras(self.x[idx], self.y[idx], self.lon[idx], self.lat[idx], self.count[idx],
                       self.radius[idx], self.ptz[idx], [self.purpose[i] for i in idx],
                       [self.source[i] for i in idx], [self.address[i] for i in idx])

    @classmethod
    def concat(cls, parts: list["Cameras"]) -> "Cameras":
        parts = [p for p in parts if len(p)]
        if not parts:
            return cls.empty()
        cat = np.concatenate
        return cls(cat([p.x for p in parts]), cat([p.y for p in parts]),
                   cat([p.lon for p in parts]), cat([p.lat for p in parts]),
                   cat([p.count for p in parts]), cat([p.radius for p in parts]),
                   cat([p.ptz for p in parts]), sum((p.purpose for p in parts), []),
                   sum((p.source for p in parts), []), sum((p.address for p in parts), []))


@dataclass
class DistrictLayers:
    district: District
    boundary: object  # shapely (Multi)Polygon in EPSG:5179
    boundary_wgs84: object
    dong_codes: list[str]  # KOSTAT 7-digit codes
    dong_names: list[str]
    dong_geoms: list  # shapely polygons, EPSG:5179
    dong_geoms_wgs84: list
    dong_stats: dict[str, np.ndarray]  # per dong, aligned with dong_codes
    cameras: Cameras
    points: dict[str, PointLayer]
    roads: dict[str, object] | None = None  # {"narrow": MultiLineString, "wide": ...} EPSG:5179
    crime: dict | None = None
    camera_total_official: int | None = None  # 방범용 CCTV count from the yearly table
    establishments: dict[str, np.ndarray] = field(default_factory=dict)  # per dong, by industry
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    synthetic: bool = False

    @property
    def area_km2(self) -> float:
        return float(self.boundary.area) / 1e6

    @property
    def population(self) -> float:
        pop = self.dong_stats.get("population")
        return float(np.nansum(pop)) if pop is not None else 0.0


# --------------------------------------------------------------------------------------------
# Helpers


def resolve_district(value) -> District:
    """District from a name (강남구, 강남, Gangnam-gu) or 행정안전부 code; clear error otherwise."""
    if isinstance(value, District):
        return value
    try:
        return resolve(str(value))
    except UnknownDistrict:
        names = ", ".join(d.name_ko for d in DISTRICTS)
        raise SitingInputError(
            f"'{value}'은(는) 서울의 25개 자치구가 아닙니다. 다음 중 하나를 쓰세요: {names}"
        ) from None


_NAME_JUNK = re.compile(r"[\s.·ㆍ,‧・]")


# Names that differ between the 2013 boundaries and later tables for the same 행정동.
DONG_ALIASES = {"여의도동": "여의동"}


def normalise_dong_name(name: str) -> str:
    """'종로1.2.3.4가동' and '종로1·2·3·4가동' → '종로1234가동'; known renamings folded."""
    text = _NAME_JUNK.sub("", str(name or ""))
    return DONG_ALIASES.get(text, text)


def _num(text, default=np.nan) -> float:
    s = str(text).strip().replace(",", "")
    if s in ("", "-", "..", "nan", "NaN", "없음"):
        return default
    try:
        return float(s)
    except ValueError:
        return default


def _nums(values) -> np.ndarray:
    return np.array([_num(v) for v in values], dtype=float)


def _first_existing(root: Path, *patterns: str) -> Path | None:
    for pattern in patterns:
        hits = sorted(root.glob(pattern))
        if hits:
            return hits[0]
    return None


def _to_utmk(lon, lat):
    x, y = crs.from_wgs84(np.asarray(lon, float), np.asarray(lat, float), crs.UTMK)
    return np.asarray(x, float), np.asarray(y, float)


def _wgs84_geom_to_utmk(geom):
    import shapely

    tr = crs.transformer(crs.WGS84, crs.UTMK)
    return shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def _utmk_geom_to_wgs84(geom):
    import shapely

    tr = crs.transformer(crs.UTMK, crs.WGS84)
    return shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def _latlon_points(table: Table, lat_names=("위도", "latitude", "Latitude"),
                   lon_names=("경도", "longitude", "Longitude")):
    lat_col = table.find_column(*lat_names)
    lon_col = table.find_column(*lon_names)
    if lat_col is None or lon_col is None:
        return None
    return _nums(table.column(lat_col)), _nums(table.column(lon_col))


class _Drops:
    """Counts what was dropped and why, for one layer, then becomes one note line."""

    def __init__(self, label: str):
        self.label = label
        self.no_coordinates = 0
        self.outside_seoul = 0
        self.outside_district = 0
        self.examples: list[str] = []

    def note(self, district: str) -> str | None:
        parts = []
        if self.no_coordinates:
            parts.append(f"좌표 없음 {self.no_coordinates}건")
        if self.outside_seoul:
            parts.append(f"서울 밖 좌표 {self.outside_seoul}건")
        if self.outside_district:
            parts.append(f"{district} 경계 밖 {self.outside_district}건")
        if not parts:
            return None
        example = f" (예: {', '.join(self.examples[:3])})" if self.examples else ""
        return f"{self.label}: {', '.join(parts)}을(를) 제외했습니다{example}. 좌표는 옮기지 않았습니다."


def _filter_points(lon, lat, boundary_utmk, drops: _Drops, district_name: str,
                   labels: list[str] | None = None, tolerance: float = BORDER_TOLERANCE_M):
    """Keep points inside the district (with tolerance); count and report the rest."""
    import shapely

    lon = np.asarray(lon, float)
    lat = np.asarray(lat, float)
    finite = np.isfinite(lon) & np.isfinite(lat) & (lon != 0) & (lat != 0)
    drops.no_coordinates += int((~finite).sum())
    in_seoul = np.zeros(lon.shape, bool)
    in_seoul[finite] = crs.inside_seoul_bbox(lon[finite], lat[finite])
    outside = finite & ~in_seoul
    drops.outside_seoul += int(outside.sum())
    if labels is not None:
        for i in np.flatnonzero(outside)[:3]:
            drops.examples.append(f"{labels[i] or '이름 없음'} ({lat[i]:.5f}, {lon[i]:.5f})")
    x = np.full(lon.shape, np.nan)
    y = np.full(lon.shape, np.nan)
    if in_seoul.any():
        x[in_seoul], y[in_seoul] = _to_utmk(lon[in_seoul], lat[in_seoul])
    inside = np.zeros(lon.shape, bool)
    if in_seoul.any():
        region = boundary_utmk.buffer(tolerance) if tolerance else boundary_utmk
        shapely.prepare(region)
        inside[in_seoul] = shapely.contains_xy(region, x[in_seoul], y[in_seoul])
    drops.outside_district += int((in_seoul & ~inside).sum())
    return inside, x, y


# --------------------------------------------------------------------------------------------
# Seoul-wide files, parsed once per process (a bench over 25 districts reads them once)


def _signature(root: Path) -> tuple:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return tuple((str(p.relative_to(root)), p.stat().st_size, int(p.stat().st_mtime)) for p in files)


@lru_cache(maxsize=4)
def _seoul_wide(root_text: str, signature: tuple) -> dict:
    root = Path(root_text)
    out: dict = {"sources": {}, "notes": []}

    def load(key: str, path: Path | None, reader):
        if path is None:
            return
        try:
            out[key] = reader(path)
            out["sources"][key] = str(path.relative_to(root))
        except (UnreadableFile, KeyError, ValueError, IndexError) as err:
            out["notes"].append(f"{path.name}: 읽을 수 없어 건너뜀 ({err})")

    load("district_polys", _first_existing(root, "boundaries/kostat_*_seoul_municipalities_geo.json",
                                           "boundaries/kostat_*_seoul_municipalities_geo_simple.json",
                                           "boundaries/juso_*_seoul_municipalities_geo*.json"),
         _read_district_polygons)
    dong_path = _first_existing(root, "boundaries/kostat_*_seoul_submunicipalities.shp",
                                "boundaries/kostat_*_seoul_submunicipalities_geo.json",
                                "boundaries/kostat_*_seoul_submunicipalities_geo_simple.json")
    load("dong_polys", dong_path, _read_dong_polygons)
    load("dong_pop", _first_existing(root, "population/dong_pop_*.csv"), _read_dong_pop)
    load("dong_households", _first_existing(root, "population/dong_households_1person.csv"),
         _read_dong_households)
    load("floating", _first_existing(root, "population/floating_pop_dong_quarterly_*.csv"),
         _read_floating)
    load("dong_points", _first_existing(root, "population/dong_area_centroids_tm.json"),
         _read_dong_points)
    load("establishments", _first_existing(root, "population/dong_business_establishments.xlsx"),
         _read_establishments)
    load("bells", _first_existing(root, "facilities/Seoul_Bell.csv"),
         lambda p: _read_latlon_file(p))
    load("street_lamps", _first_existing(root, "facilities/서울특별시_가로등 위치 정보_*.csv"),
         lambda p: _read_latlon_file(p))
    load("schools", _first_existing(root, "facilities/전국초중등학교위치표준데이터.csv"), _read_schools)
    load("childcare", _first_existing(root, "opendata/childcare_centers*.csv",
                                      "facilities/childcare_centers*.csv"), _read_childcare)
    load("bars", _first_existing(root, "facilities/서울시 유흥주점영업 인허가 정보.csv"), _read_bars)
    lights = sorted(root.glob("facilities/fence_security_lights_output*.csv"))
    if lights:
        load("security_lights", lights[0], lambda _p: _read_security_lights(lights))
        out["sources"]["security_lights"] = ", ".join(p.name for p in lights)
    grades = sorted(root.glob("crime/fence_safety_grade_*.csv"))
    if grades:
        load("safety_grade", grades[0], lambda _p: _read_safety_grades(grades))
        out["sources"]["safety_grade"] = ", ".join(p.name for p in grades)
    load("crime", _first_existing(root, "crime/5대+범죄+발생현황_*.csv", "crime/5대 범죄 발생현황*.csv"),
         _read_crime)
    load("cctv_official", _first_existing(root, "cctv/서울시 자치구 연도별 방범용 CCTV 운영 현황_*.csv"),
         _read_cctv_official)
    load("gu_population", _first_existing(root, "population/주민등록인구(월별)_*.csv"),
         _read_gu_population)
    load("gu_area", _first_existing(root, "population/행정구역(구별)_*.csv"), _read_gu_area)
    return out


def _seoul(root: Path) -> dict:
    return _seoul_wide(str(root.resolve()), _signature(root))


def _bessel_fix(path: Path):
    """Geometry transform for files known to hold Bessel coordinates labelled WGS84."""
    if not path.name.startswith("kostat_2013_"):
        return lambda g: g
    import shapely

    tr = crs.transformer("EPSG:4162", crs.WGS84)
    return lambda g: shapely.transform(g, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))


def _read_district_polygons(path: Path) -> dict[str, object]:
    """mois_code → shapely geometry (WGS84); KOSTAT files are keyed by KOSTAT code."""
    import shapely.geometry

    from seoul_digital.common.districts import by_kostat_code, by_mois_code

    data = json.loads(path.read_text(encoding="utf-8"))
    fix = _bessel_fix(path)
    out = {}
    for feat in data.get("features", []):
        props = feat.get("properties") or {}
        try:
            if "SIG_CD" in props:
                d = by_mois_code(props["SIG_CD"])
            else:
                d = by_kostat_code(props.get("code", ""))
        except UnknownDistrict:
            continue
        out[d.mois_code] = fix(shapely.geometry.shape(feat["geometry"]))
    return out


def _read_dong_polygons(path: Path) -> list[tuple[str, str, object]]:
    """[(KOSTAT 7-digit code, name, WGS84 geometry)]."""
    import shapely.geometry

    fix = _bessel_fix(path)
    if path.suffix == ".shp":
        import pyogrio

        df = pyogrio.read_dataframe(path)
        return [(str(c), str(n), fix(g)) for c, n, g in zip(df["code"], df["name"], df.geometry)]
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(str(f["properties"]["code"]), str(f["properties"]["name"]),
             fix(shapely.geometry.shape(f["geometry"]))) for f in data.get("features", [])]


def _read_dong_pop(path: Path) -> list[tuple[str, str, float]]:
    t = read_table(path, header_rows=1)
    gu, dong, total = t.find_column("자치구"), t.find_column("동"), t.find_column("계")
    if not (gu and dong and total):
        raise KeyError(f"열 자치구/동/계 없음 (찾은 열: {t.header})")
    return [(r[gu], r[dong], _num(r[total])) for r in t.records()
            if r[dong] not in ("소계", "합계") and r[gu] not in ("합계",)]


def _read_dong_households(path: Path) -> dict[str, tuple[float, float]]:
    t = read_table(path, header_rows=1)
    code, total, one = t.find_column("code"), t.find_column("전체세대수"), t.find_column("X1인세대", "1인세대")
    return {r[code].strip(): (_num(r[total]), _num(r[one])) for r in t.records() if r[code].strip()}


def _read_floating(path: Path) -> dict[str, tuple[str, float, float]]:
    """MOIS 8-digit 행정동 code → (name, night floating pop, total), mean of the last 4 quarters."""
    t = read_table(path, header_rows=1)
    q, code, name = (t.find_column("기준_년분기_코드"), t.find_column("행정동_코드"),
                     t.find_column("행정동_코드_명"))
    night = [t.find_column("시간대_21_24_유동인구_수"), t.find_column("시간대_00_06_유동인구_수")]
    total = t.find_column("총_유동인구_수")
    if not (q and code and all(night)):
        raise KeyError(f"유동인구 열 없음 (찾은 열: {t.header[:6]} …)")
    recs = t.records()
    quarters = sorted({r[q] for r in recs})[-4:]
    acc: dict[str, list] = {}
    for r in recs:
        if r[q] not in quarters:
            continue
        a = acc.setdefault(r[code].strip(), [r[name], 0.0, 0.0, 0])
        a[1] += _num(r[night[0]], 0) + _num(r[night[1]], 0)
        a[2] += _num(r[total], 0) if total else 0
        a[3] += 1
    return {k: (v[0], v[1] / v[3], v[2] / v[3]) for k, v in acc.items() if v[3]}


def _read_dong_points(path: Path) -> list[tuple[str, str, float, float]]:
    """[(MOIS 8-digit code, name, x, y)] in EPSG:5181 (see population/SOURCE.md)."""
    from seoul_digital.common.korean_files import read_text

    text, _ = read_text(path)
    data = json.loads(text)
    rows = data.get("DATA", data if isinstance(data, list) else [])
    out = []
    for r in rows:
        out.append((str(r.get("adstrd_cd", "")), str(r.get("adstrd_nm", "")),
                    float(r.get("xcnts_value") or "nan"), float(r.get("ydnts_value") or "nan")))
    return out


# Industry groups used for area typing (KSIC 2008 sections as labelled in the 사업체현황 table).
INDUSTRY_GROUPS = {
    "commercial": ("도매 및 소매업", "숙박 및 음식점업", "예술 스포츠 및 여가관련 서비스업",
                   "협회 및 단체 수리 및 기타 개인 서비스업"),
    "business": ("출판 영상 방송통신 및 정보서비스업", "금융 및 보험업", "전문 과학 및 기술 서비스업",
                 "사업시설관리 및 사업지원 서비스업", "공공행정 국방 및 사회보장 행정", "부동산업 및 임대업"),
    "industrial": ("제조업", "건설업", "운수업", "전기 가스 증기 및 수도사업",
                   "하수 · 폐기물 처리 원료재생 및 환경복원업"),
}


def _read_establishments(path: Path) -> list[dict]:
    """Rows of the 사업체현황 (3 header rows): gu, dong, establishments, workers, and per
    industry group establishments and workers."""
    t = read_table(path, header_rows=3)
    gu, dong = t.find_column("자치구"), t.find_column("동")
    est = t.find_column("합계 사업체수")
    workers = t.find_column("합계 종사자수 계")
    if not (gu and dong and est and workers):
        raise KeyError(f"사업체현황 열 없음 (찾은 열: {t.header[:8]} …)")
    group_cols: dict[str, list[tuple[str, str]]] = {g: [] for g in INDUSTRY_GROUPS}
    for g, names in INDUSTRY_GROUPS.items():
        for n in names:
            e = t.find_column(f"{n} 사업체수")
            w = t.find_column(f"{n} 종사자수")
            if e and w:
                group_cols[g].append((e, w))
    out = []
    for r in t.records():
        if r[dong] in ("소계", "합계") or r[gu] in ("합계", "서울시"):
            continue
        row = {"gu": r[gu], "dong": r[dong], "establishments": _num(r[est], 0.0),
               "workers": _num(r[workers], 0.0)}
        for g, cols in group_cols.items():
            row[f"{g}_establishments"] = sum(_num(r[e], 0.0) for e, _w in cols)
            row[f"{g}_workers"] = sum(_num(r[w], 0.0) for _e, w in cols)
        out.append(row)
    return out


def _read_latlon_file(path: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    t = read_table(path, header_rows=1)
    pts = _latlon_points(t)
    if pts is None:
        raise KeyError(f"위도/경도 열 없음 (찾은 열: {t.header})")
    label_col = t.find_column("설치위치", "관리번호", "명칭")
    labels = t.column(label_col) if label_col else [""] * len(t.rows)
    return pts[1], pts[0], labels


def _read_schools(path: Path):
    t = read_table(path, header_rows=1)
    office, state, name = t.find_column("시도교육청명"), t.find_column("운영상태"), t.find_column("학교명")
    recs = t.records()
    keep = [r for r in recs if (not office or r[office] == "서울특별시교육청")
            and (not state or r[state] in ("운영", ""))]
    lat = _nums(r[t.find_column("위도")] for r in keep)
    lon = _nums(r[t.find_column("경도")] for r in keep)
    return lon, lat, [r[name] if name else "" for r in keep]


def _read_childcare(path: Path):
    t = read_table(path, header_rows=1)
    state, name = t.find_column("운영현황"), t.find_column("어린이집명")
    keep = [r for r in t.records() if not state or r[state] in ("정상", "")]
    lat = _nums(r[t.find_column("위도")] for r in keep)
    lon = _nums(r[t.find_column("경도")] for r in keep)
    return lon, lat, [r[name] if name else "" for r in keep]


def _read_bars(path: Path):
    """LOCALDATA 유흥주점 in business (영업/정상), TM coordinates → WGS84."""
    t = read_table(path, header_rows=1)
    state, xcol, ycol = t.find_column("영업상태명"), t.find_column("좌표정보(X)"), t.find_column("좌표정보(Y)")
    name = t.find_column("사업장명")
    if not (xcol and ycol):
        raise KeyError(f"좌표정보(X)/(Y) 열 없음 (찾은 열: {t.header[:10]} …)")
    keep = [r for r in t.records() if not state or r[state] == "영업/정상"]
    x = _nums(r[xcol] for r in keep)
    y = _nums(r[ycol] for r in keep)
    ok = np.isfinite(x) & np.isfinite(y)
    system = crs.guess_tm_system(x[ok], y[ok]) or "EPSG:5174"
    lon = np.full(x.shape, np.nan)
    lat = np.full(x.shape, np.nan)
    if ok.any():
        lon[ok], lat[ok] = crs.to_wgs84(x[ok], y[ok], system)
    return lon, lat, [r[name] if name else "" for r in keep]


def _read_security_lights(paths: list[Path]):
    """FENCE 보안등 files without a header: [count, road address, lot address, lat, lon]."""
    lons, lats, counts, labels = [], [], [], []
    for p in paths:
        t = read_table(p, header_rows=0)
        for row in t.rows:
            if len(row) < 5:
                continue
            lats.append(_num(row[3]))
            lons.append(_num(row[4]))
            counts.append(_num(row[0], 1.0))
            labels.append(row[2])
    return np.array(lons), np.array(lats), labels, np.array(counts)


def _read_safety_grades(paths: list[Path]):
    lons, lats, grades, labels, gus = [], [], [], [], []
    for p in paths:
        t = read_table(p, header_rows=1)
        total, box, gu = t.find_column("전체"), t.find_column("지구대"), t.find_column("구")
        pts = _latlon_points(t)
        if pts is None or total is None:
            continue
        lats.extend(pts[0])
        lons.extend(pts[1])
        grades.extend(_nums(t.column(total)))
        labels.extend(t.column(box) if box else [""] * len(t.rows))
        gus.extend(t.column(gu) if gu else [""] * len(t.rows))
    return np.array(lons), np.array(lats), labels, np.array(grades), gus


def _read_crime(path: Path) -> dict[str, dict]:
    """mois_code → {"year", "total", by crime type} from the KOSIS-style 5대 범죄 table."""
    t = read_table(path, header_rows=4)
    gu_col = t.header[1]
    years = sorted({h.split(" ")[0] for h in t.header[2:] if h[:4].isdigit()})
    year = years[-1]
    out = {}
    for r in t.records():
        try:
            d = by_name(r[gu_col])
        except UnknownDistrict:
            continue
        entry = {"year": int(year)}
        for kind in ("소계", "살인", "강도", "강간·강제추행", "절도", "폭력"):
            col = t.find_column(f"{year} 합계 {kind} 발생")
            if col:
                entry[kind] = _num(r[col], 0.0)
        entry["total"] = entry.get("소계", 0.0)
        out[d.mois_code] = entry
    return out


def _read_cctv_official(path: Path) -> dict[str, tuple[int, int]]:
    """mois_code → (year, 방범용 CCTV count) from the 230630 yearly table."""
    t = read_table(path, header_rows=1)
    gu = t.find_column("구분")
    years = [h for h in t.header if re.fullmatch(r"\d{4}년", h)]
    if not gu or not years:
        raise KeyError(f"구분/연도 열 없음 (찾은 열: {t.header})")
    last = years[-1]
    out = {}
    for r in t.records():
        try:
            d = by_name(r[gu])
        except UnknownDistrict:
            continue
        value = _num(r[last])
        if math.isfinite(value):
            out[d.mois_code] = (int(last[:4]), int(value))
    return out


def _read_gu_population(path: Path) -> dict[str, float]:
    t = read_table(path, header_rows=3)
    gu = t.header[1]
    col = t.find_column("합계 (명) 소계")
    out = {}
    for r in t.records():
        try:
            out[by_name(r[gu]).mois_code] = _num(r[col])
        except UnknownDistrict:
            continue
    return out


def _read_gu_area(path: Path) -> dict[str, float]:
    t = read_table(path, header_rows=3)
    gu = t.header[1]
    col = t.find_column("면적 면적 (km²)", "면적 (km²)")
    out = {}
    for r in t.records():
        try:
            out[by_name(r[gu]).mois_code] = _num(r[col])
        except UnknownDistrict:
            continue
    return out


# --------------------------------------------------------------------------------------------
# Cameras


def _is_ptz(direction: str) -> bool | None:
    text = str(direction or "").replace(" ", "")
    if not text or text == "0" or "반경" in text or "-" in text:
        return None  # blank, zero, or junk (Excel auto-filled ranges, phone numbers)
    if "360" in text or "회전" in text or "전방" in text:
        return True
    if "고정" in text or "단방향" in text or "도" in text or text.isdigit():
        return False
    return None


def cameras_from_table(table: Table, district: District, boundary_utmk, *, source: str,
                       default_radius: float = FIXED_RADIUS_M, notes: list[str] | None = None) -> Cameras:
    """Camera sites from a table in the 전국CCTV표준데이터 layout (위도, 경도, 카메라대수, …),
    the 안심이 layout (CCTV 수량) or the 금천구 layout (명칭, 상세내용). Raises
    :class:`SitingInputError` when there are no coordinate columns."""
    name = Path(table.source).name
    pts = _latlon_points(table)
    if pts is None:
        raise SitingInputError(
            f"{name}: 좌표 열(위도, 경도)이 없습니다. 전국CCTV표준데이터 형식의 '위도', '경도' 열이 "
            f"필요합니다. 찾은 열: {', '.join(table.header[:15]) or '없음'}")
    lat, lon = pts
    if lat.size == 0:
        raise SitingInputError(f"{name}: 카메라 행이 하나도 없습니다.")
    count_col = table.find_column("카메라대수", "CCTV 수량", "CCTV수량", "대수")
    purpose_col = table.find_column("설치목적구분", "명칭")
    direction_col = table.find_column("촬영방면정보")
    address_col = table.find_column("소재지도로명주소", "소재지지번주소", "안심 주소", "좌표주소", "상세주소")
    n = lat.size
    counts = _nums(table.column(count_col)) if count_col else np.ones(n)
    counts = np.where(np.isfinite(counts) & (counts > 0), counts, 1).astype(int)
    purposes = [p.strip() for p in table.column(purpose_col)] if purpose_col else [""] * n
    purposes = [p.replace(" CCTV", "").replace("CCTV", "").strip() for p in purposes]
    directions = table.column(direction_col) if direction_col else [""] * n
    addresses = table.column(address_col) if address_col else [""] * n
    ptz = np.array([bool(_is_ptz(d)) for d in directions])
    radius = np.where(ptz, PTZ_RADIUS_M, default_radius).astype(float)
    drops = _Drops(f"기존 CCTV ({name})")
    keep, x, y = _filter_points(lon, lat, boundary_utmk, drops, district.name_ko, addresses)
    note = drops.note(district.name_ko)
    if note and notes is not None:
        notes.append(note)
    cams = Cameras(x, y, lon, lat, counts, radius, ptz, purposes, [source] * n, addresses)
    cams = cams.subset(keep)
    if len(cams) == 0 and n:
        raise SitingInputError(
            f"{name}: 카메라 {n}곳 중 {district.name_ko} 안에 있는 곳이 하나도 없습니다 "
            f"(서울 밖 {drops.outside_seoul}곳, 구 경계 밖 {drops.outside_district}곳, 좌표 없음 "
            f"{drops.no_coordinates}곳). 다른 자치구의 파일이 아닌지 확인하세요.")
    return cams


def read_existing_csv(path: str | Path, district, boundary_utmk=None, *,
                      data_dir: str | Path | None = None, notes: list[str] | None = None) -> Cameras:
    """Existing cameras from a CSV in the 전국CCTV표준데이터 layout (CP949 or UTF-8)."""
    district = resolve_district(district)
    p = Path(path)
    if not p.exists():
        raise SitingInputError(f"{p}: 파일이 없습니다.")
    try:
        table = read_table(p)
    except UnreadableFile as err:
        raise SitingInputError(str(err)) from err
    if boundary_utmk is None:
        if data_dir is None:
            raise SitingInputError("구 경계를 알 수 없습니다: 자료 폴더(--data-dir)를 지정하세요.")
        boundary_utmk = _boundary(Path(data_dir), district)[0]
    return cameras_from_table(table, district, boundary_utmk, source=p.name, notes=notes)


def _aggregate_same_point(cams: Cameras) -> Cameras:
    """Rows of one file at identical coordinates are one site (안심이 lists each camera of a
    pole on its own row): counts are summed, the widest radius kept."""
    if len(cams) < 2:
        return cams
    key = np.round(cams.x, 1) * 1e7 + np.round(cams.y, 1)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if first.size == len(cams):
        return cams
    count = np.bincount(inverse, weights=cams.count).astype(int)
    radius = np.zeros(first.size)
    np.maximum.at(radius, inverse, cams.radius)
    ptz = np.zeros(first.size, bool)
    np.logical_or.at(ptz, inverse, cams.ptz)
    out = cams.subset(np.isin(np.arange(len(cams)), first))
    order = np.argsort(first)  # subset keeps file order; unique() sorted by key
    out.count, out.radius, out.ptz = count[order], radius[order], ptz[order]
    return out


def _dedupe_sites(cams: Cameras, min_distance: float = 15.0) -> tuple[Cameras, int]:
    """Merge sites closer than ``min_distance`` that come from different sources (the same pole
    in the standard data and in 안심이), keeping the first; returns (cameras, merged count)."""
    from scipy.spatial import cKDTree

    if len(cams) < 2:
        return cams, 0
    tree = cKDTree(np.column_stack([cams.x, cams.y]))
    pairs = tree.query_pairs(min_distance, output_type="ndarray")
    drop = np.zeros(len(cams), bool)
    src = np.array(cams.source)
    for i, j in pairs:
        if src[i] != src[j] and not drop[i] and not drop[j]:
            drop[j] = True
            cams.count[i] = max(cams.count[i], cams.count[j])
            cams.radius[i] = max(cams.radius[i], cams.radius[j])
            cams.ptz[i] = cams.ptz[i] or cams.ptz[j]
    return cams.subset(~drop), int(drop.sum())


# --------------------------------------------------------------------------------------------
# One district


def _boundary(root: Path, district: District):
    seoul = _seoul(root)
    polys = seoul.get("district_polys") or {}
    geom = polys.get(district.mois_code)
    if geom is None:
        raise SitingInputError(
            f"{district.name_ko}의 경계가 자료 폴더에 없습니다 ({root}/boundaries: "
            f"kostat_*_seoul_municipalities_geo.json 필요).")
    return _wgs84_geom_to_utmk(geom), geom


def _camera_files(root: Path, district: District) -> list[Path]:
    files = sorted(root.glob(f"cctv/standard_points*/서울특별시_{district.name_ko}_CCTV*.csv"))
    files += sorted(root.glob(f"cctv/*{district.name_ko}*안심이*.csv"))
    return files


def has_camera_points(root: str | Path, district) -> bool:
    return bool(_camera_files(Path(root), resolve_district(district)))


def load_district(data_dir: str | Path, district, *, existing_csv: str | Path | None = None,
                  progress: ProgressCallback = null_progress) -> DistrictLayers:
    """Every layer of ``district`` from ``data_dir``; see the module docstring for the rules."""
    import shapely

    district = resolve_district(district)
    root = Path(data_dir)
    if not root.is_dir():
        raise SitingInputError(f"자료 폴더가 없습니다: {root}")
    progress(0, 6, f"{district.name_ko} 자료 읽는 중")
    seoul = _seoul(root)
    notes: list[str] = [n for n in seoul["notes"]]
    sources = dict(seoul["sources"])
    boundary, boundary_wgs = _boundary(root, district)
    shapely.prepare(boundary)

    # 행정동 polygons and statistics
    progress(1, 6, "행정동 경계와 통계")
    dong_codes, dong_names, dong_wgs, dong_geoms, stats, est, dong_notes = district_dongs(root, district)
    notes.extend(dong_notes)
    stats = {k: v.copy() for k, v in stats.items()}  # the cached arrays stay untouched
    est = {k: v.copy() for k, v in est.items()}
    n_dong = len(dong_codes)

    # cameras
    progress(3, 6, "기존 CCTV")
    cameras = _district_cameras(root, district, boundary, existing_csv, notes, sources)

    # point layers
    progress(4, 6, "시설 위치")
    points: dict[str, PointLayer] = {}
    for key in ("bars", "bells", "schools", "childcare", "street_lamps", "security_lights",
                "safety_grade"):
        data = seoul.get(key)
        if data is None:
            continue
        lon, lat, labels = data[0], data[1], data[2]
        weight = data[3] if len(data) > 3 else None
        # Seoul-wide files hold every district: points of other districts are not "dropped";
        # unlocated and non-Seoul points are reported once per file below.
        drops = _Drops(POINT_LAYER_LABELS[key])
        if key == "safety_grade":
            # graded 지구대 of this district (the file names the 구; the box may sit on a border)
            own = np.array([by_name_safe(g) == district.mois_code for g in data[4]], bool)
            _in, x, y = _filter_points(lon, lat, boundary, drops, district.name_ko, labels,
                                       tolerance=1e6)
            inside = own & np.isfinite(x)
            if inside.sum() < 2:
                continue  # only 14 districts have graded 지구대 jurisdictions
        else:
            inside, x, y = _filter_points(lon, lat, boundary, drops, district.name_ko, labels)
            if key == "security_lights":
                # the FENCE files cover 7 districts; a neighbour's lights near the border
                # are not a 보안등 layer for this district
                own = np.array([f" {district.name_ko} " in f" {lab} " for lab in labels], bool)
                inside &= own
        if key == "security_lights" and inside.sum() < 50:
            continue  # only 7 districts have 보안등 points; a few over a border are not a layer
        points[key] = PointLayer(key, POINT_LAYER_LABELS[key], x[inside], y[inside],
                                 sources.get(key, ""),
                                 None if weight is None else np.asarray(weight)[inside])
    _seoul_wide_drop_notes(seoul, notes)

    roads = _roads(root, district, boundary, sources, notes)
    crime = (seoul.get("crime") or {}).get(district.mois_code)
    official = (seoul.get("cctv_official") or {}).get(district.mois_code)
    progress(6, 6, "완료")
    layers = DistrictLayers(
        district=district, boundary=boundary, boundary_wgs84=boundary_wgs,
        dong_codes=dong_codes, dong_names=dong_names, dong_geoms=dong_geoms,
        dong_geoms_wgs84=dong_wgs, dong_stats=stats, cameras=cameras, points=points,
        roads=roads, crime=crime, camera_total_official=official[1] if official else None,
        establishments=est, notes=notes, sources=sources,
        synthetic=(root / "SYNTHETIC.md").exists(),
    )
    if n_dong and not np.isfinite(stats["population"]).any():
        raise SitingInputError(f"{district.name_ko}: 행정동 인구 자료가 비어 있습니다 "
                               f"(population/dong_pop_*.csv).")
    return layers


def district_dongs(root: str | Path, district):
    """(codes, names, WGS84 polygons, UTM-K polygons, stats, establishments, notes) of the
    district's 행정동; cached per process because area typing needs all 25 districts."""
    root = Path(root)
    return _district_dongs(str(root.resolve()), _signature(root), resolve_district(district))


@lru_cache(maxsize=32)
def _district_dongs(root_text: str, signature: tuple, district: District):
    seoul = _seoul_wide(root_text, signature)
    dong_rows = [r for r in seoul.get("dong_polys", []) if r[0][:5] == district.kostat_code]
    if not dong_rows:
        raise SitingInputError(f"{district.name_ko}의 행정동 경계가 자료 폴더에 없습니다 "
                               f"({root_text}/boundaries).")
    codes = [r[0] for r in dong_rows]
    names = [r[1] for r in dong_rows]
    wgs = [r[2] for r in dong_rows]
    geoms = [_wgs84_geom_to_utmk(g) for g in wgs]
    notes: list[str] = []
    stats, est = _dong_statistics(seoul, district, codes, names, geoms, notes)
    return codes, names, wgs, geoms, stats, est, notes


def _seoul_wide_drop_notes(seoul: dict, notes: list[str]) -> None:
    """Once per Seoul-wide file: how many of its points are outside Seoul or unlocated."""
    for key, label in POINT_LAYER_LABELS.items():
        data = seoul.get(key)
        if data is None:
            continue
        lon, lat = np.asarray(data[0], float), np.asarray(data[1], float)
        finite = np.isfinite(lon) & np.isfinite(lat) & (lon != 0) & (lat != 0)
        outside = finite.copy()
        outside[finite] = ~crs.inside_seoul_bbox(lon[finite], lat[finite])
        parts = []
        if (~finite).sum():
            parts.append(f"좌표 없음 {int((~finite).sum())}건")
        if outside.sum():
            parts.append(f"서울 밖 좌표 {int(outside.sum())}건")
        if parts:
            notes.append(f"{label} (서울 전체 파일): {', '.join(parts)}을(를) 제외했습니다. "
                         f"좌표는 옮기지 않았습니다.")


def _district_cameras(root: Path, district: District, boundary, existing_csv, notes, sources):
    if existing_csv is not None:
        cams = _aggregate_same_point(read_existing_csv(existing_csv, district, boundary, notes=notes))
        sources["cameras"] = Path(existing_csv).name + " (--existing)"
        return cams
    files = _camera_files(root, district)
    if not files:
        notes.append(f"{district.name_ko}의 기존 CCTV 위치 자료가 없습니다: 기존 CCTV를 0대로 보고 "
                     f"계산했습니다. 전국CCTV표준데이터 형식 CSV를 올리면 반영됩니다.")
        sources["cameras"] = "없음"
        return Cameras.empty()
    parts = []
    for f in files:
        table = read_table(f)
        if table.find_column("위도") is None or not table.rows:
            notes.append(f"{f.name}: 좌표 열이 없어 건너뛰었습니다.")
            continue
        parts.append(_aggregate_same_point(
            cameras_from_table(table, district, boundary, source=f.name, notes=notes)))
    cams = Cameras.concat(parts)
    if len(parts) > 1:
        cams, merged = _dedupe_sites(cams)
        if merged:
            notes.append(f"기존 CCTV: 여러 자료에 같은 위치(15 m 이내)로 있는 {merged}곳을 한 곳으로 "
                         f"합쳤습니다.")
    sources["cameras"] = ", ".join(f.name for f in files)
    return cams


def _assign_point_to_dong(x: float, y: float, dong_geoms) -> int | None:
    import shapely

    for i, g in enumerate(dong_geoms):
        if shapely.contains_xy(g, x, y):
            return i
    return None


def _dong_statistics(seoul, district, dong_codes, dong_names, dong_geoms, notes):
    n = len(dong_codes)
    by_name = {normalise_dong_name(nm): i for i, nm in enumerate(dong_names)}
    # MOIS 8-digit representative points: name → (x, y) in EPSG:5181 for spatial fallback.
    rep_points: dict[str, tuple[float, float]] = {}
    for code, name, x, y in seoul.get("dong_points", []):
        if code[:5] == district.mois_code and math.isfinite(x):
            ux, uy = crs.transformer("EPSG:5181", crs.UTMK).transform(x, y)
            rep_points[normalise_dong_name(name)] = (ux, uy)

    unmatched: list[str] = []

    def locate(name: str) -> int | None:
        key = normalise_dong_name(name)
        if key in by_name:
            return by_name[key]
        pt = rep_points.get(key)
        if pt is not None:
            return _assign_point_to_dong(pt[0], pt[1], dong_geoms)
        return None

    population = np.full(n, np.nan)
    for gu, dong, total in seoul.get("dong_pop", []):
        try:
            if by_name_safe(gu) != district.mois_code:
                continue
        except UnknownDistrict:
            continue
        i = locate(dong)
        if i is None:
            unmatched.append(dong)
            continue
        population[i] = np.nansum([population[i], total])

    households = np.full(n, np.nan)
    one_person = np.full(n, np.nan)
    hh = seoul.get("dong_households", {})
    for i, code in enumerate(dong_codes):
        if code in hh:
            households[i], one_person[i] = hh[code]

    night = np.full(n, np.nan)
    for code, (name, night_pop, _total) in seoul.get("floating", {}).items():
        if code[:5] != district.mois_code:
            continue
        i = locate(name)
        if i is None:
            unmatched.append(name)
            continue
        night[i] = np.nansum([night[i], night_pop])

    est_rows = [r for r in seoul.get("establishments", []) if by_name_safe(r["gu"]) == district.mois_code]
    est_keys = ["establishments", "workers"] + [f"{g}_{k}" for g in INDUSTRY_GROUPS
                                                 for k in ("establishments", "workers")]
    est = {k: np.full(n, np.nan) for k in est_keys}
    for r in est_rows:
        i = locate(r["dong"])
        if i is None:
            unmatched.append(r["dong"])
            continue
        for k in est_keys:
            est[k][i] = np.nansum([est[k][i], r[k]])

    areas = np.array([g.area for g in dong_geoms]) / 1e6
    # A 2013 행정동 without a figure (merged or renamed since) gets the district's density.
    for label, arr in (("인구", population), ("야간 유동인구", night)):
        missing = ~np.isfinite(arr)
        if missing.any() and (~missing).any():
            density = np.nansum(arr) / areas[~missing].sum()
            arr[missing] = density * areas[missing]
            notes.append(f"{label}: 행정동 {missing.sum()}곳({', '.join(np.array(dong_names)[missing][:4])})은 "
                         f"자료가 없어 구 평균 밀도로 채웠습니다.")
    if (~np.isfinite(one_person)).any() and np.isfinite(one_person).any():
        share = np.nansum(one_person) / np.nansum(population[np.isfinite(one_person)])
        miss = ~np.isfinite(one_person)
        one_person[miss] = share * population[miss]
        households[miss] = np.nanmean(households / np.maximum(population, 1)) * population[miss]
    if unmatched:
        notes.append(f"행정동 이름을 경계(2013년)에 맞추지 못해 제외한 자료: {', '.join(sorted(set(unmatched))[:6])}")
    stats = {"population": population, "households": households, "one_person": one_person,
             "night_floating": night, "area_km2": areas}
    return stats, est


def by_name_safe(name: str) -> str | None:
    try:
        return by_name(name).mois_code
    except UnknownDistrict:
        return None


def _roads(root: Path, district: District, boundary, sources, notes):
    """Road sections (JUSO TL_SPRD_MANAGE, EPSG:5179) where a district folder has them."""
    import shapely

    candidates = sorted(root.glob("roads_*/TL_SPRD_MANAGE.shp"))
    for shp in candidates:
        try:
            import pyogrio

            df = pyogrio.read_dataframe(shp, encoding="cp949")
        except Exception as err:  # a broken shapefile is a note, not a failure
            notes.append(f"{shp.name}: 도로 자료를 읽을 수 없습니다 ({err})")
            continue
        if "SIG_CD" not in df or not (df["SIG_CD"].astype(str) == district.mois_code).any():
            continue
        df = df[df["SIG_CD"].astype(str) == district.mois_code]
        width = df["ROAD_BT"].astype(float).to_numpy()
        cls = df["ROA_CLS_SE"].astype(str).to_numpy()
        geoms = np.asarray(df.geometry.values)
        narrow = shapely.union_all(geoms[(width < 8) & (cls == "4")])
        wide = shapely.union_all(geoms[(width >= 20) | np.isin(cls, ["1", "2"])])
        sources["roads"] = str(shp.parent.relative_to(root))
        return {"narrow": shapely.intersection(narrow, boundary),
                "wide": shapely.intersection(wide, boundary)}
    return None


# --------------------------------------------------------------------------------------------
# Seoul overview


def seoul_district_table(data_dir: str | Path) -> list[dict]:
    """District-level figures for the Seoul overview (no grid): area, population, official
    방범용 CCTV count, crime, whether camera points exist."""
    root = Path(data_dir)
    seoul = _seoul(root)
    polys = seoul.get("district_polys") or {}
    out = []
    for d in DISTRICTS:
        area = seoul.get("gu_area", {}).get(d.mois_code)
        if (area is None or not math.isfinite(area)) and d.mois_code in polys:
            area = _wgs84_geom_to_utmk(polys[d.mois_code]).area / 1e6
        pop = seoul.get("gu_population", {}).get(d.mois_code)
        if pop is None:
            pop = sum(t for g, _n, t in seoul.get("dong_pop", []) if by_name_safe(g) == d.mois_code
                      and math.isfinite(t)) or None
        official = seoul.get("cctv_official", {}).get(d.mois_code)
        crime = seoul.get("crime", {}).get(d.mois_code)
        out.append({
            "district": d.name_ko, "code": d.mois_code, "area_km2": area, "population": pop,
            "cameras_official": official[1] if official else None,
            "cameras_year": official[0] if official else None,
            "crime_total": crime.get("total") if crime else None,
            "crime_year": crime.get("year") if crime else None,
            "has_boundary": d.mois_code in polys,
            "has_camera_points": bool(_camera_files(root, d)),
        })
    return out
