"""Helpdesk registration: clear messages for bad input, nothing half-saved, masked lists,
every personal-data view logged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seoul_digital.core.models import AuditLog
from seoul_digital.inclusion.models import Learner
from seoul_digital.inclusion.phone import PhoneError, normalise_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw, expected", [
    ("010-1234-5678", "010-1234-5678"),
    ("01012345678", "010-1234-5678"),
    (" 010 1234 5678 ", "010-1234-5678"),
    ("+82 10-1234-5678", "010-1234-5678"),
    ("02-123-4567", "02-123-4567"),
    ("0212345678", "02-1234-5678"),
    ("031-123-4567", "031-123-4567"),
    ("011-123-4567", "011-123-4567"),
])
def test_phone_numbers_are_written_one_way(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw, fragment", [
    ("", "전화번호를 입력"),
    ("010-1234-567", "11자리"),
    ("010-1234-56789", "11자리"),
    ("010-12ab-5678", "숫자가 아닌 글자"),
    ("1234-5678", "0으로 시작"),
    ("02-12-345", "9~10자리"),
    ("099-123-4567", "형식이 아닙니다"),
])
def test_malformed_phone_numbers_say_what_is_wrong(raw, fragment):
    with pytest.raises(PhoneError, match=fragment):
        normalise_phone(raw)


def form_data(**overrides):
    data = {"name": "홍길순", "phone": "010-2222-3333", "birth_date": "1950-04-01",
            "gender": "F", "district": "", "address_area": "역삼1동", "device": "android",
            "language": "ko", "gender_preference": "", "slots": ["1-am", "3-pm"],
            "extra_times": "", "channel": "phone", "notes": "", "consent": "on"}
    data.update(overrides)
    return data


def test_register_by_phone_then_go_to_diagnosis(as_user, districts):
    client = as_user("edu")
    response = client.post(reverse("inclusion:learner_register"),
                           form_data(district=districts.gangnam.pk, extra_times="금 10:00-11:30"))
    learner = Learner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inclusion:diagnosis_new", args=[learner.pk])
    assert learner.phone == "010-2222-3333" and learner.status == Learner.Status.WAITING
    assert learner.windows_label == "화 09:00-12:00; 목 13:00-17:00; 금 10:00-11:30"
    assert AuditLog.objects.filter(model="learner", action="create", object_id=str(learner.pk)).exists()


@pytest.mark.parametrize("overrides, field_message", [
    ({"phone": "010-222-333"}, "11자리"),
    ({"consent": ""}, "동의"),
    ({"birth_date": "1975-01-01"}, "만 65세 이상"),
    ({"slots": [], "extra_times": ""}, "하나 이상 고르세요"),
    ({"extra_times": "화요일 아무때나"}, "읽지 못했습니다"),
])
def test_bad_registration_is_refused_with_a_message_and_nothing_saved(as_user, districts,
                                                                     overrides, field_message):
    response = as_user("edu").post(reverse("inclusion:learner_register"),
                                   form_data(district=districts.gangnam.pk, **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert field_message in body
    assert "아무것도 저장하지 않았습니다" in body
    assert Learner.objects.count() == 0
    assert not AuditLog.objects.filter(model="learner").exists()


def test_duplicate_person_is_refused_across_districts(as_user, districts, make_learner):
    first = make_learner(phone="010-2222-3333", birth_date=dt.date(1950, 4, 1),
                         district=districts.seocho)
    response = as_user("edu").post(reverse("inclusion:learner_register"),
                                   form_data(district=districts.gangnam.pk, phone="01022223333"))
    assert response.status_code == 400
    assert f"교육생 번호 {first.pk}" in response.content.decode()
    assert Learner.objects.count() == 1
    # Same phone, another birth date: another person (a shared home phone).
    ok = as_user("edu").post(reverse("inclusion:learner_register"),
                             form_data(district=districts.gangnam.pk, birth_date="1949-04-01"))
    assert ok.status_code == 302 and Learner.objects.count() == 2


def test_database_constraint_backs_up_the_duplicate_check(make_learner):
    from django.db import IntegrityError, transaction

    learner = make_learner(phone="010-2222-3333")
    with pytest.raises(IntegrityError), transaction.atomic():
        Learner.objects.create(name="x", phone=learner.phone, birth_date=learner.birth_date,
                               district=learner.district, address_area="x")


def test_district_officer_registers_only_in_their_district(users, districts, make_learner):
    with pytest.raises(ValidationError) as err:
        make_learner(by=users.gangnam, district=districts.seocho)
    assert "다른 자치구" in str(err.value)
    assert make_learner(by=users.gangnam, district=districts.gangnam).district == districts.gangnam


def test_editing_keeps_one_person_one_record(users, make_learner):
    from seoul_digital.inclusion import services

    a = make_learner(phone="010-3000-0001")
    b = make_learner(phone="010-3000-0002")
    with pytest.raises(ValidationError, match="이미 등록된"):
        services.do_update_learner(users.edu, b, phone="010-3000-0001", birth_date=a.birth_date)
    b.refresh_from_db()
    assert b.phone == "010-3000-0002"


def test_lists_mask_and_details_log_personal_data(as_user, make_learner):
    learner = make_learner(name="홍길순", phone="010-2222-3333")
    client = as_user("gangnam")
    listing = client.get(reverse("inclusion:learner_list")).content.decode()
    assert "홍*순" in listing and "010-****-3333" in listing
    assert "홍길순" not in listing and "2222" not in listing
    before = AuditLog.objects.filter(action="view_personal").count()
    detail = client.get(reverse("inclusion:learner_detail", args=[learner.pk])).content.decode()
    assert "홍길순" in detail and "010-2222-3333" in detail
    entry = AuditLog.objects.filter(action="view_personal").latest("at")
    assert AuditLog.objects.filter(action="view_personal").count() == before + 1
    assert entry.username == "gangnam" and entry.object_id == str(learner.pk)
    assert "phone" in entry.note


def test_search_by_last_four_digits(as_user, make_learner):
    make_learner(name="홍길순", phone="010-2222-3333")
    make_learner(name="김철수", phone="010-4444-5555")
    page = as_user("edu").get(reverse("inclusion:learner_list"), {"phone": "3333"}).content.decode()
    assert "홍*순" in page and "김*수" not in page


def test_supporter_application_pipeline(users, districts, as_user, today):
    from seoul_digital.inclusion import services
    from seoul_digital.inclusion.engine.schedule import parse_windows
    from seoul_digital.inclusion.models import Supporter

    with pytest.raises(ValidationError, match="만 55세 이상"):
        services.do_apply_supporter(users.edu, name="청년", phone="010-1111-2222",
                                    birth_date=dt.date(1990, 1, 1), home_district=districts.gangnam,
                                    devices=["android"], levels=["basic"])
    s = services.do_apply_supporter(users.edu, name="박은퇴", phone="010-1111-2222",
                                    birth_date=dt.date(1960, 1, 1), home_district=districts.gangnam,
                                    devices=["android"], levels=["basic"],
                                    windows=parse_windows("화 오전"))
    assert s.stage == Supporter.Stage.APPLIED and list(s.districts.all()) == [districts.gangnam]
    with pytest.raises(ValidationError, match="바로 옮길 수 없습니다"):
        services.do_move_supporter(users.edu, s, Supporter.Stage.ACTIVE)
    services.do_move_supporter(users.edu, s, Supporter.Stage.SCREENING, note="면접 통과")
    services.do_move_supporter(users.edu, s, Supporter.Stage.TRAINING)
    with pytest.raises(ValidationError, match="수료일"):
        services.do_move_supporter(users.edu, s, Supporter.Stage.ACTIVE)
    client = as_user("edu")
    response = client.post(reverse("inclusion:supporter_stage", args=[s.pk]),
                           {"stage": "active", "training_completed_on": today.isoformat()})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.stage == Supporter.Stage.ACTIVE and s.training_completed_on == today
    assert "면접 통과" in s.screening_note
    # District officers see the pipeline but cannot move it.
    assert as_user("gangnam").post(reverse("inclusion:supporter_stage", args=[s.pk]),
                                   {"stage": "paused"}).status_code == 404


def test_staff_link_a_supporter_to_a_login_account(users, as_user, make_supporter):
    from django.contrib.auth import get_user_model

    from seoul_digital.core.roles import Role

    account = get_user_model().objects.create_user("newsupporter", password="x-long-pass-1",
                                                   role=Role.SUPPORTER)
    s = make_supporter(name="최연결")
    url = reverse("inclusion:supporter_link", args=[s.pk])
    detail = reverse("inclusion:supporter_detail", args=[s.pk])
    page = as_user("edu").get(detail).content.decode()
    assert "연결 안 됨" in page and "newsupporter" in page  # offered in the form
    # A district officer cannot link; an account of another role is not offered.
    assert as_user("gangnam").post(url, {"account": account.pk}).status_code == 404
    response = as_user("edu").post(url, {"account": users.gangnam.pk}, follow=True)
    assert "선택가능항목에 없습니다" in response.content.decode()
    s.refresh_from_db()
    assert s.user is None
    response = as_user("edu").post(url, {"account": account.pk})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.user == account
    assert AuditLog.objects.filter(action="update", object_id=str(s.pk)).exists()
    # Linked: a second link (a direct POST) is refused and changes nothing.
    other = get_user_model().objects.create_user("another", password="x-long-pass-2", role=Role.SUPPORTER)
    response = as_user("edu").post(url, {"account": other.pk}, follow=True)
    assert "이미 로그인 계정이 연결되어 있습니다" in response.content.decode()
    s.refresh_from_db()
    assert s.user == account
    # Linked: the form is gone and the account is shown.
    page = as_user("edu").get(detail).content.decode()
    assert "newsupporter" in page and reverse("inclusion:supporter_link", args=[s.pk]) not in page
