"""Demo records of the quality programme: the plan's catalogue of 30 high-demand Open Data
Plaza datasets, Data Supporters and their assignments, and checked versions — from the real
files in ../shared when SEOUL_DATA_DIR exists, from synthetic files in the same published
schemas otherwise. Idempotent."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterator

from django.conf import settings
from django.core.files import File
from django.db import transaction

# name, portal id (only where the source file states it), provider, category,
# district code of the providing 자치구 (None: city-wide), demo file key
CATALOGUE = (
    ("서울시 공공자전거 대여소 정보", "OA-13252", "서울특별시 도시교통실", "교통", None, "bike"),
    ("서울시 지하철 호선별 역별 승하차 인원 정보", "OA-12914", "서울교통공사", "교통", None, "subway_card"),
    ("서울시 어린이집 정보(표준 데이터)", "", "서울특별시 여성가족정책실", "보육", None, "childcare"),
    ("서울시 영화상영관 인허가 정보", "", "서울특별시 문화본부", "인허가", None, "cinema"),
    ("서울시 산후조리업 인허가 정보", "", "서울특별시 시민건강국", "인허가", None, "postnatal"),
    ("서울시 대규모점포 인허가 정보", "", "서울특별시 경제정책실", "인허가", None, "mart"),
    ("서울시 공공와이파이 서비스 위치 정보", "", "서울특별시 디지털정책관", "정보통신", None, "wifi"),
    ("서울시 주민등록인구 (구별) 통계", "", "서울특별시 행정국", "인구", None, "population"),
    ("서울시 관서별 5대 범죄 발생·검거 현황", "", "서울지방경찰청", "안전", None, "crime"),
    ("서울시 지하철역 주소 및 전화번호 정보", "", "서울교통공사", "교통", None, "subway_stations"),
    ("강남구 안심이 CCTV 연계 현황", "", "강남구", "안전", "11680", None),
    ("서초구 CCTV 설치 현황", "", "서초구", "안전", "11650", None),
    ("관악구 공중화장실 정보", "", "관악구", "생활", "11620", None),
    ("서울시 자치구별 CCTV 설치 현황", "", "서울특별시 안전총괄실", "안전", None, None),
    ("서울시 가로등 위치 정보", "", "서울특별시 도시기반시설본부", "안전", None, None),
    ("서울시 안전비상벨 위치 정보", "", "서울특별시 안전총괄실", "안전", None, None),
    ("서울시 일반음식점 인허가 정보", "", "서울특별시 시민건강국", "인허가", None, None),
    ("서울시 휴게음식점 인허가 정보", "", "서울특별시 시민건강국", "인허가", None, None),
    ("서울시 약국 인허가 정보", "", "서울특별시 시민건강국", "보건", None, None),
    ("서울시 병원 인허가 정보", "", "서울특별시 시민건강국", "보건", None, None),
    ("서울시 공영주차장 정보", "", "서울시설공단", "교통", None, None),
    ("서울시 버스정류소 위치 정보", "", "서울특별시 도시교통실", "교통", None, None),
    ("서울시 공공자전거 대여 이력 정보", "", "서울특별시 도시교통실", "교통", None, None),
    ("서울시 자치구 단위 생활인구", "", "서울특별시 디지털정책관", "인구", None, None),
    ("서울시 상권분석서비스(점포-상권)", "", "서울특별시 경제정책실", "경제", None, None),
    ("서울시 주요 공원 현황", "", "서울특별시 푸른도시여가국", "환경", None, None),
    ("서울시 공공도서관 현황", "", "서울특별시 평생교육국", "문화", None, None),
    ("서울시 문화공간 정보", "", "서울특별시 문화본부", "문화", None, None),
    ("서울시 전기차 충전소 정보", "", "서울특별시 기후환경본부", "환경", None, None),
    ("서울시 무더위쉼터 정보", "", "서울특별시 안전총괄실", "안전", None, None),
)

REAL_FILES = {
    "bike": "bike_stations_2206_cp949_multiheader.csv",
    "subway_card": "CARD_SUBWAY_MONTH_202307.csv",
    "childcare": "childcare_centers_utf8sig.csv",
    "cinema": "localdata_cinema_license_cp949.csv",
    "postnatal": "localdata_postnatal_care_cp949.csv",
    "mart": "localdata_large_mart_excel_resaved.csv",
    "wifi": "public_wifi_header_only_cp949.csv",
    "population": "population_in_Seoul_2017.xls",
    "crime": "crime_in_Seoul_cp949.csv",
    "subway_stations": "subway_stations_cp949.csv",
}
# without ../shared: synthetic files in the same schemas (engine.synth)
SYNTHETIC = {
    "bike": ("bike_stations_synthetic.csv", "write_bike_stations", {}),
    "childcare": ("childcare_synthetic.csv", "write_childcare", {}),
    "cinema": ("localdata_synthetic_cp949.csv", "write_localdata", {}),
    "mart": ("localdata_excel_resaved_synthetic.csv", "write_localdata",
             {"excel_resaved": True, "encoding": "utf-8-sig", "seed": 7}),
    "population": ("population_synthetic.xlsx", "write_population_xlsx", {}),
    "crime": ("crime_synthetic.csv", "write_crime", {}),
}
LOCALDATA_SPEC = """\
# LOCALDATA 인허가 표준: 복합키와 폐업일자 규칙
keys: [[개방자치단체코드, 관리번호]]
columns:
  영업상태코드: {kind: code, length: 2, codes: ["01", "02", "03", "04"], required: true}
  폐업일자: {kind: date, sentinels: ["99991231", "19000101"]}
