"""Every finding the checker can report: its ISO/IEC 25024 item, severity and Korean name.

The dimension is the quality characteristic of ISO/IEC 25012 that ISO/IEC 25024 measures,
as used by Korean data-quality certification (K-DATA 데이터 품질인증) and the NIA public-data
quality manual: 완전성 (completeness), 유효성 (validity — syntactic accuracy in 25024's terms),
일관성 (consistency), 정확성 (accuracy — semantic accuracy and ranges), 유일성 (uniqueness —
25024's duplicate measures), 현재성 (currentness), 이해성 (understandability), 접근성
(accessibility), 준수성 (compliance).

Severity: ``error`` cells lower the conformance rate (정합률); ``warning`` and ``info``
findings are listed for people to look at but do not count as error cells.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Dimension", "DIMENSIONS", "RuleInfo", "RULES", "rule_info", "ERROR", "WARNING", "INFO"]

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass(frozen=True)
class Dimension:
    """A quality item (ISO/IEC 25012 characteristic measured by ISO/IEC 25024)."""

    code: str
    ko: str
    en: str
    iso: str  # the ISO/IEC 25012 characteristic measured under ISO/IEC 25024


DIMENSIONS: dict[str, Dimension] = {d.code: d for d in (
    Dimension("completeness", "완전성", "Completeness", "Completeness"),
    Dimension("validity", "유효성", "Validity", "Accuracy (syntactic)"),
    Dimension("consistency", "일관성", "Consistency", "Consistency"),
    Dimension("accuracy", "정확성", "Accuracy", "Accuracy (semantic, range)"),
    Dimension("uniqueness", "유일성", "Uniqueness", "Consistency (duplication)"),
    Dimension("currentness", "현재성", "Currentness", "Currentness"),
    Dimension("understandability", "이해성", "Understandability", "Understandability"),
    Dimension("accessibility", "접근성", "Accessibility", "Accessibility"),
    Dimension("compliance", "준수성", "Compliance", "Compliance"),
)}


@dataclass(frozen=True)
class RuleInfo:
    """One rule: its id, quality item, severity, whether the fixer repairs it, and its names."""

    id: str
    dimension: str
    severity: str
    ko: str
    en: str
    fixable: bool = False  # the fixer repairs it without guessing


_R = RuleInfo
RULES: dict[str, RuleInfo] = {r.id: r for r in (
    # reading and structure
    _R("unreadable", "accessibility", ERROR, "읽을 수 없는 파일", "Unreadable file"),
    _R("container_archive", "accessibility", WARNING, "압축 파일을 표 파일 이름으로 제공",
       "Archive named as a table file"),
    _R("oversized_line", "accessibility", ERROR, "줄바꿈 없는 초대형 줄", "Oversized line"),
    _R("read_stopped", "accessibility", ERROR, "읽기 중단(닫히지 않은 따옴표)",
       "Reading stopped (unclosed quote)"),
    _R("encoding_not_utf8", "compliance", INFO, "UTF-8이 아닌 인코딩(CP949)",
       "Legacy encoding (not UTF-8)", True),
    _R("mixed_encoding", "consistency", ERROR, "한 파일 안에 인코딩 혼재", "Mixed encodings", True),
    _R("undecodable_bytes", "accuracy", ERROR, "해독할 수 없는 바이트", "Undecodable bytes"),
    _R("mixed_line_endings", "consistency", INFO, "줄바꿈 문자 혼재(CRLF/LF)",
       "Mixed line endings", True),
    _R("all_values_quoted", "understandability", INFO, "모든 값을 따옴표로 감쌈(숫자도 문자)",
       "Every value quoted", True),
    _R("title_rows", "understandability", WARNING, "표 위의 제목 행", "Title rows above the table",
       True),
    _R("multi_row_header", "understandability", WARNING, "여러 행으로 된 병합 머리글",
       "Multi-row merged header", True),
    _R("no_header", "understandability", WARNING, "머리글 행 없음", "No header row"),
    _R("blank_header_label", "understandability", WARNING, "이름 없는 열", "Unnamed column"),
    _R("duplicate_header_label", "understandability", WARNING, "중복된 열 이름",
       "Duplicate column name"),
    _R("extra_sheets", "understandability", INFO, "데이터 외 작업용 시트", "Extra worksheets"),
    _R("ragged_rows", "consistency", ERROR, "머리글과 필드 수가 다른 행", "Ragged rows"),
    _R("trailing_delimiter", "consistency", WARNING, "행 끝의 불필요한 구분자",
       "Trailing delimiter", True),
    _R("blank_rows", "completeness", WARNING, "빈 행", "Blank rows", True),
    _R("no_data_rows", "completeness", ERROR, "데이터 행 없음(머리글만)", "No data rows"),
    # completeness
    _R("blank_cells", "completeness", INFO, "빈 값", "Blank cells"),
    _R("required_blank", "completeness", ERROR, "필수 항목 빈 값", "Required value blank"),
    _R("all_blank_column", "completeness", WARNING, "전체가 빈 열", "Entirely blank column", True),
    _R("placeholder_value", "completeness", WARNING, "값 대신 기호('-', 'N/A' 등)",
       "Placeholder instead of a value"),
    _R("excel_error_value", "accuracy", ERROR, "엑셀 오류값(#REF! 등)", "Excel error value"),
    _R("untrimmed_spaces", "consistency", WARNING, "앞뒤 공백", "Leading/trailing spaces", True),
    # dates and times
    _R("date_invalid", "validity", ERROR, "날짜 형식 오류 또는 없는 날짜", "Invalid date"),
    _R("date_format_mixed", "consistency", WARNING, "한 열에 날짜 형식 혼재",
       "Several date formats in one column", True),
    _R("datetime_not_zero_padded", "consistency", WARNING, "시각 자릿수 누락(9:56)",
       "Time not zero-padded", True),
    _R("date_sentinel", "validity", ERROR, "날짜 대신 임의값(99991231 등)", "Sentinel date"),
    _R("date_truncated_by_excel", "accuracy", ERROR, "엑셀 저장으로 잘린 날짜(03:00.0)",
       "Date truncated by Excel"),
    _R("date_out_of_range", "accuracy", ERROR, "범위를 벗어난 날짜", "Date out of range"),
    _R("excel_serial_date", "validity", ERROR, "엑셀 일련번호로 된 날짜", "Excel serial date"),
    _R("date_order", "consistency", ERROR, "날짜 선후 관계 오류", "Dates in the wrong order"),
    _R("closed_without_date", "consistency", ERROR, "폐업 상태인데 폐업일자 없음",
       "Closed without a closing date"),
    _R("date_without_closed_status", "consistency", WARNING, "폐업일자가 있는데 영업 상태",
       "Closing date on an open business"),
    _R("time_invalid", "validity", ERROR, "시각(HHMM) 오류", "Invalid time (HHMM)"),
    _R("time_format_mixed", "consistency", WARNING, "시각 형식 혼재", "Several time formats", True),
    _R("period_nonstandard", "understandability", INFO, "비표준 기간 표기(2017.1/4)",
       "Non-standard period notation"),
    _R("period_invalid", "validity", ERROR, "기간 표기 오류", "Invalid period"),
    # contact and codes
    _R("phone_invalid", "validity", ERROR, "전화번호 오류", "Invalid phone number"),
    _R("phone_unformatted", "consistency", WARNING, "전화번호 표기 불일치(하이픈 없음 등)",
       "Phone number not in standard form", True),
    _R("phone_missing_area_code", "validity", ERROR, "지역번호 없는 전화번호",
       "Phone number without area code"),
    _R("postcode_invalid", "validity", ERROR, "우편번호 오류", "Invalid postcode"),
    _R("postcode_legacy", "currentness", WARNING, "구 우편번호(6자리)", "Legacy 6-digit postcode"),
    _R("postcode_leading_zero_lost", "accuracy", ERROR, "우편번호 앞자리 0 누락",
       "Postcode lost its leading zero", True),
    _R("bizno_invalid", "validity", ERROR, "사업자등록번호 형식 오류",
       "Invalid business registration number"),
    _R("bizno_checksum", "validity", ERROR, "사업자등록번호 검증번호 불일치",
       "Business registration number checksum"),
    _R("code_not_in_list", "validity", ERROR, "코드 목록에 없는 값", "Code not in the code list"),
    _R("code_leading_zero_lost", "accuracy", ERROR, "코드 앞자리 0 누락",
       "Code lost its leading zero", True),
    _R("code_length_mixed", "consistency", WARNING, "코드 길이 불일치", "Code lengths differ"),
    _R("id_scientific_notation", "accuracy", ERROR, "지수 표기로 손상된 번호(2.01E+18)",
       "Identifier destroyed into scientific notation"),
    _R("district_unknown", "validity", ERROR, "서울 자치구가 아닌 값", "Not a Seoul district"),
    _R("district_name_short", "consistency", WARNING, "자치구 이름 축약(강남 → 강남구)",
       "Short district name", True),
    _R("aggregate_row", "consistency", WARNING, "합계·소계 행이 데이터와 섞임",
       "Total row mixed with data rows"),
    _R("flag_invalid", "validity", ERROR, "여부 값 오류", "Invalid yes/no value"),
    _R("flag_mixed_vocabulary", "consistency", WARNING, "여부 표기 혼재(Y/N, 1/0 …)",
       "Mixed yes/no vocabulary"),
    # numbers
    _R("number_invalid", "validity", ERROR, "숫자가 아닌 값", "Not a number"),
    _R("thousands_separator", "consistency", WARNING, "천 단위 구분 쉼표가 든 숫자",
       "Number with thousands separators", True),
    _R("number_with_unit", "consistency", WARNING, "단위가 붙은 숫자(원, 명 …)",
       "Number with a unit"),
    _R("negative_value", "accuracy", ERROR, "음수가 될 수 없는 값", "Negative value"),
    _R("not_integer", "validity", ERROR, "정수여야 하는 값", "Not a whole number"),
    _R("percent_out_of_range", "accuracy", ERROR, "0–100 범위를 벗어난 비율",
       "Percentage outside 0–100"),
    _R("value_out_of_range", "accuracy", ERROR, "허용 범위를 벗어난 값", "Value out of range"),
    _R("pattern_mismatch", "validity", ERROR, "형식(패턴) 불일치", "Pattern mismatch"),
    # coordinates
    _R("coordinate_invalid", "validity", ERROR, "좌표가 숫자가 아님", "Coordinate not a number"),
    _R("coordinate_outside_seoul", "accuracy", ERROR, "서울 밖 좌표", "Coordinate outside Seoul"),
    _R("coordinate_swapped", "accuracy", ERROR, "X/Y(위도/경도) 뒤바뀜",
       "Coordinates swapped"),
    _R("coordinate_partial", "completeness", ERROR, "좌표 한쪽만 있음", "Only one coordinate"),
    _R("coordinate_system", "understandability", INFO, "좌표계 판별 결과",
       "Coordinate reference system"),
    _R("coordinate_column_order", "understandability", INFO, "Y좌표가 X좌표 앞에 있음",
       "Y column before X column"),
    # uniqueness
    _R("duplicate_rows", "uniqueness", ERROR, "완전히 같은 중복 행", "Exact duplicate rows"),
    _R("near_duplicate_rows", "uniqueness", WARNING, "거의 같은 중복 행(공백·표기만 다름)",
       "Near-duplicate rows"),
    _R("duplicate_key", "uniqueness", ERROR, "키 중복", "Duplicate key"),
    _R("key_component_repeats", "uniqueness", INFO, "복합키 일부만으로는 중복",
       "Key part alone repeats"),
    _R("mutually_exclusive_columns", "understandability", INFO,
       "한 값이 두 열에 나뉘어 기록됨(LCD/QR 등)", "One measure split over two columns"),
)}


def rule_info(rule: str) -> RuleInfo:
    try:
        return RULES[rule]
    except KeyError:
        raise KeyError(f"unknown rule {rule!r}") from None
