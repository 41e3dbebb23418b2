"""Demo records for the inclusion programme (synthetic people; idempotent; no ../shared).

The story it sets up, walkable in the browser:
  * ``edu`` (programme staff) registers a senior by phone, diagnoses them, runs matching and
    confirms the proposal; the senior lives in 강남구 where the demo supporter works;
  * ``supporter`` (김영호, 강남·서초) accepts, books and logs lessons, assigns robot
    repetition; this month's statement (hours vs the 21-hour cap, 33,000 KRW per session)
    comes out as XLSX;
  * 200 robots (40 in each of 강남, 강동, 관악, 양천, 중랑) with classes that roll up by
    district against the 4,000-learner target; a supporter near the monthly cap shows
    overtime being refused; helpdesk tickets; finished learners with post-test gains.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from seoul_digital.core.models import District

DEMO_SEED = 2021
ROBOT_DISTRICTS = {"11680": "GN", "11740": "GD", "11620": "GW", "11470": "YC", "11260": "JR"}
FACILITIES = {
    "11680": [("역삼1동 주민센터", "community"), ("강남구 노인복지관", "senior_welfare"),
              ("개포 어린이집", "daycare"), ("대치2동 주민센터", "community")],
    "11740": [("천호2동 주민센터", "community"), ("강동구 노인종합복지관", "senior_welfare"),
              ("암사 어린이집", "daycare"), ("길동 주민센터", "community")],
    "11620": [("신림동 주민센터", "community"), ("관악노인종합복지관", "senior_welfare"),
              ("봉천 어린이집", "daycare"), ("서원동 주민센터", "community")],
    "11470": [("목1동 주민센터", "community"), ("양천노인종합복지관", "senior_welfare"),
              ("신정 어린이집", "daycare"), ("신월1동 주민센터", "community")],
    "11260": [("면목본동 주민센터", "community"), ("중랑노인종합복지관", "senior_welfare"),
              ("묵동 어린이집", "daycare"), ("상봉1동 주민센터", "community")],
}
DONG_NAMES = {"강남구": ["역삼1동", "대치2동", "개포1동", "논현2동", "삼성1동"],
              "서초구": ["반포1동", "서초3동", "방배2동"], "송파구": ["잠실본동", "가락1동"]}


def _phone(i: int, prefix: str = "010-5") -> str:
    return f"{prefix}{i // 10000 % 1000:03d}-{i % 10000:04d}"


def _windows(text):
    from seoul_digital.inclusion.engine.schedule import parse_windows

    return parse_windows(text)


def _answers(form, level: str, rng: random.Random, boost: int = 0) -> dict:
    """Plausible answers for a learner of ``level``: bands below it done alone."""
    order = ["basic", "daily", "advanced"]
    answers = {}
    for skill in form.skills:
        gap = order.index(skill.band) - order.index(level)
        base = 2 if gap < 0 else (1 if gap == 0 else 0)
        for q in skill.questions:
            value = base + boost + (1 if rng.random() < 0.2 else 0) - (1 if rng.random() < 0.2 else 0)
            answers[q.code] = max(0, min(3, value))
    return answers


def load() -> Iterator[str]:
    from seoul_digital.inclusion.models import Supporter

    User = get_user_model()
    supporter_user = User.objects.filter(username="supporter").first()
    if Supporter.objects.filter(user=supporter_user).exists() or Supporter.objects.filter(
            phone="010-7000-0001").exists():
        yield "already loaded"
        return
    with transaction.atomic():
        yield from _load(supporter_user)


def _load(supporter_user) -> Iterator[str]:
    from seoul_digital.inclusion import services
    from seoul_digital.inclusion.engine import synth
    from seoul_digital.inclusion.models import (
        Content,
        Facility,
        HelpdeskTicket,
        Learner,
        Lesson,
        Match,
        Robot,
        RobotClass,
        RobotMaintenance,
        Supporter,
    )

    rng = random.Random(DEMO_SEED)
    User = get_user_model()
    edu = User.objects.get(username="edu")
    today = timezone.localdate()
    districts = {d.name_ko: d for d in District.objects.all()}

    # --- robots, facilities, classes ---------------------------------------------------
    facilities = []
    for code, items in FACILITIES.items():
        district = District.objects.get(code=code)
        for name, kind in items:
            facility, _c = Facility.objects.get_or_create(district=district, name=name,
                                                          defaults={"kind": kind})
            facilities.append(facility)
    robots = []
    for code, slug in ROBOT_DISTRICTS.items():
        district = District.objects.get(code=code)
        here = [f for f in facilities if f.district_id == district.pk]
        for i in range(1, 41):
            status = Robot.Status.DEPLOYED
            if i in (7, 23):
                status = Robot.Status.CHARGING
            elif i == 31:
                status = Robot.Status.REPAIR
            elif i == 40 and slug == "JR":
                status = Robot.Status.LOST
            robots.append(Robot(serial=f"RB-{slug}-{i:03d}", district=district,
                                facility=here[(i - 1) % len(here)], status=status,
                                model_name="교육로봇 2세대"))
    Robot.objects.bulk_create(robots)
    robots = list(Robot.objects.select_related("district"))
    for robot in robots:
        if robot.status == Robot.Status.REPAIR:
            RobotMaintenance.objects.create(robot=robot, problem="음성 인식이 자주 끊김", by=edu)
    yield f"robots: {len(robots)} in {len(ROBOT_DISTRICTS)} districts, {len(facilities)} facilities"

    repetition_content = Content.objects.filter(robot=True).first()
    classes = 0
    start = today - dt.timedelta(days=150)
    for facility in facilities:
        usable = [r for r in robots if r.district_id == facility.district_id
                  and r.status in (Robot.Status.DEPLOYED, Robot.Status.CHARGING)]
        for _k in range(rng.randint(5, 9)):
            day = start + dt.timedelta(days=rng.randint(0, 148))
            if facility.kind == Facility.Kind.DAYCARE:
                programme, learner_type = RobotClass.Programme.STORYTELLING, RobotClass.LearnerType.CHILD
                attendance = rng.randint(12, 25)
            else:
                programme = rng.choice([RobotClass.Programme.KAKAOTALK,
                                        RobotClass.Programme.VOICE_PHISHING,
                                        RobotClass.Programme.REPETITION])
                learner_type = RobotClass.LearnerType.SENIOR
                attendance = rng.randint(8, 20)
            rc = RobotClass.objects.create(
                facility=facility, district_id=facility.district_id, date=day, programme=programme,
                content=repetition_content if programme == RobotClass.Programme.REPETITION else None,
                learner_type=learner_type, attendance=attendance,
                supporter_linked=programme == RobotClass.Programme.REPETITION, recorded_by=edu)
            rc.robots.set(rng.sample(usable, k=min(len(usable), rng.randint(6, 12))))
            classes += 1
    yield f"robot classes: {classes}"

    # --- supporters ----------------------------------------------------------------------
    def add_supporter(i, name, home, covered, windows, levels, devices, gender, stage,
                      max_learners=6, languages=("ko",), user=None):
        s = services.do_apply_supporter(
            edu, name=name, phone=_phone(i, "010-7"), birth_date=dt.date(1956 + i % 10, 1 + i % 12, 1 + i % 27),
            home_district=districts[home], districts=[districts[d] for d in covered],
            gender=gender, languages=languages, devices=devices, levels=levels,
            windows=windows, max_learners=max_learners,
            experience="전직 IT 회사 근무, 컴퓨터 강사 경력", motivation="어르신들이 스마트폰을 편히 쓰시도록 돕고 싶습니다.")
        updates = {"stage": stage, "user": user}
        if stage in (Supporter.Stage.ACTIVE, Supporter.Stage.PAUSED):
            updates["training_completed_on"] = today - dt.timedelta(days=120)
        Supporter.objects.filter(pk=s.pk).update(**updates)
        s.refresh_from_db()
        return s

    demo = add_supporter(1, "김영호", "강남구", ["강남구", "서초구"],
                         _windows("월 오전; 화 오전; 화 오후; 수 오전; 목 오전; 목 오후; 금 오전"),
                         ["basic", "daily", "advanced"], ["android", "ios"], "M",
                         Supporter.Stage.TRAINING, max_learners=6, user=supporter_user)
    near_cap = add_supporter(2, "이정숙", "서초구", ["서초구"],
                             _windows("월 오후; 화 오후; 수 오후; 목 오후; 금 오후"),
                             ["basic", "daily"], ["android"], "F", Supporter.Stage.TRAINING,
                             max_learners=4)
    _learners, generated = synth.people(0, 22, seed=DEMO_SEED)
    active = [demo, near_cap]
    for j, g in enumerate(generated):
        name = synth.fake_name(rng)
        active.append(add_supporter(10 + j, name, g.home_district, list(g.covered), g.windows,
                                    sorted(g.levels), sorted(g.devices), g.gender,
                                    Supporter.Stage.ACTIVE, max_learners=g.max_learners,
                                    languages=sorted(g.languages)))
    pipeline = [(Supporter.Stage.APPLIED, 4), (Supporter.Stage.SCREENING, 3),
                (Supporter.Stage.TRAINING, 3), (Supporter.Stage.REJECTED, 1),
                (Supporter.Stage.PAUSED, 1)]
    n = 60
    for stage, count in pipeline:
        for _k in range(count):
            n += 1
            home = rng.choice(["강남구", "관악구", "노원구", "마포구", "송파구", "은평구"])
            add_supporter(n, synth.fake_name(rng), home, [home], _windows("화 오전; 목 오후"),
                          ["basic"], ["android"], rng.choice("FM"), stage)
    yield (f"supporters: {len(active) - 2} active, 2 finishing training, "
           f"{sum(c for _s, c in pipeline)} in the pipeline")

    # --- learners, matching and responses ------------------------------------------------------
    form = services.active_questionnaire()

    def register(i, g, district, windows):
        learner = services.do_register_learner(
            edu, name=synth.fake_name(rng), phone=_phone(1000 + i),
            birth_date=dt.date(1938 + i % 17, 1 + i % 12, 1 + i % 28), district=districts[district],
            address_area=rng.choice(DONG_NAMES.get(district, [district[:-1] + "1동"])),
            windows=windows, device=g.device, language=g.language, gender=g.gender,
            gender_preference=g.gender_preference, channel=rng.choice(["phone", "phone", "venue"]),
            consent=True)
        Learner.objects.filter(pk=learner.pk).update(
            registered_at=timezone.now() - dt.timedelta(days=20 + g.waiting_days * 3),
            waiting_since=timezone.now() - dt.timedelta(days=g.waiting_days * 3))
        learner.refresh_from_db()
        services.do_record_diagnosis(edu, learner, kind="pre",
                                     answers=_answers(form.form, g.level, rng), questionnaire=form)
        return learner

    def respond_all(run, keep_open_for=None, declines=0, rejects=0):
        kept = False
        for k, match in enumerate(run.matches.select_related("supporter", "learner")):
            special = match.supporter_id in (demo.pk, near_cap.pk)
            if keep_open_for is not None and match.supporter_id == keep_open_for and not kept:
                services.do_confirm_match(edu, match)
                kept = True  # the supporter answers this one in the walk-through
                continue
            if rejects and not special and k % 17 == 5:
                services.do_reject_proposal(edu, match, "교육생이 통화에서 다른 요일을 원함")
                rejects -= 1
                continue
            services.do_confirm_match(edu, match)
            if declines and not special and k % 13 == 3:
                services.do_respond_to_match(edu, match, accept=False,
                                             note="건강 문제로 이번 달은 어려움")
                declines -= 1
                continue
            services.do_respond_to_match(edu, match, accept=True)

    engine_learners, _s = synth.people(120, 0, seed=DEMO_SEED + 1)
    learners = [register(i, g, g.district, g.windows) for i, g in enumerate(engine_learners[:110])]
    run = services.do_create_match_run(edu)
    services.execute_match_run(run, user=edu)
    yield (f"learners: {len(learners)} registered and diagnosed; matching run {run.pk}: "
           f"{run.stats['matched']} proposed, {run.stats['unmatched']} waiting")
    respond_all(run, declines=2, rejects=1)

    # The demo supporter and the near-cap supporter finish training now, then a second run
    # for seniors who called in later (강남구, 서초구).
    for s in (demo, near_cap):
        services.do_move_supporter(edu, s, Supporter.Stage.ACTIVE,
                                   training_completed_on=today - dt.timedelta(days=60))
    late = [("강남구", "화 오전; 목 오전"), ("강남구", "월 오전; 수 오전"), ("강남구", "수 오전; 금 오전"),
            ("강남구", "화 오전"), ("서초구", "화 오후; 목 오후"), ("서초구", "월 오후; 수 오후")]
    for j, (district, windows) in enumerate(late):
        register(200 + j, engine_learners[110 + j], district, _windows(windows))
    run2 = services.do_create_match_run(edu)
    services.execute_match_run(run2, user=edu)
    respond_all(run2, keep_open_for=demo.pk)
    yield (f"matching run {run2.pk}: {run2.stats['matched']} proposed, "
           f"{run2.stats['unmatched']} waiting; responses recorded")

    # --- lessons -----------------------------------------------------------------------------
    contents_by_level = {}
    for c in Content.objects.filter(kind="core"):
        contents_by_level.setdefault(c.level, []).append(c)
    accepted = list(Match.objects.filter(status=Match.Status.ACCEPTED).select_related("learner", "supporter"))
    lessons_made = 0
    month_start = today.replace(day=1)
    previous_month = (month_start - dt.timedelta(days=1)).replace(day=1)
    from django.core.exceptions import ValidationError

    def nth(first: dt.date, weekday: int, n: int) -> dt.date:
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * n)

    for m_index, match in enumerate(accepted):
        common = _windows(match.common_windows)
        if not common:
            continue
        w = common[m_index % len(common)]
        start_time = dt.time(w.start // 60, w.start % 60)
        upcoming = today + dt.timedelta(days=(w.day - today.weekday()) % 7 or 7)
        dates = [nth(previous_month, w.day, 0), nth(previous_month, w.day, 2),
                 nth(month_start, w.day, 0), nth(month_start, w.day, 2), upcoming]
        for day in sorted(set(dates)):
            try:
                lesson = services.do_book_lesson(
                    edu, match, date=day, start_time=start_time,
                    place_type=rng.choice(["community", "senior_centre", "home", "library"]))
            except ValidationError:
                continue  # overlaps another learner of the same supporter: skip that date
            lessons_made += 1
            recent = day >= today - dt.timedelta(days=10)
            if day < today and not (match.supporter_id == demo.pk and recent):
                level = match.learner.level or "basic"
                covered = rng.sample(contents_by_level[level], k=2)
                no_show = rng.random() < 0.08
                services.do_log_lesson(
                    edu, lesson, status=Lesson.Status.HELD,
                    attendance=Lesson.Attendance.NO_SHOW if no_show else Lesson.Attendance.ATTENDED,
                    minutes=90, contents=covered,
                    notes="연락 없이 불참" if no_show else "복습 과제를 드림",
                    satisfaction=None if no_show else rng.choice([4, 5, 5, 3, 4]))
                if not no_show and rng.random() < 0.4:
                    robot_content = next((c for c in covered if c.robot), None)
                    if robot_content:
                        services.do_assign_repetition(edu, match.learner, content=robot_content,
                                                      mode="robot", lesson=lesson,
                                                      due_on=day + dt.timedelta(days=14))
    yield f"lessons: {lessons_made} booked (past ones logged)"

    # The near-cap supporter: 13 held sessions this month → one more 90-minute booking is refused.
    near_match = Match.objects.filter(supporter=near_cap, status=Match.Status.ACCEPTED).first()
    if near_match is not None:
        used = sum(Lesson.objects.filter(match__supporter=near_cap, date__gte=month_start,
                                         status__in=("planned", "held")).values_list("minutes", flat=True))
        day = month_start
        while used + 90 <= 13 * 90 and day.month == month_start.month:
            try:
                services.do_book_lesson(edu, near_match, date=day, start_time=dt.time(7, 0))
                used += 90
            except ValidationError:
                pass
            day += dt.timedelta(days=1)
        yield f"near-cap supporter {near_cap.name}: {used} of 1260 minutes booked this month"

    # --- finished learners with post-tests, an early closure ---------------------------------
    finished = 0
    for match in Match.objects.filter(status=Match.Status.ACCEPTED).exclude(supporter=demo).exclude(
            supporter=near_cap)[:8]:
        if not match.lessons.filter(status=Lesson.Status.HELD).exists():
            continue
        learner = match.learner
        services.do_record_diagnosis(edu, learner, kind="post",
                                     answers=_answers(form.form, learner.level or "basic", rng, boost=1),
                                     questionnaire=form)
        services.do_close_match(edu, match, reason=Match.CloseReason.COMPLETED, note="")
        finished += 1
    early = Match.objects.filter(status=Match.Status.ACCEPTED).exclude(supporter=demo).exclude(
        supporter=near_cap).last()
    if early is not None:
        services.do_close_match(edu, early, reason=Match.CloseReason.MOVED,
                                note="교육생이 경기도로 이사", rematch=False)
    yield f"finished with post-test: {finished}; early closures: {1 if early else 0}"

    # --- helpdesk ------------------------------------------------------------------------------
    questions = [
        ("device", "글자가 너무 작아서 안 보여요. 크게 하는 방법을 다시 알려 주세요."),
        ("schedule", "다음 주 화요일 수업을 목요일로 바꿀 수 있나요?"),
        ("safety", "택배 조회하라는 문자가 왔는데 눌러도 되나요?"),
        ("app", "은행 앱이 업데이트하라고 하고 안 열려요."),
        ("lesson", "카카오톡 사진 보내는 걸 배웠는데 또 잊어버렸어요."),
        ("complaint", "지원단 선생님이 너무 빨리 설명하세요."),
    ]
    with_learners = Learner.objects.filter(status__in=("learning", "finished"))[:12]
    tickets = 0
    for i, learner in enumerate(with_learners):
        category, question = questions[i % len(questions)]
        ticket = services.do_open_ticket(edu, category=category, question=question, learner=learner)
        opened = timezone.now() - dt.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        HelpdeskTicket.objects.filter(pk=ticket.pk).update(opened_at=opened)
        ticket.refresh_from_db()
        if i % 4 != 0:
            services.do_answer_ticket(edu, ticket, answer="전화로 차근차근 다시 안내해 드렸습니다.",
                                      resolve=True)
            HelpdeskTicket.objects.filter(pk=ticket.pk).update(
                resolved_at=opened + dt.timedelta(hours=rng.randint(1, 30)))
        tickets += 1
    yield f"helpdesk tickets: {tickets}"
