"""Seoul's 25 자치구 and the codes each source uses for them.

Sources disagree: 행정안전부 (MOIS) 5-digit codes (e.g. 11680 강남구) are used by JUSO,
LOCALDATA and most Open Data Plaza files; KOSTAT census codes (e.g. 11230 강남구) are used
by SGIS boundaries and statistics. Some numbers exist in both with different meanings
(11110 is 종로구 for MOIS and 노원구 for KOSTAT), so a code is never looked up without
saying which system it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = [
    "District",
    "DISTRICTS",
    "UnknownDistrict",
    "by_mois_code",
    "by_kostat_code",
    "by_name",
    "resolve",
    "ADJACENT",
    "are_adjacent",
]


@dataclass(frozen=True)
class District:
    mois_code: str
    kostat_code: str
    name_ko: str
    name_en: str

    @property
    def slug(self) -> str:
        return self.name_en.lower().replace("-gu", "").replace(" ", "")


class UnknownDistrict(ValueError):
    """Raised with a message naming the value that matched none of the 25 districts."""


DISTRICTS: tuple[District, ...] = (
    District("11110", "11010", "종로구", "Jongno-gu"),
    District("11140", "11020", "중구", "Jung-gu"),
    District("11170", "11030", "용산구", "Yongsan-gu"),
    District("11200", "11040", "성동구", "Seongdong-gu"),
    District("11215", "11050", "광진구", "Gwangjin-gu"),
    District("11230", "11060", "동대문구", "Dongdaemun-gu"),
    District("11260", "11070", "중랑구", "Jungnang-gu"),
    District("11290", "11080", "성북구", "Seongbuk-gu"),
    District("11305", "11090", "강북구", "Gangbuk-gu"),
    District("11320", "11100", "도봉구", "Dobong-gu"),
    District("11350", "11110", "노원구", "Nowon-gu"),
    District("11380", "11120", "은평구", "Eunpyeong-gu"),
    District("11410", "11130", "서대문구", "Seodaemun-gu"),
    District("11440", "11140", "마포구", "Mapo-gu"),
    District("11470", "11150", "양천구", "Yangcheon-gu"),
    District("11500", "11160", "강서구", "Gangseo-gu"),
    District("11530", "11170", "구로구", "Guro-gu"),
    District("11545", "11180", "금천구", "Geumcheon-gu"),
    District("11560", "11190", "영등포구", "Yeongdeungpo-gu"),
    District("11590", "11200", "동작구", "Dongjak-gu"),
    District("11620", "11210", "관악구", "Gwanak-gu"),
    District("11650", "11220", "서초구", "Seocho-gu"),
    District("11680", "11230", "강남구", "Gangnam-gu"),
    District("11710", "11240", "송파구", "Songpa-gu"),
    District("11740", "11250", "강동구", "Gangdong-gu"),
)

_BY_MOIS = {d.mois_code: d for d in DISTRICTS}
_BY_KOSTAT = {d.kostat_code: d for d in DISTRICTS}
_BY_NAME: dict[str, District] = {}
for _d in DISTRICTS:
    for _key in (_d.name_ko, _d.name_ko[:-1] if len(_d.name_ko) > 2 else _d.name_ko,
                 _d.name_en.lower(), _d.slug, f"서울특별시 {_d.name_ko}", f"서울시 {_d.name_ko}"):
        _BY_NAME[_key] = _d


def _norm_code(code: object) -> str:
    # Excel and pandas turn "11680" into 11680 or 11680.0; a 10-digit 행정동/법정동 code
    # starts with its district's 5 digits.
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text[:5]


def by_mois_code(code: object) -> District:
    try:
        return _BY_MOIS[_norm_code(code)]
    except KeyError:
        raise UnknownDistrict(f"'{code}' is not a 행정안전부 code of a Seoul district") from None


def by_kostat_code(code: object) -> District:
    try:
        return _BY_KOSTAT[_norm_code(code)]
    except KeyError:
        raise UnknownDistrict(f"'{code}' is not a KOSTAT code of a Seoul district") from None


def by_name(name: str) -> District:
    """Korean name with or without 구/서울특별시 prefix, or English name/slug."""
    key = " ".join(str(name).split())
    found = _BY_NAME.get(key) or _BY_NAME.get(key.lower())
    if found is None and key.startswith(("서울특별시 ", "서울시 ")):
        found = _BY_NAME.get(key.split(" ", 1)[1])
    if found is None:
        raise UnknownDistrict(f"'{name}' is not one of Seoul's 25 districts")
    return found


def resolve(value: str) -> District:
    """Name or MOIS code; codes are taken as MOIS codes, the platform's canonical system."""
    text = str(value).strip()
    if text[:5].isdigit():
        return by_mois_code(text)
    return by_name(text)


# Shared borders between districts (rook adjacency of the JUSO 2015 polygons, checked by a
# test against ../shared boundaries where present). Used for "same or adjacent district".
_ADJACENT_PAIRS = {
    "종로구": ["중구", "동대문구", "성북구", "은평구", "서대문구"],
    "중구": ["용산구", "성동구", "동대문구", "서대문구", "마포구"],
    "용산구": ["성동구", "마포구", "영등포구", "동작구", "서초구", "강남구"],
    "성동구": ["광진구", "동대문구", "강남구"],
    "광진구": ["동대문구", "중랑구", "강남구", "송파구", "강동구"],
    "동대문구": ["중랑구", "성북구"],
    "중랑구": ["성북구", "노원구"],
    "성북구": ["강북구", "노원구"],
    "강북구": ["도봉구", "노원구"],
    "도봉구": ["노원구"],
    "은평구": ["서대문구", "마포구"],
    "서대문구": ["마포구"],
    "마포구": ["강서구", "영등포구"],
    "양천구": ["강서구", "구로구", "영등포구"],
    "강서구": ["영등포구"],
    "구로구": ["금천구", "영등포구", "관악구"],
    "금천구": ["관악구"],
    "영등포구": ["동작구", "관악구"],
    "동작구": ["관악구", "서초구"],
    "관악구": ["서초구"],
    "서초구": ["강남구"],
    "강남구": ["송파구"],
    "송파구": ["강동구"],
}


def _build_adjacency(pairs: dict[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    graph: dict[str, set[str]] = {d.name_ko: set() for d in DISTRICTS}
    for a, others in pairs.items():
        for b in others:
            graph[a].add(b)
            graph[b].add(a)
    return {k: frozenset(v) for k, v in graph.items()}


ADJACENT: dict[str, frozenset[str]] = _build_adjacency(_ADJACENT_PAIRS)


def are_adjacent(a: str, b: str) -> bool:
    return b in ADJACENT.get(a, frozenset())