order: [[폐업일자, 인허가일자]]
"""
DATA_SUPPORTERS = (("youth1", "청년", "서포터즈1"), ("youth2", "청년", "서포터즈2"))
# which datasets each supporter works on (by catalogue key), the core demo "supporter" too
ASSIGN = {"supporter": ("cinema", "postnatal", "bike"), "youth1": ("mart", "childcare", "cinema"),
          "youth2": ("population", "crime", "subway_stations")}
VERSIONED = ("cinema", "postnatal", "mart", "childcare", "bike", "population", "crime",
             "subway_stations", "wifi", "subway_card")


def _source_file(key: str, tmp: Path) -> Path | None:
    base = getattr(settings, "SEOUL_DATA_DIR", None)
    if base and key in REAL_FILES:
        path = Path(base) / "opendata" / REAL_FILES[key]
        if path.exists():
            return path
    if key in SYNTHETIC:
        from seoul_digital.quality.engine import synth

        name, writer, kwargs = SYNTHETIC[key]
        path = tmp / name
        getattr(synth, writer)(path, **kwargs)
        return path
    return None


def load() -> Iterator[str]:
    from django.contrib.auth import get_user_model

    from seoul_digital.core.demo import DEMO_PASSWORD
    from seoul_digital.core.models import District
    from seoul_digital.core.roles import Role
    from seoul_digital.quality import services
    from seoul_digital.quality.models import Assignment, Dataset, DatasetVersion

    User = get_user_model()
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    created = 0
    keys: dict[str, Dataset] = {}
    with transaction.atomic():
        for name, portal_id, provider, category, district_code, key in CATALOGUE:
            district = District.objects.get(code=district_code) if district_code else None
            dataset, is_new = Dataset.objects.get_or_create(
                name=name, defaults={"portal_id": portal_id, "provider": provider, "category": category,
                                     "district": district,
                                     "spec_yaml": LOCALDATA_SPEC if key in ("cinema", "mart", "postnatal") else "",
                                     "description": "서울 열린데이터광장 수요 상위 데이터셋(품질 개선 대상)"})
            created += is_new
            if key:
                keys[key] = dataset
    yield f"datasets: {len(CATALOGUE)} ({created} new)"
    new_users = 0
    for username, last, first in DATA_SUPPORTERS:
        if not User.objects.filter(username=username).exists():
            user = User(username=username, role=Role.SUPPORTER, last_name=last, first_name=first)
            user.set_password(DEMO_PASSWORD)
            user.save()
            new_users += 1
    yield f"data supporters: {len(DATA_SUPPORTERS)} ({new_users} new; password {DEMO_PASSWORD})"
    assigned = 0
    for username, dataset_keys in ASSIGN.items():
        supporter = User.objects.filter(username=username, role=Role.SUPPORTER).first()
        if supporter is None:
            continue
        for key in dataset_keys:
            _obj, is_new = Assignment.objects.get_or_create(dataset=keys[key], supporter=supporter,
                                                            defaults={"assigned_by": admin})
            assigned += is_new
    yield f"assignments: {assigned} new"
    checked = 0
    source = "real files" if getattr(settings, "SEOUL_DATA_DIR", None) else "synthetic files"
    with tempfile.TemporaryDirectory() as tmp:
        for key in VERSIONED:
            dataset = keys[key]
            if DatasetVersion.objects.filter(dataset=dataset).exists():
                continue
            path = _source_file(key, Path(tmp))
            if path is None:
                continue
            with open(path, "rb") as fh:
                upload = File(fh, name=path.name)
                version = services.do_upload_version(admin, dataset, upload,
                                                     note="데모: 원본 파일", start=False)
            services.run_check(version)
            checked += 1
            yield f"checked {dataset.name} v{version.number} ({path.name})"
    yield f"versions checked: {checked} (from {source})"
