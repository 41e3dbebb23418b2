"""Access cases for the inclusion app (see tests/access/registry.py).

Besides the standard users, every case names ``edu`` (the programme's staff) and
``supporter`` (the demo 어디나지원단 member whose learner lives in 강남구). ``staff`` is
foundation staff of another programme: no personal data of this one.
POST cases send data that the services refuse (or that changes nothing), so the case
checks who gets through the door, not the write itself (tests/inclusion covers writes).
"""

import datetime as dt

from tests.access.registry import Case, api, page

# Who gets in, by group (see seoul_digital.inclusion.access).
ALL_IN = dict(admin=200, staff=200, gangnam=200, seocho=200, edu=200, supporter=200)
OFFICIALS = dict(admin=200, staff=200, gangnam=200, seocho=200, edu=200, supporter=404)
OFFICE_LIST = dict(admin=200, staff=404, gangnam=200, seocho=200, edu=200, supporter=404)
OFFICE_GANGNAM = dict(admin=200, staff=404, gangnam=200, seocho=404, edu=200, supporter=404)
PEOPLE_LIST = dict(admin=200, staff=404, gangnam=200, seocho=200, edu=200, supporter=200)
GANGNAM_RECORD = dict(admin=200, staff=404, gangnam=200, seocho=404, edu=200, supporter=200)
PROGRAMME = dict(admin=200, staff=404, gangnam=404, seocho=404, edu=200, supporter=404)
PROGRAMME_OR_OWNER = dict(admin=200, staff=404, gangnam=404, seocho=404, edu=200, supporter=200)
SUPPORTER_ONLY = dict(admin=404, staff=404, gangnam=404, seocho=404, edu=404, supporter=200)
ROBOTS_GANGNAM = dict(admin=200, staff=200, gangnam=200, seocho=404, edu=200, supporter=404)


def _as(mapping, ok):
    """The same doors with another success code (302 for forms that redirect, 400 for API
    refusals)."""
    return {k: (ok if v == 200 else v) for k, v in mapping.items()}


