"""Which rules apply to which column: inferred from Korean column names (and, where a name
says nothing, from the values), overridable by a per-dataset YAML spec.

A spec (YAML) looks like::

    name: 서울시 영화상영관 인허가 정보
    sheet: 대여소현황          # workbooks: which sheet
    header_rows: 1             # skip header detection
    encoding: cp949            # skip encoding detection
    columns:
      영업상태코드: {kind: code, length: 2, codes: ["01", "02", "03", "04"], required: true}
      폐업일자: {kind: date, sentinels: ["99991231"], format: YYYY-MM-DD}
      소재지면적: {kind: number, minimum: 0}
      좌표정보(X): {kind: x}
      비고: {kind: text}       # no value rule
    keys: [[개방자치단체코드, 관리번호]]
    order: [[폐업일자, 인허가일자]]          # later, earlier
    closed_status: [{status: 영업상태명, date: 폐업일자, closed: [폐업]}]
    coordinates: [{x: 좌표정보(X), y: 좌표정보(Y), crs: EPSG:2097}]
    near_duplicates: {ignore: [최종수정일자]}
    disable: [near_duplicate_rows]

Column names match ignoring spaces and line breaks ("대여소 번호" = "대여소번호").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from seoul_digital.common.korean_files import normalise_label
from seoul_digital.quality.engine.catalogue import RULES
from seoul_digital.quality.engine.rules.base import ColumnRule
from seoul_digital.quality.engine.rules.codes import CodeRule, DistrictRule, FlagRule, IdRule
from seoul_digital.quality.engine.rules.contact import BiznoRule, PhoneRule, PostcodeRule
from seoul_digital.quality.engine.rules.dates import DateRule, PeriodRule, TimeRule, parse_date
from seoul_digital.quality.engine.rules.geo import CoordinateRule, detect_system
from seoul_digital.quality.engine.rules.numbers import NumberRule, parse_number

__all__ = ["SpecError", "DatasetSpec", "ColumnPlan", "DatasetPlan", "load_spec", "build_plan",
           "KINDS", "infer_kind"]

KINDS = ("text", "date", "yearmonth", "year", "period", "time", "phone", "postcode", "bizno",
         "lat", "lon", "x", "y", "flag", "percent", "amount", "measure", "count", "number",
         "code", "id", "district")


class SpecError(ValueError):
    """The YAML spec is malformed; the message names the line or key."""


@dataclass
class DatasetSpec:
    """A dataset's YAML spec (``load_spec``); the empty spec lets everything be inferred."""

    name: str = ""
    sheet: str | int | None = None
    header_rows: int | None = None
    encoding: str | None = None
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    keys: list[list[str]] | None = None
    order: list[list[str]] | None = None
    closed_status: list[dict[str, Any]] | None = None
    coordinates: list[dict[str, Any]] | None = None
    near_duplicate_ignore: list[str] = field(default_factory=list)
    disable: list[str] = field(default_factory=list)
    source: str = "inferred"

    @classmethod
    def from_dict(cls, data: dict, source: str = "spec") -> "DatasetSpec":
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise SpecError("the spec must be a mapping (key: value) at the top level")
        known = {"name", "dataset", "sheet", "header_rows", "encoding", "columns", "required",
                 "keys", "order", "closed_status", "coordinates", "near_duplicates", "disable"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SpecError(f"unknown spec keys: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        columns = data.get("columns") or {}
        if not isinstance(columns, dict):
            raise SpecError("'columns' must map column names to settings")
        for name, settings in columns.items():
            if settings is None:
                columns[name] = {}
            elif isinstance(settings, str):
                columns[name] = {"kind": settings}
            elif not isinstance(settings, dict):
                raise SpecError(f"column '{name}': settings must be a mapping or a kind name")
            kind = columns[name].get("kind")
            if kind is not None and kind not in KINDS:
                raise SpecError(f"column '{name}': unknown kind '{kind}' (one of {', '.join(KINDS)})")
        disable = [str(r) for r in (data.get("disable") or [])]
        bad = [r for r in disable if r not in RULES]
        if bad:
            raise SpecError(f"disable: unknown rules {', '.join(bad)}")
        keys = data.get("keys")
        if keys is not None:
            if not isinstance(keys, list):
                raise SpecError("'keys' must be a list of column lists")
            keys = [[k] if isinstance(k, str) else list(k) for k in keys]
        near = data.get("near_duplicates") or {}
        header_rows = data.get("header_rows")
        if header_rows is not None and (not isinstance(header_rows, int) or header_rows < 0):
            raise SpecError("'header_rows' must be a whole number ≥ 0")
        return cls(name=str(data.get("name") or data.get("dataset") or ""),
                   sheet=data.get("sheet"), header_rows=header_rows,
                   encoding=data.get("encoding"), columns=columns,
                   required=list(data.get("required") or []), keys=keys,
                   order=data.get("order"), closed_status=data.get("closed_status"),
                   coordinates=data.get("coordinates"),
                   near_duplicate_ignore=list(near.get("ignore") or []) if isinstance(near, dict) else [],
                   disable=disable, source=source)


def load_spec(path_or_text: str | Path | None) -> DatasetSpec:
    """A spec from a YAML file (path) or YAML text; None → the empty (inferred) spec."""
    if path_or_text is None:
        return DatasetSpec()
    import yaml

    source = "spec"
    if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and "\n" not in path_or_text
                                         and path_or_text.endswith((".yaml", ".yml"))):
        path = Path(path_or_text)
        if not path.exists():
            raise SpecError(f"spec file not found: {path}")
        text = path.read_text(encoding="utf-8-sig")
        source = path.name
    else:
        text = str(path_or_text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise SpecError(f"the spec is not valid YAML: {err}") from err
    return DatasetSpec.from_dict(data, source=source)


# --------------------------------------------------------------------------- name inference

_NAME_RULES: list[tuple[str, re.Pattern]] = [(kind, re.compile(p, re.I)) for kind, p in (
    ("bizno", r"사업자(등록)?번호"),
    ("postcode", r"우편번호|^zip(code)?$|postcode|postal"),
    ("phone", r"전화|연락처|팩스|^fax|^tel|phone"),
    ("lat", r"위도|^lat(itude)?$"),
    ("lon", r"경도|^lon(gitude)?$|^lng$"),
    ("x", r"^x$|x좌표|좌표\(?x\)?$|좌표정보\(x\)|^x_?coord|^point_?x$"),
    ("y", r"^y$|y좌표|좌표\(?y\)?$|좌표정보\(y\)|^y_?coord|^point_?y$"),
    ("flag", r"여부$|유무$"),
    ("period", r"년분기(_?코드)?$|분기$|^기간$|^기준기간$"),
    ("yearmonth", r"년월$"),
    ("year", r"(연도|년도)$"),
    ("time", r"시각$|(시작|종료|개시|마감|운영시작|운영종료)시간$"),
    ("date", r"(일자|일시|날짜|년월일|시점|기준일|등록일|수정일|작성일|시작일|종료일|인가일|"
             r"갱신일|수집일|설치시기|개방일|^date)$"),
    ("percent", r"(율|률|비율|\(%\)|퍼센트|percent|rate)$"),
    ("amount", r"(금액|가격|요금|비용|예산|단가|매출액?|\(원\)|\(천원\)|\(백만원\))$"),
    ("measure", r"면적|길이|거리|높이|너비|중량|무게|㎡|\(m\)$|\(km\)$"),
    ("count", r"(수|건수|인원|대수|개수|수량|세대|승객수|\(명\)|\(개\)|\(대\)|\(건\))$"),
    ("district", r"(^|_)(자치구|시군구)(명|별)?(\(\d\))?$|^구$|^구명$|^구별$"),
    ("code", r"코드$|code$"),
    ("id", r"(번호|id|키값|_no)$|^연번$|^순번$|관리번호"),
)]

VOLATILE = re.compile(r"최종수정|갱신|수집일|데이터기준|기준일자|등록일자|작성일|^연번$|^순번$")
KEY_NAMES = re.compile(r"관리번호$|^(.*)(id|ID)$|키값$|^연번$|^순번$|(대여소|역|시설|어린이집|학교)"
                       r"(번호|코드|id|ID)$|manage_no$", re.I)
REQUIRED_NAMES = re.compile(r"^(개방자치단체코드|관리번호|인허가일자|영업상태코드|영업상태명|사업장명)$")

# LOCALDATA (지방행정 인허가) columns every licence dataset shares, with their code lists.
LOCALDATA_COLUMNS: dict[str, dict[str, Any]] = {
    "개방자치단체코드": {"kind": "code", "length": 7, "pattern": r"\d{7}"},
    "영업상태코드": {"kind": "code", "length": 2, "codes": ["01", "02", "03", "04"]},
    "상세영업상태코드": {"kind": "code", "length": 2, "pattern": r"\d{2}"},
    "데이터갱신구분": {"kind": "code", "codes": ["I", "U", "D"]},
    "좌표정보(X)": {"kind": "x"},
    "좌표정보(Y)": {"kind": "y"},
}
CLOSED_WORDS = ("폐업", "폐지", "폐쇄")
OPEN_WORDS = ("영업/정상", "영업중", "정상", "운영중")


def infer_kind(label: str) -> str | None:
    name = normalise_label(label)
    for kind, pattern in _NAME_RULES:
        if pattern.search(name):
            return kind
    return None


@dataclass
class ColumnPlan:
    """The rule chosen for one column, and where the choice came from."""

    index: int
    name: str
    kind: str
    rule: ColumnRule | None
    required: bool = False
    source: str = "name"  # name | values | spec | LOCALDATA | none
    note: str = ""
    volatile: bool = False
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class DatasetPlan:
    """Every rule the checker applies to a file: columns, keys, row rules, coordinate pairs."""

    columns: list[ColumnPlan]
    keys: list[list[int]] = field(default_factory=list)
    watch_repeats: list[int] = field(default_factory=list)
    order_rules: list[tuple[int, int]] = field(default_factory=list)
    closed_rules: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)
    coordinate_pairs: list[dict[str, Any]] = field(default_factory=list)
    label_column: int | None = None
    exclusive_pairs: list[tuple[int, int]] = field(default_factory=list)
    near_ignore: set[int] = field(default_factory=set)
    disabled: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    spec_source: str = "inferred"
    is_localdata: bool = False

    def column(self, name: str) -> ColumnPlan | None:
        target = normalise_label(name)
        for c in self.columns:
            if normalise_label(c.name) == target:
                return c
        return None


def _rule_for(kind: str, settings: dict[str, Any], sample: list[str]) -> ColumnRule | None:
    if kind == "text":
        return None
    if kind in ("date", "yearmonth", "year"):
        sentinels = settings.get("sentinels")
        kwargs = {}
        if sentinels is not None:
            kwargs["sentinels"] = [str(s) for s in sentinels]
        fmt = settings.get("format", "YYYY-MM-DD")
        future = bool(settings.get("allow_future", False))
        return DateRule(output_format=fmt, allow_future=future,
                        partial=kind in ("yearmonth", "year") or bool(settings.get("partial")),
                        **kwargs)
    if kind == "period":
        return PeriodRule()
    if kind == "time":
        return TimeRule()
    if kind == "phone":
        return PhoneRule()
    if kind == "postcode":
        return PostcodeRule()
    if kind == "bizno":
        return BiznoRule()
    if kind in ("lat", "lon", "x", "y"):
        return CoordinateRule(kind)
    if kind == "flag":
        return FlagRule()
    if kind == "district":
        return DistrictRule()
    if kind == "code":
        codes = settings.get("codes")
        return CodeRule(codes=[str(c) for c in codes] if codes else None,
                        length=settings.get("length"), pattern=settings.get("pattern"))
    if kind == "id":
        return IdRule(pattern=settings.get("pattern"))
    numbers = [parse_number(v) for v in sample]
    numbers = [v for v in numbers if v is not None]
    integer = settings.get("integer")
    if integer is None:
        integer = kind == "count" and bool(numbers) and all(float(v).is_integer() for v in numbers)
    minimum = settings.get("minimum")
    if minimum is None and kind in ("count", "amount", "measure"):
        minimum = 0.0
    return NumberRule(integer=bool(integer), minimum=minimum, maximum=settings.get("maximum"),
                      percent=kind == "percent", kind=kind if kind != "number" else "number")


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _share_at_least(counts: dict[str, int], total: int, test, threshold: float) -> bool:
    """``_share(values, test) >= threshold`` for the values ``counts`` tallies (``total`` of
    them): ``test`` runs once per distinct value and stops as soon as the answer is known."""
    if not total:
        return 0.0 >= threshold
    passed = 0
    left = total
    for value, n in counts.items():
        left -= n
        if test(value):
            passed += n
            if passed / total >= threshold:
                return True
        elif (passed + left) / total < threshold:
            return False
    return passed / total >= threshold


_NUMBER_WITH_UNIT = re.compile(r"[-+]?[\d,]*\.?\d+\s*(원|명|개|대|건|%)")
_DATE_LIKE = re.compile(r"\d{1,2}:\d{2}(:\d{2})?(\.\d+)?|\d{5}|\d{6}|\d{4}[-.]\d{2}")
_THOUSANDS_NUMBER = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
_THREE_DIGITS = re.compile(r"\d{3,}")


def _is_numberish(v: str) -> bool:
    return parse_number(v) is not None or bool(_NUMBER_WITH_UNIT.fullmatch(v))


def _is_dateish(v: str) -> bool:
    if parse_date(v)[0] is not None:
        return True
    return bool(_DATE_LIKE.fullmatch(v))


def _is_number_or_thousands(v: str) -> bool:
    return parse_number(v) is not None or bool(_THOUSANDS_NUMBER.fullmatch(v))


def _is_calendar_date(v: str) -> bool:
    return parse_date(v)[1] is not None


def build_plan(header: list[str], sample_rows: list[list[str]], spec: DatasetSpec | None = None,
               header_labels_raw: list[str] | None = None) -> DatasetPlan:
    """Decide each column's rule from its name, the first rows' values and the spec."""
    spec = spec or DatasetSpec()
    notes: list[str] = []
    norm = [normalise_label(h) for h in header]
    by_norm = {n: i for i, n in enumerate(norm)}
    spec_columns = {normalise_label(k): v for k, v in spec.columns.items()}
    missing = [k for k in spec.columns if normalise_label(k) not in by_norm]
    if missing:
        notes.append(f"명세의 열이 파일에 없음: {', '.join(missing)}")
    localdata = "개방자치단체코드" in by_norm and "관리번호" in by_norm
    columns: list[ColumnPlan] = []
    # the sample column by column (a missing cell of a short row reads as blank)
    sample_cols = list(zip_longest(*sample_rows, fillvalue="")) if sample_rows else []
    samples = [[v for v in map(str.strip, sample_cols[j]) if v]
               if j < len(sample_cols) and any(sample_cols[j]) else []  # any(): not all ""
               for j in range(len(header))]
    for j, label in enumerate(header):
        sample = samples[j]
        tally = Counter(sample)
        total = len(sample)

        def share_at_least(test, threshold: float) -> bool:
            return _share_at_least(tally, total, test, threshold)

        settings: dict[str, Any] = {}
        source = "none"
        kind = None
        if localdata and norm[j] in LOCALDATA_COLUMNS:
            settings = dict(LOCALDATA_COLUMNS[norm[j]])
            kind, source = settings["kind"], "LOCALDATA"
        if norm[j] in spec_columns:
            settings = {**settings, **spec_columns[norm[j]]}
            if "kind" in spec_columns[norm[j]]:
                kind = spec_columns[norm[j]]["kind"]
            source = "spec"
        note = ""
        if kind is None:
            kind = infer_kind(label)
            source = "name" if kind else "none"
            if header_labels_raw is not None and j < len(header_labels_raw) and not header_labels_raw[j]:
                kind, source = None, "none"
            # A name is only a hint: check it against the values before trusting it.
            if kind in ("count", "amount", "measure", "percent") and sample:
                if not share_at_least(_is_numberish, 0.8):
                    note = "이름은 숫자 열이지만 값 대부분이 숫자가 아니어서 글자로 취급"
                    kind, source = None, "none"
            elif kind in ("date", "yearmonth", "year") and sample:
                if not share_at_least(_is_dateish, 0.5):
                    note = f"이름은 날짜 열이지만 값이 알려진 날짜 형식이 아님(예: {sample[0]}); 명세로 지정하세요"
                    kind, source = None, "none"
            elif kind in ("x", "y") and sample:
                if not share_at_least(lambda v: parse_number(v) is not None, 0.8):
                    kind, source = None, "none"
            elif kind in ("lat", "lon") and sample:
                nums = [parse_number(v) for v in sample]
                nums = [v for v in nums if v is not None]
                if len(nums) < 0.8 * len(sample) or not nums or not (
                        all(30 <= v <= 40 for v in nums[:50]) or all(120 <= v <= 135 for v in nums[:50])
                        or all(v > 1000 for v in nums[:50])):
                    if len(nums) < 0.8 * len(sample):
                        kind, source = None, "none"
                elif nums and all(v > 1000 for v in nums[:50]):
                    kind = "x" if kind == "lon" else "y"  # TM metres in a 경도/위도 column
                    note = "위도/경도 열에 TM 좌표(미터)가 들어 있음"
            elif kind == "district" and sample:
                rule = DistrictRule()
                if not share_at_least(lambda v: not rule.evaluate(v).errors, 0.5):
                    kind, source = None, "none"
            elif kind == "phone" and sample:
                if not share_at_least(lambda v: bool(_THREE_DIGITS.search(v)), 0.5):
                    kind, source = None, "none"
            if kind is None and sample:
                if share_at_least(_is_number_or_thousands, 0.95):
                    if all(len(v) > 1 and v.startswith("0") and v.isdigit() for v in sample[:50]):
                        kind = "code"  # zero-padded digits are codes, not amounts
                    else:
                        kind = "number"
                    source = "values"
                elif share_at_least(_is_calendar_date, 0.95):
                    kind, source = "date", "values"
            kind = kind or "text"
        # (_rule_for's one use of the sample needs only the distinct values)
        rule = _rule_for(kind, settings, list(tally))
        required = bool(settings.get("required", False)) or (
            localdata and bool(REQUIRED_NAMES.match(norm[j])))
        if any(normalise_label(r) == norm[j] for r in spec.required):
            required = True
        if kind in ("lat", "lon", "x", "y") and settings.get("required") is not False:
            required = True
        columns.append(ColumnPlan(index=j, name=label, kind=kind, rule=rule, required=required,
                                  source=source, note=note, volatile=bool(VOLATILE.search(norm[j])),
                                  settings=settings))
        if note:
            notes.append(f"{label}: {note}")
    plan = DatasetPlan(columns=columns, notes=notes, spec_source=spec.source,
                       disabled=set(spec.disable), is_localdata=localdata)

    def idx(name: str) -> int | None:
        return by_norm.get(normalise_label(name))

    # keys
    if spec.keys is not None:
        for key in spec.keys:
            ids = [idx(k) for k in key]
            if None in ids:
                notes.append(f"명세의 키 열이 파일에 없음: {key}")
                continue
            plan.keys.append(ids)
            if len(ids) > 1:
                plan.watch_repeats.extend(ids[1:2])
    elif localdata:
        plan.keys.append([by_norm["개방자치단체코드"], by_norm["관리번호"]])
        plan.watch_repeats.append(by_norm["관리번호"])
    else:
        for j, n in enumerate(norm):
            if not KEY_NAMES.search(n) or columns[j].kind in ("lat", "lon", "x", "y", "date"):
                continue
            values = samples[j]
            if len(values) >= 2 and len(set(values)) / len(values) >= 0.95:
                plan.keys.append([j])
                break
    for key in plan.keys:
        for j in key:
            columns[j].required = True

    # order rules: later ≥ earlier
    pairs = spec.order
    if pairs is None:
        pairs = []
        for later, earlier in (("폐업일자", "인허가일자"), ("인허가취소일자", "인허가일자"),
                               ("휴업종료일자", "휴업시작일자"), ("재개업일자", "휴업시작일자"),
                               ("휴지종료일자", "휴지시작일자"), ("폐지일자", "인가일자"),
                               ("종료일자", "시작일자"), ("종료일", "시작일"),
                               ("반납일시", "대여일시"), ("도착일시", "출발일시")):
            if idx(later) is not None and idx(earlier) is not None:
                pairs.append([later, earlier])
    for pair in pairs:
        if len(pair) != 2 or idx(pair[0]) is None or idx(pair[1]) is None:
            notes.append(f"날짜 순서 규칙의 열을 찾지 못함: {pair}")
            continue
        a, b = idx(pair[0]), idx(pair[1])
        if columns[a].kind in ("date", "yearmonth", "year") and columns[b].kind in ("date", "yearmonth", "year"):
            plan.order_rules.append((a, b))

    # closed status ↔ closing date
    closed = spec.closed_status
    if closed is None:
        closed = []
        for status, date in (("영업상태명", "폐업일자"), ("운영현황", "폐지일자")):
            if idx(status) is not None and idx(date) is not None:
                closed.append({"status": status, "date": date,
                               "closed": ["폐업"] if date == "폐업일자" else ["폐지"]})
    for item in closed:
        s, d = idx(str(item.get("status", ""))), idx(str(item.get("date", "")))
        if s is None or d is None:
            notes.append(f"폐업 상태 규칙의 열을 찾지 못함: {item}")
            continue
        plan.closed_rules.append((s, d, tuple(str(v) for v in item.get("closed", CLOSED_WORDS))))

    # coordinate pairs
    coords = spec.coordinates
    if coords is None:
        coords = []
        lat = next((c.index for c in columns if c.kind == "lat"), None)
        lon = next((c.index for c in columns if c.kind == "lon"), None)
        if lat is not None and lon is not None:
            coords.append({"x": header[lon], "y": header[lat], "crs": "EPSG:4326"})
        xs = [c.index for c in columns if c.kind == "x"]
        ys = [c.index for c in columns if c.kind == "y"]
        if xs and ys:
            declared = columns[xs[0]].settings.get("crs") or columns[ys[0]].settings.get("crs")
            coords.append({"x": header[xs[0]], "y": header[ys[0]], "crs": declared})
    for item in coords:
        x, y = idx(str(item.get("x", ""))), idx(str(item.get("y", "")))
        if x is None or y is None:
            notes.append(f"좌표 쌍의 열을 찾지 못함: {item}")
            continue
        system = item.get("crs")
        evidence = "명세에서 지정" if system else ""
        if system != "EPSG:4326":
            pairs_v = []
            if max(x, y) < len(sample_cols):  # (a cell missing from a short row reads as "")
                parsed_x = {v: parse_number(v) for v in set(sample_cols[x])}
                parsed_y = {v: parse_number(v) for v in set(sample_cols[y])}
                pairs_v = [(a, b) for a, b in zip(map(parsed_x.__getitem__, sample_cols[x]),
                                                  map(parsed_y.__getitem__, sample_cols[y]))
                           if a is not None and b is not None]
            xs_v = [a for a, _ in pairs_v]
            ys_v = [b for _, b in pairs_v]
            system, _swapped, evidence = detect_system(xs_v, ys_v, system)
        else:
            evidence = "위도·경도 열"
        plan.coordinate_pairs.append({"x": x, "y": y, "crs": system, "evidence": evidence})
        if system is None:
            notes.append(f"{header[x]}/{header[y]}: 좌표계를 판별하지 못해 범위 검사를 하지 않음")

    # aggregate rows: the district column, else the first text column among the first three
    district = next((c.index for c in columns if c.kind == "district"), None)
    if district is not None:
        plan.label_column = district
    # columns split by a merged header: same first and last label part, different middle
    parts = [h.split(" ") for h in header]
    for a in range(len(header)):
        for b in range(a + 1, len(header)):
            pa, pb = parts[a], parts[b]
            if (len(pa) >= 3 and len(pa) == len(pb) and pa[0] == pb[0] and pa[-1] == pb[-1]
                    and pa != pb and columns[a].kind not in ("text",) and
                    columns[b].kind not in ("text",)):
                plan.exclusive_pairs.append((a, b))
    plan.near_ignore = {c.index for c in columns if c.volatile}
    for name in spec.near_duplicate_ignore:
        if idx(name) is not None:
            plan.near_ignore.add(idx(name))
    for key in plan.keys:
        plan.near_ignore.update(key)
    return plan
