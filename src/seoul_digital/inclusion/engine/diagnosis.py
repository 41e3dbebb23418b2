"""Capability diagnosis: a versioned can-do questionnaire per skill → level per skill and
overall; the same questionnaire again at the end gives the gain.

Each question is a can-do statement answered on a four-step scale
(0 해 본 적 없음 · 1 도움을 받으면 함 · 2 혼자 할 수 있음 · 3 남에게 알려 줄 수 있음).
A skill's score is its mean answer shown as 0–100. Its level, from the mean answer:
  * below 1 ("with help")            → 기초 (basic: needs the first steps)
  * below 2 ("alone")                → 생활 (daily: manages with help)
  * 2 or more                        → 심화 (advanced: does it alone)
Skills also belong to a band (기초/생활/심화 contents). The overall level is the band to
teach: the first band, in order, whose skills' mean answer is below 2 (not yet done
alone); a learner who does everything of all three bands alone is 심화. Gains compare skill scores between a pre-
and a post-test of any versions that share the skill code.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "ANSWER_SCALE",
    "LEVEL_ORDER",
    "QUESTIONNAIRES",
    "QUESTIONNAIRE_V1",
    "Diagnosis",
    "DiagnosisError",
    "Gain",
    "Question",
    "Questionnaire",
    "Skill",
    "aggregate_gains",
    "diagnose",
    "gain",
    "questionnaire",
]

ANSWER_SCALE = (
    (0, "해 본 적 없음", "Never done it"),
    (1, "도움을 받으면 할 수 있음", "Can do it with help"),
    (2, "혼자 할 수 있음", "Can do it alone"),
    (3, "남에게 알려 줄 수 있음", "Could show someone else"),
)
MAX_ANSWER = 3
DAILY_FROM = 1.0      # mean answer
ADVANCED_FROM = 2.0
BAND_MASTERED = 2.0
LEVEL_ORDER = ("basic", "daily", "advanced")


class DiagnosisError(ValueError):
    """Answers that do not fit the questionnaire; the message names the question."""


@dataclass(frozen=True)
class Question:
    code: str
    text_ko: str
    text_en: str


@dataclass(frozen=True)
class Skill:
    code: str
    band: str  # basic / daily / advanced
    name_ko: str
    name_en: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: int
    skills: tuple[Skill, ...]

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.skills for q in s.questions]

    def skill(self, code: str) -> Skill:
        for s in self.skills:
            if s.code == code:
                return s
        raise KeyError(code)

    def as_dict(self) -> dict:
        return {"code": self.code, "version": self.version, "skills": [
            {"code": s.code, "band": s.band, "name_ko": s.name_ko, "name_en": s.name_en,
             "questions": [{"code": q.code, "text_ko": q.text_ko, "text_en": q.text_en}
                           for q in s.questions]} for s in self.skills]}

    @classmethod
    def from_dict(cls, data: Mapping) -> Questionnaire:
        return cls(code=data["code"], version=int(data["version"]), skills=tuple(
            Skill(s["code"], s["band"], s["name_ko"], s["name_en"], tuple(
                Question(q["code"], q["text_ko"], q["text_en"]) for q in s["questions"]))
            for s in data["skills"]))


def _skill(code, band, name_ko, name_en, *questions) -> Skill:
    return Skill(code, band, name_ko, name_en,
                 tuple(Question(f"{code}.{i + 1}", ko, en) for i, (ko, en) in enumerate(questions)))


QUESTIONNAIRE_V1 = Questionnaire("digital-skills", 1, (
    _skill("phone_basics", "basic", "스마트폰 기본", "Smartphone basics",
           ("전화를 걸고 받으며 연락처를 저장한다", "Make and take calls, save a contact"),
           ("글자 크기와 소리를 내게 맞게 바꾼다", "Change text size and volume to suit me"),
           ("앱을 찾아 설치하고 지운다", "Find, install and remove an app")),
    _skill("web_search", "basic", "인터넷 검색", "Web search",
           ("궁금한 것을 검색창에 넣어 찾아본다", "Look something up in a search box"),
           ("지도 앱에서 가는 길을 찾는다", "Find the way in a map app")),
    _skill("kakaotalk", "basic", "카카오톡", "KakaoTalk",
           ("가족에게 메시지와 사진을 보낸다", "Send a message and a photo to family"),
           ("영상통화를 걸고 받는다", "Make and answer a video call")),
    _skill("camera", "basic", "카메라·사진", "Camera and photos",
           ("사진을 찍고 앨범에서 다시 찾는다", "Take a photo and find it again in the album"),
           ("찍은 사진이나 동영상을 다른 사람과 나눈다", "Share a photo or video with someone")),
    _skill("delivery", "daily", "배달앱", "Delivery apps",
           ("배달앱에서 음식을 골라 주문한다", "Choose food in a delivery app and order it"),
           ("주문이 어디쯤 왔는지 확인한다", "Check where an order has got to")),
    _skill("kiosk", "daily", "키오스크", "Kiosks",
           ("식당이나 카페 키오스크에서 주문하고 결제한다", "Order and pay at a restaurant or café kiosk"),
           ("병원·역의 무인 기계로 접수하거나 표를 산다", "Check in or buy a ticket at a hospital or station machine")),
    _skill("qr_checkin", "daily", "QR 코드", "QR codes",
           ("QR 코드를 찍어 출입을 확인하거나 안내를 본다", "Scan a QR code to check in or read a notice")),
    _skill("mobile_payment", "daily", "간편결제·쇼핑", "Mobile payment and shopping",
           ("간편결제로 물건값을 낸다", "Pay with a mobile payment app"),
           ("인터넷 쇼핑으로 주문하고 배송을 확인한다", "Order online and track the delivery")),
    _skill("video_meeting", "advanced", "화상회의", "Video meetings",
           ("초대 링크를 눌러 화상회의에 들어간다", "Join a video meeting from an invitation link"),
           ("회의 중 마이크와 카메라를 켜고 끈다", "Turn the microphone and camera on and off in a meeting")),
    _skill("mobile_banking", "advanced", "모바일 뱅킹", "Mobile banking",
           ("은행 앱으로 잔액과 거래 내역을 본다", "See the balance and transactions in a bank app"),
           ("은행 앱으로 돈을 보낸다", "Send money with a bank app"),
           ("보이스피싱·스미싱 문자를 알아보고 대처한다", "Recognise and handle phishing calls and texts")),
    _skill("o2o", "advanced", "생활 서비스 앱", "Everyday service apps",
           ("앱으로 택시를 부른다", "Call a taxi with an app"),
           ("앱으로 병원이나 식당을 예약한다", "Book a clinic or restaurant in an app")),
    _skill("public_services", "advanced", "공공 서비스", "Public services",
           ("정부24에서 증명서를 발급받는다", "Get a certificate from Gov24"),
           ("공공시설이나 강좌를 온라인으로 예약한다", "Book a public facility or class online")),
))

QUESTIONNAIRES: dict[tuple[str, int], Questionnaire] = {
    (QUESTIONNAIRE_V1.code, QUESTIONNAIRE_V1.version): QUESTIONNAIRE_V1,
}


def questionnaire(code: str = "digital-skills", version: int | None = None) -> Questionnaire:
    if version is None:
        version = max(v for c, v in QUESTIONNAIRES if c == code)
    return QUESTIONNAIRES[(code, version)]


@dataclass(frozen=True)
class Diagnosis:
    questionnaire: str
    version: int
    skill_scores: dict[str, float]
    skill_levels: dict[str, str]
    band_scores: dict[str, float]
    overall_level: str
    overall_score: float

    def as_dict(self) -> dict:
        return {"questionnaire": self.questionnaire, "version": self.version,
                "skill_scores": self.skill_scores, "skill_levels": self.skill_levels,
                "band_scores": self.band_scores, "overall_level": self.overall_level,
                "overall_score": self.overall_score}


def _level_of(mean_answer: float) -> str:
    if mean_answer < DAILY_FROM:
        return "basic"
    if mean_answer < ADVANCED_FROM:
        return "daily"
    return "advanced"


def diagnose(form: Questionnaire, answers: Mapping[str, object]) -> Diagnosis:
    """Scores and levels from ``answers`` (question code → 0..3). Every question must be
    answered; unknown codes and values off the scale are refused with their name."""
    known = {q.code for q in form.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise DiagnosisError(f"unknown question(s): {', '.join(unknown)}")
    values: dict[str, int] = {}
    missing = []
    for q in form.questions:
        raw = answers.get(q.code)
        if raw is None or raw == "":
            missing.append(q.code)
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise DiagnosisError(f"{q.code}: '{raw}' is not an answer 0–{MAX_ANSWER}") from None
        if not 0 <= value <= MAX_ANSWER:
            raise DiagnosisError(f"{q.code}: {value} is not an answer 0–{MAX_ANSWER}")
        values[q.code] = value
    if missing:
        raise DiagnosisError(f"unanswered question(s): {', '.join(missing)}")
    means = {skill.code: statistics.fmean(values[q.code] for q in skill.questions)
             for skill in form.skills}
    skill_scores = {code: round(100.0 * mean / MAX_ANSWER, 1) for code, mean in means.items()}
    skill_levels = {code: _level_of(mean) for code, mean in means.items()}
    band_scores = {}
    overall = None
    for band in LEVEL_ORDER:
        band_means = [means[s.code] for s in form.skills if s.band == band]
        if not band_means:
            continue
        band_mean = statistics.fmean(band_means)
        band_scores[band] = round(100.0 * band_mean / MAX_ANSWER, 1)
        if overall is None and band_mean < BAND_MASTERED:
            overall = band
    overall = overall or "advanced"
    return Diagnosis(form.code, form.version, skill_scores, skill_levels, band_scores,
                     overall, round(statistics.fmean(skill_scores.values()), 1))


@dataclass(frozen=True)
class Gain:
    skills: dict[str, float]           # post − pre per shared skill
    overall: float                      # mean of the shared skills' gains
    level_before: str
    level_after: str
    comparable_skills: tuple[str, ...]

    @property
    def level_steps(self) -> int:
        return LEVEL_ORDER.index(self.level_after) - LEVEL_ORDER.index(self.level_before)


def gain(pre: Diagnosis, post: Diagnosis) -> Gain:
    shared = tuple(code for code in pre.skill_scores if code in post.skill_scores)
    if not shared:
        raise DiagnosisError("the two tests share no skill; their scores cannot be compared")
    skills = {code: round(post.skill_scores[code] - pre.skill_scores[code], 1) for code in shared}
    return Gain(skills, round(statistics.fmean(skills.values()), 1), pre.overall_level,
                post.overall_level, shared)


@dataclass(frozen=True)
class GainSummary:
    learners: int
    mean_gain: float
    median_gain: float
    improved_share: float
    level_up_share: float
    per_skill: dict[str, float] = field(default_factory=dict)


def aggregate_gains(gains: Sequence[Gain] | Iterable[Gain]) -> GainSummary:
    gains = list(gains)
    if not gains:
        return GainSummary(0, 0.0, 0.0, 0.0, 0.0, {})
    overall = [g.overall for g in gains]
    per_skill: dict[str, list[float]] = {}
    for g in gains:
        for code, value in g.skills.items():
            per_skill.setdefault(code, []).append(value)
    return GainSummary(
        learners=len(gains),
        mean_gain=round(statistics.fmean(overall), 1),
        median_gain=round(statistics.median(overall), 1),
        improved_share=sum(1 for v in overall if v > 0) / len(gains),
        level_up_share=sum(1 for g in gains if g.level_steps > 0) / len(gains),
        per_skill={k: round(statistics.fmean(v), 1) for k, v in per_skill.items()},
    )