def build(world):
    from django.utils import timezone

    from seoul_digital.inclusion import services
    from seoul_digital.inclusion.engine.schedule import parse_windows
    from seoul_digital.inclusion.models import (
        Content,
        Facility,
        HelpdeskTicket,
        Learner,
        Lesson,
        Match,
        MatchRun,
        Repetition,
        Robot,
        RobotClass,
        RobotMaintenance,
        Supporter,
    )

    edu, gangnam = world.users.edu, world.districts.gangnam
    today = timezone.localdate()

    def supporter(name, phone, user=None):
        s = services.do_apply_supporter(
            edu, name=name, phone=phone, birth_date=dt.date(1958, 3, 1), home_district=gangnam,
            devices=["android", "ios"], levels=["basic", "daily", "advanced"],
            windows=parse_windows("월 오전; 화 오전; 수 오전; 목 오전; 금 오전"), max_learners=6)
        Supporter.objects.filter(pk=s.pk).update(stage=Supporter.Stage.ACTIVE, user=user,
                                                 training_completed_on=today)
        s.refresh_from_db()
        return s

    world.own_supporter = supporter("김영호", "010-7000-1001", user=world.users.supporter)
    world.other_supporter = supporter("박민수", "010-7000-1002")

    def learner(name, phone):
        return services.do_register_learner(
            edu, name=name, phone=phone, birth_date=dt.date(1948, 5, 5), district=gangnam,
            address_area="역삼1동", windows=parse_windows("화 오전; 목 오전"), consent=True)

    world.own_learner = learner("이순자", "010-5000-1001")
    world.other_learner = learner("최말순", "010-5000-1002")
    world.confirmed_learner = learner("정옥순", "010-5000-1003")
    form = services.active_questionnaire()
    answers = {q.code: 1 for q in form.form.questions}
    world.diagnosis = services.do_record_diagnosis(edu, world.own_learner, kind="pre",
                                                   answers=answers)

    run = MatchRun.objects.create(created_by=edu, state=MatchRun.State.DONE,
                                  stats={"learners": 3, "matched": 3, "match_rate": 1.0})
    world.run = run
    common = "화 09:00-12:00"
    world.own_match = Match.objects.create(run=run, learner=world.own_learner,
                                           supporter=world.own_supporter,
                                           status=Match.Status.ACCEPTED, common_windows=common)
    world.proposed_match = Match.objects.create(run=run, learner=world.other_learner,
                                                supporter=world.other_supporter,
                                                status=Match.Status.PROPOSED, common_windows=common)
    world.confirmed_match = Match.objects.create(run=run, learner=world.confirmed_learner,
                                                 supporter=world.own_supporter,
                                                 status=Match.Status.CONFIRMED, common_windows=common)
    Learner.objects.filter(pk=world.own_learner.pk).update(status=Learner.Status.LEARNING)
    Learner.objects.filter(pk__in=[world.other_learner.pk, world.confirmed_learner.pk]).update(
        status=Learner.Status.MATCHING)
    past = today - dt.timedelta(days=7)
    world.held_lesson = Lesson.objects.create(match=world.own_match, date=past,
                                              start_time=dt.time(10, 0), status=Lesson.Status.HELD,
                                              attendance=Lesson.Attendance.ATTENDED)
    content = Content.objects.filter(robot=True).first()
    world.held_lesson.contents.set([content])
    world.repetition = Repetition.objects.create(learner=world.own_learner, lesson=world.held_lesson,
                                                 content=content, status=Repetition.Status.DONE)
    world.ticket = HelpdeskTicket.objects.create(learner=world.own_learner, district=gangnam,
                                                 category="device", question="글자 크기")
    world.facility = Facility.objects.create(name="역삼1동 주민센터", district=gangnam,
                                             kind=Facility.Kind.COMMUNITY)
    world.robot = Robot.objects.create(serial="RB-GN-T01", district=gangnam, facility=world.facility)
    world.maintenance = RobotMaintenance.objects.create(robot=world.robot, problem="소리 안 남")
    robot_class = RobotClass.objects.create(facility=world.facility, district=gangnam, date=past,
                                            programme="kakaotalk", learner_type="senior",
                                            attendance=12)
    robot_class.robots.set([world.robot])
    world.content = content
    world.today = today
    world.lesson_payload = {"match_id": world.own_match.pk, "date": past.isoformat(),
                            "start_time": "10:30"}  # overlaps the held lesson → refused


def _month(w):
    return {"supporter_pk": w.own_supporter.pk, "year": w.today.year, "month": w.today.month}


LEARNER_JSON = {"name": "홍길순", "phone": "010-5000-9999", "birth_date": "1950-01-01",
                "district": "강남구", "address_area": "역삼1동", "windows": "화 오전",
                "consent": False}  # refused by the service: consent is required

