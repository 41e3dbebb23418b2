"""Diagnosis → matching run → staff confirm → supporter accept/decline → re-match."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seoul_digital.core.models import Job
from seoul_digital.inclusion import services
from seoul_digital.inclusion.models import Diagnosis, Learner, Match, MatchRun

pytestmark = pytest.mark.django_db


def diagnosis_post(answers_dict):
    return {"q_" + code.replace(".", "_"): str(v) for code, v in answers_dict.items()}


def test_diagnosis_page_saves_levels_and_sets_teaching_level(as_user, make_learner, answers):
    learner = make_learner()
    client = as_user("edu")
    page = client.get(reverse("inclusion:diagnosis_new", args=[learner.pk])).content.decode()
    assert "스마트폰 기본" in page and "혼자 할 수 있음" in page
    data = diagnosis_post(answers(2, delivery=1))
    data["kind"] = "pre"
    response = client.post(reverse("inclusion:diagnosis_new", args=[learner.pk]), data)
    diagnosis = Diagnosis.objects.get()
    assert response.status_code == 302
    assert diagnosis.overall_level == "daily"          # basics done alone, delivery only with help
    assert diagnosis.skill_levels["delivery"] == "daily"
    assert diagnosis.skill_levels["phone_basics"] == "advanced"
    learner.refresh_from_db()
    assert learner.level == "daily"
    detail = client.get(reverse("inclusion:diagnosis_detail", args=[diagnosis.pk])).content.decode()
    assert "가르칠 수준" in detail and "생활" in detail


def test_unanswered_questions_are_refused(as_user, make_learner, answers):
    learner = make_learner()
    data = diagnosis_post(answers(1))
    data.pop("q_kiosk_1")
    response = as_user("edu").post(reverse("inclusion:diagnosis_new", args=[learner.pk]), data)
    assert response.status_code == 400
    assert Diagnosis.objects.count() == 0


def test_post_test_needs_a_pre_test_and_shows_the_gain(users, make_learner, answers):
    from seoul_digital.inclusion import selectors

    learner = make_learner()
    with pytest.raises(ValidationError, match="사전 진단"):
        services.do_record_diagnosis(users.edu, learner, kind="post", answers=answers(2))
    services.do_record_diagnosis(users.edu, learner, kind="pre", answers=answers(0))
    services.do_record_diagnosis(users.edu, learner, kind="post", answers=answers(0, phone_basics=3,
                                                                                  kakaotalk=3))
    gain = selectors.learner_gain(learner, users.edu)
    assert gain.skills["phone_basics"] == 100.0 and gain.skills["kiosk"] == 0.0
    assert gain.overall == pytest.approx(200 / 12, abs=0.1)


def test_run_page_starts_a_job_and_shows_proposals_with_reasons(as_user, users, districts,
                                                                make_supporter, make_learner):
    make_supporter(name="김영호", user=users.supporter)
    near = make_learner(name="이순자", windows="화 오전")
    far = make_learner(name="박노원", district=districts.gwanak, windows="화 오전")
    no_time = make_learner(name="최시간", windows="일 오후")
    response = as_user("edu").post(reverse("inclusion:run_new"), {"allow_adjacent": "on"})
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inclusion:run_detail", args=[run.pk])
    job = Job.objects.get()
    assert job.state == Job.State.SUCCEEDED and job.result["matched"] == 1
    match = Match.objects.get()
    assert match.learner == near and match.status == Match.Status.PROPOSED
    assert [r["code"] for r in match.reasons][:2] == ["same_district", "common_time"]
    page = as_user("edu").get(reverse("inclusion:run_detail", args=[run.pk])).content.decode()
    assert "같은 자치구(강남구)에 삽니다" in page
    assert "함께 가능한 시간: 화 09:00-12:00" in page
    # The ones left out are on the waiting list with their reason.
    far.refresh_from_db()
    no_time.refresh_from_db()
    assert far.status == Learner.Status.WAITING
    assert far.waiting_reason["code"] == "no_supporter_nearby"
    assert no_time.waiting_reason["code"] == "no_common_time"
    assert "관악구와 이웃 자치구에서 활동하는 지원단이 없습니다" in page
    near.refresh_from_db()
    assert near.status == Learner.Status.MATCHING


def test_supporter_sees_only_confirmed_matches_and_can_accept(as_user, users, make_supporter,
                                                             make_learner):
    supporter = make_supporter(user=users.supporter)
    learner = make_learner()
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    match = run.matches.get()
    client = as_user("supporter")
    assert client.get(reverse("inclusion:match_detail", args=[match.pk])).status_code == 404
    assert client.get(reverse("inclusion:learner_detail", args=[learner.pk])).status_code == 404
    as_user("edu").post(reverse("inclusion:match_confirm", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    home = client.get(reverse("inclusion:my_home")).content.decode()
    assert "답을 기다리는 새 교육생" in home and reverse("inclusion:match_respond", args=[match.pk]) in home
    response = client.post(reverse("inclusion:match_respond", args=[match.pk]), {"answer": "accept"})
    assert response.status_code == 302
    match.refresh_from_db()
    learner.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED and learner.status == Learner.Status.LEARNING
    assert client.get(reverse("inclusion:learner_detail", args=[learner.pk])).status_code == 200
    assert supporter.matches.count() == 1


def test_decline_needs_a_reason_and_rematches_elsewhere(as_user, users, make_supporter, make_learner):
    own = make_supporter(name="김영호", user=users.supporter)
    learner = make_learner()
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    match = run.matches.get()
    assert match.supporter == own
    other = make_supporter(name="박민수", windows="화 오전")  # joins before the answer
    services.do_confirm_match(users.edu, match)
    client = as_user("supporter")
    refused = client.post(reverse("inclusion:match_respond", args=[match.pk]), {"answer": "decline"})
    assert refused.status_code == 400
    assert "까닭을 적어" in refused.content.decode()
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    client.post(reverse("inclusion:match_respond", args=[match.pk]),
                {"answer": "decline", "note": "요일이 맞지 않음"})
    match.refresh_from_db()
    assert match.status == Match.Status.DECLINED and match.response_note == "요일이 맞지 않음"
    new = Match.objects.exclude(pk=match.pk).get(learner=learner)
    assert new.supporter == other and new.status == Match.Status.PROPOSED
    assert new.run.trigger == "decline"
    # Nobody left: the learner waits, and the reason says the others declined.
    services.do_confirm_match(users.edu, new)
    services.do_respond_to_match(users.edu, new, accept=False, note="건강 문제")
    learner.refresh_from_db()
    assert learner.status == Learner.Status.WAITING
    assert learner.waiting_reason["code"] == "declined_before"


def test_staff_rejection_needs_a_note_and_frees_the_learner(users, make_supporter, make_learner):
    make_supporter()
    learner = make_learner()
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    match = run.matches.get()
    with pytest.raises(ValidationError, match="까닭"):
        services.do_reject_proposal(users.edu, match, "  ")
    services.do_reject_proposal(users.edu, match, "교육생이 다른 요일 원함")
    learner.refresh_from_db()
    assert learner.status == Learner.Status.WAITING
    assert learner.waiting_reason == {"code": "proposal_rejected",
                                      "params": {"note": "교육생이 다른 요일 원함"}}
    # The rejected pair is not proposed again.
    rerun = services.do_create_match_run(users.edu)
    services.execute_match_run(rerun)
    learner.refresh_from_db()
    assert not rerun.matches.exists() and learner.waiting_reason["code"] == "declined_before"


def test_early_closure_with_rematch_and_completion(users, matched, make_supporter):
    other = make_supporter(name="박민수")
    with pytest.raises(ValidationError, match="까닭"):
        services.do_close_match(users.edu, matched.match, reason="mismatch", note="")
    _m, new = services.do_close_match(users.edu, matched.match, reason="mismatch",
                                      note="설명이 너무 빠름", rematch=True)
    matched.match.refresh_from_db()
    assert matched.match.early_closure
    assert new is not None and new.supporter == other
    services.do_confirm_match(users.edu, new)
    services.do_respond_to_match(users.edu, new, accept=True)
    services.do_close_match(users.edu, new, reason="completed")
    learner = Learner.objects.get(pk=matched.learner.pk)
    assert learner.status == Learner.Status.FINISHED


def test_previous_supporter_is_preferred_when_a_finished_learner_returns(users, make_supporter,
                                                                        make_learner):
    make_supporter(name="김영호")
    make_supporter(name="박민수")
    learner = make_learner()
    run = services.do_create_match_run(users.edu)
    services.execute_match_run(run)
    match = run.matches.get()
    services.do_confirm_match(users.edu, match)
    services.do_respond_to_match(users.edu, match, accept=True)
    services.do_close_match(users.edu, match, reason="completed")
    kept = match.supporter
    Learner.objects.filter(pk=learner.pk).update(status=Learner.Status.WAITING)
    again = services.do_create_match_run(users.edu)
    services.execute_match_run(again)
    proposal = again.matches.get()
    assert proposal.supporter == kept
    assert "keeps_pair" in [r["code"] for r in proposal.reasons]


def test_only_programme_staff_run_matching(as_user, users):
    assert as_user("staff").get(reverse("inclusion:run_new")).status_code == 404
    assert as_user("gangnam").post(reverse("inclusion:run_new"), {}).status_code == 404
    from seoul_digital.core.services import AccessDenied

    with pytest.raises(AccessDenied):
        services.do_create_match_run(users.staff)
