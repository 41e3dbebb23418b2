"""Plain-words text for the engine's reason codes (matching reasons, waiting reasons and
booking problems), through gettext so the English interface has them too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from seoul_digital.inclusion.engine.matching import DEVICE_KO, LEVEL_KO

REASONS = {
    # why a pair was proposed
    "same_district": _("같은 자치구(%(district)s)에 삽니다"),
    "adjacent_district": _("이웃 자치구입니다(지원단 활동 %(supporter_district)s, 교육생 %(district)s)"),
    "within_travel": _("이동 시간이 약 %(minutes)s분으로 한도(%(limit)s분) 안입니다"),
    "common_time": _("함께 가능한 시간: %(windows)s"),
    "level_fit": _("%(level)s 수준을 가르칠 수 있습니다"),
    "level_gap": _("%(level)s 수준은 가르쳐 본 경험이 적습니다"),
    "device_fit": _("%(device)s 사용법을 압니다"),
    "device_gap": _("%(device)s 사용 경험이 적습니다"),
    "language_fit": _("교육생이 편한 언어(%(language)s)로 말할 수 있습니다"),
    "language_gap": _("교육생이 편한 언어(%(language)s)는 못 합니다"),
    "gender_fit": _("교육생이 바란 성별입니다"),
    "gender_gap": _("교육생이 바란 성별이 아닙니다"),
    "keeps_pair": _("전에 함께 공부한 지원단입니다"),
    "capacity": _("매칭 때 남은 자리 %(learners_left)s명, 이달 남은 활동 시간 %(minutes_left)s분"),
    "waiting": _("%(days)s일째 기다렸습니다"),
    # why a learner waits
    "no_time_given": _("수업 가능한 시간이 없거나 %(session_minutes)s분 수업이 들어갈 만큼 길지 않습니다"),
    "no_supporter_nearby": _("%(district)s와 이웃 자치구에서 활동하는 지원단이 없습니다"),
    "no_common_time": _("가까운 지원단 %(nearby)s명 가운데 시간이 맞는 사람이 없습니다"),
    "declined_before": _("시간이 맞는 지원단 %(count)s명이 모두 이미 거절했거나 반려되었습니다"),
    "supporters_full": _("조건이 맞는 지원단 %(count)s명의 자리나 이달 활동 시간이 모두 찼습니다"),
    "taken_by_others": _("조건이 맞는 지원단 %(count)s명의 남은 자리가 더 오래 기다린 분께 먼저 배정되었습니다"),
    "proposal_rejected": _("담당자가 제안을 반려했습니다: %(note)s"),
    "declined": _("지원단이 거절했습니다: %(note)s"),
    "closed_early": _("이전 수업이 끝났습니다: %(note)s"),
    "not_yet_matched": _("아직 매칭을 돌리지 않았습니다"),
}

BOOKING = {
    "supporter_overlap": _("지원단이 그 시간에 다른 수업이 있습니다: %(other)s (%(label)s)"),
    "learner_overlap": _("교육생이 그 시간에 다른 수업이 있습니다: %(other)s"),
    "over_cap": _("이 수업을 넣으면 %(month)s 활동 시간이 %(total)s분이 되어 월 한도 %(cap)s분을 "
                  "%(over)s분 넘습니다. 한도를 넘는 수업은 예약할 수 없습니다."),
    "bad_minutes": _("수업 시간 %(minutes)s분은 맞지 않습니다(1~480분)."),
}

LANGUAGE_NAMES = {"ko": _("한국어"), "zh": _("중국어"), "en": _("영어"), "vi": _("베트남어"),
                  "ja": _("일본어")}
LEVEL_NAMES = {"기초": _("기초"), "생활": _("생활"), "심화": _("심화")}
DEVICE_NAMES = {"안드로이드": _("안드로이드 폰"), "아이폰": _("아이폰"), "기타 기기": _("기타 기기")}


_DAYS_EN = dict(zip("월화수목금토일", ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "ko").startswith("en")


def windows_text(label: str) -> str:
    """'화 09:00-12:00; 목 …' with English day names when the interface is English."""
    if not label or not _english():
        return label or ""
    return "; ".join(_DAYS_EN.get(part.strip()[:1], part.strip()[:1]) + part.strip()[1:]
                     for part in label.split(";"))


def district_text(name: str) -> str:
    if not name or not _english():
        return name
    from seoul_digital.common.districts import UnknownDistrict, by_name

    try:
        return by_name(name).name_en
    except UnknownDistrict:
        return name


def _localised(params: dict) -> dict:
    out = dict(params)
    for key in ("district", "supporter_district"):
        if key in out:
            out[key] = district_text(out[key])
    if "windows" in out:
        out["windows"] = windows_text(out["windows"])
    if "language" in out:
        out["language"] = LANGUAGE_NAMES.get(out["language"], out["language"])
    if "level" in out:
        out["level"] = LEVEL_NAMES.get(out["level"], out["level"])
    if "device" in out:
        out["device"] = DEVICE_NAMES.get(out["device"], out["device"])
    if "gender" in out:
        out["gender"] = {"F": _("여성"), "M": _("남성")}.get(out["gender"], out["gender"])
    return out


def reason_text(reason: dict | None) -> str:
    if not reason:
        return str(REASONS["not_yet_matched"])
    template = REASONS.get(reason.get("code"))
    if template is None:
        return reason.get("code", "")
    try:
        return str(template) % _localised(reason.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return str(template)


def booking_text(problem) -> str:
    params = dict(problem.params)
    if problem.code == "over_cap":
        params["total"] = params["used"] + params["new"]
    return str(BOOKING[problem.code]) % params


__all__ = ["BOOKING", "DEVICE_KO", "LEVEL_KO", "REASONS", "booking_text", "reason_text"]