CASES = [
    page("inclusion:index", anon=302, **dict(ALL_IN, supporter=302)),
    page("inclusion:dashboard", **OFFICIALS),
    # learners and diagnosis
    page("inclusion:learner_list", **PEOPLE_LIST),
    page("inclusion:learner_register", **OFFICE_LIST),
    page("inclusion:learner_detail", kwargs=lambda w: {"pk": w.own_learner.pk}, **GANGNAM_RECORD),
    page("inclusion:learner_detail", kwargs=lambda w: {"pk": w.other_learner.pk},
         label="not the supporter's learner", **dict(GANGNAM_RECORD, supporter=404)),
    page("inclusion:learner_edit", kwargs=lambda w: {"pk": w.own_learner.pk}, **OFFICE_GANGNAM),
    page("inclusion:learner_card", kwargs=lambda w: {"pk": w.own_learner.pk}, **GANGNAM_RECORD),
    page("inclusion:diagnosis_new", kwargs=lambda w: {"learner_pk": w.own_learner.pk},
         **GANGNAM_RECORD),
    page("inclusion:diagnosis_detail", kwargs=lambda w: {"pk": w.diagnosis.pk}, **GANGNAM_RECORD),
    page("inclusion:repetition_assign", kwargs=lambda w: {"learner_pk": w.own_learner.pk},
         **PROGRAMME_OR_OWNER),
    Case("inclusion:repetition_finish", method="post", kwargs=lambda w: {"pk": w.repetition.pk},
         data={"done": "1"}, expect=dict(anon=302, **_as(PROGRAMME_OR_OWNER, 302))),
    # supporters and money
    page("inclusion:supporter_list", **OFFICE_LIST),
    page("inclusion:supporter_apply", **OFFICE_LIST),
    page("inclusion:supporter_detail", kwargs=lambda w: {"pk": w.own_supporter.pk},
         **GANGNAM_RECORD),
    page("inclusion:supporter_detail", kwargs=lambda w: {"pk": w.other_supporter.pk},
         label="another supporter", **dict(GANGNAM_RECORD, supporter=404)),
    page("inclusion:supporter_edit", kwargs=lambda w: {"pk": w.own_supporter.pk},
         **OFFICE_GANGNAM),
    Case("inclusion:supporter_stage", method="post", kwargs=lambda w: {"pk": w.own_supporter.pk},
         data={"stage": "nonsense"}, expect=dict(anon=302, **_as(PROGRAMME, 302))),
    Case("inclusion:supporter_link", method="post", kwargs=lambda w: {"pk": w.own_supporter.pk},
         data={"account": "0"}, expect=dict(anon=302, **_as(PROGRAMME, 302))),
    page("inclusion:statement", kwargs=_month, **PROGRAMME_OR_OWNER),
    page("inclusion:statement", kwargs=lambda w: dict(_month(w), supporter_pk=w.other_supporter.pk),
         label="another supporter's statement", **PROGRAMME),
    page("inclusion:statement_xlsx", kwargs=_month, **PROGRAMME_OR_OWNER),
    page("inclusion:my_home", **SUPPORTER_ONLY),
    page("inclusion:fee_list", **PROGRAMME),
    # matching
    page("inclusion:run_list", **PROGRAMME),
    page("inclusion:run_new", **PROGRAMME),
    page("inclusion:run_detail", kwargs=lambda w: {"pk": w.run.pk}, **PROGRAMME),
    page("inclusion:match_list", **PEOPLE_LIST),
    page("inclusion:match_detail", kwargs=lambda w: {"pk": w.own_match.pk}, **GANGNAM_RECORD),
    page("inclusion:match_detail", kwargs=lambda w: {"pk": w.proposed_match.pk},
         label="unconfirmed proposal", **dict(GANGNAM_RECORD, supporter=404)),
    Case("inclusion:match_confirm", method="post", kwargs=lambda w: {"pk": w.own_match.pk},
         expect=dict(anon=302, **_as(PROGRAMME, 302))),
    Case("inclusion:match_reject", method="post", kwargs=lambda w: {"pk": w.proposed_match.pk},
         data={"note": ""}, expect=dict(anon=302, **_as(PROGRAMME, 302))),
    page("inclusion:match_respond", kwargs=lambda w: {"pk": w.confirmed_match.pk},
         **PROGRAMME_OR_OWNER),
    page("inclusion:match_close", kwargs=lambda w: {"pk": w.own_match.pk}, **PROGRAMME_OR_OWNER),
    # lessons
    page("inclusion:lesson_list", **PEOPLE_LIST),
    page("inclusion:lesson_book", kwargs=lambda w: {"match_pk": w.own_match.pk},
         **PROGRAMME_OR_OWNER),
    page("inclusion:lesson_log", kwargs=lambda w: {"pk": w.held_lesson.pk}, **PROGRAMME_OR_OWNER),
    Case("inclusion:lesson_cancel", method="post", kwargs=lambda w: {"pk": w.held_lesson.pk},
         expect=dict(anon=302, **_as(PROGRAMME_OR_OWNER, 302))),
    # helpdesk
    page("inclusion:ticket_list", **OFFICE_LIST),
    page("inclusion:ticket_new", **OFFICE_LIST),
    page("inclusion:ticket_detail", kwargs=lambda w: {"pk": w.ticket.pk}, **OFFICE_GANGNAM),
    # contents
    page("inclusion:content_list", **ALL_IN),
    page("inclusion:content_detail", kwargs=lambda w: {"pk": w.content.pk}, **ALL_IN),
    # robots
    page("inclusion:robot_list", **OFFICIALS),
    page("inclusion:robot_detail", kwargs=lambda w: {"pk": w.robot.pk}, **ROBOTS_GANGNAM),
    page("inclusion:robot_new", **OFFICE_LIST),
    page("inclusion:facility_new", **OFFICE_LIST),
    Case("inclusion:robot_checkout", method="post", kwargs=lambda w: {"pk": w.robot.pk},
         data={}, expect=dict(anon=302, **_as(OFFICE_GANGNAM, 302))),
    Case("inclusion:robot_return", method="post", kwargs=lambda w: {"pk": w.robot.pk},
         expect=dict(anon=302, **_as(OFFICE_GANGNAM, 302))),
    Case("inclusion:robot_status", method="post", kwargs=lambda w: {"pk": w.robot.pk},
         data={"status": "nonsense"}, expect=dict(anon=302, **_as(OFFICE_GANGNAM, 302))),
    Case("inclusion:maintenance_open", method="post", kwargs=lambda w: {"pk": w.robot.pk},
         data={"problem": ""}, expect=dict(anon=302, **_as(OFFICE_GANGNAM, 302))),
    Case("inclusion:maintenance_close", method="post", kwargs=lambda w: {"pk": w.maintenance.pk},
         data={"resolution": ""}, expect=dict(anon=302, **_as(OFFICE_GANGNAM, 302))),
    page("inclusion:class_list", **OFFICIALS),
    page("inclusion:class_new", **OFFICE_LIST),
    page("inclusion:rollup", **OFFICIALS),
    # API
    api("api:inclusion_learners", **PEOPLE_LIST),
    Case("api:inclusion_learner_create", method="post", content_type="application/json",
         data=LEARNER_JSON, expect=dict(anon=401, **_as(OFFICE_LIST, 400))),
    api("api:inclusion_learner", kwargs=lambda w: {"learner_id": w.own_learner.pk},
        **GANGNAM_RECORD),
    api("api:inclusion_supporters", **OFFICE_LIST),
    Case("api:inclusion_run_create", method="post", content_type="application/json",
         data={"max_travel_minutes": 5}, expect=dict(anon=401, **_as(PROGRAMME, 400))),
    api("api:inclusion_run", kwargs=lambda w: {"run_id": w.run.pk}, **PROGRAMME),
    api("api:inclusion_matches", **PEOPLE_LIST),
    Case("api:inclusion_match_confirm", method="post", kwargs=lambda w: {"match_id": w.own_match.pk},
         content_type="application/json", expect=dict(anon=401, **_as(PROGRAMME, 400))),
    Case("api:inclusion_match_respond", method="post",
         kwargs=lambda w: {"match_id": w.own_match.pk}, content_type="application/json",
         data={"accept": True}, expect=dict(anon=401, **_as(PROGRAMME_OR_OWNER, 400))),
    api("api:inclusion_lessons", **PEOPLE_LIST),
    Case("api:inclusion_lesson_create", method="post", content_type="application/json",
         data=lambda w: w.lesson_payload, expect=dict(anon=401, **_as(PROGRAMME_OR_OWNER, 400))),
    api("api:inclusion_statement", kwargs=lambda w: {"supporter_id": w.own_supporter.pk,
                                                     "year": w.today.year, "month": w.today.month},
        **PROGRAMME_OR_OWNER),
    api("api:inclusion_robots", **OFFICIALS),
    api("api:inclusion_rollup", **OFFICIALS),
    api("api:inclusion_dashboard", **OFFICIALS),
    api("api:inclusion_contents", **ALL_IN),
]
