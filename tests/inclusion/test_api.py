"""The API: same rules as the pages (masking, audit, refusals with messages)."""

import datetime as dt
import json

import pytest

from seoul_digital.core.models import AuditLog
from seoul_digital.inclusion.models import Learner, Match

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inclusion"


def post(client, path, data):
    return client.post(BASE + path, json.dumps(data), content_type="application/json")


LEARNER = {"name": "홍길순", "phone": "010-2222-3333", "birth_date": "1950-04-01",
           "district": "강남구", "address_area": "역삼1동", "windows": "화 오전; 목 10:00-11:30",
           "consent": True}


def test_register_list_and_read_a_learner(as_user):
    client = as_user("edu")
    created = post(client, "/learners", LEARNER)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phone"] == "010-2222-3333" and body["availability"] == "화 09:00-12:00; 목 10:00-11:30"
    listing = client.get(BASE + "/learners").json()
    assert listing[0]["name"] == "홍*순" and listing[0]["phone"] == "010-****-3333"
    assert listing[0]["waiting_reason"] == "아직 매칭을 돌리지 않았습니다"
    detail = client.get(f"{BASE}/learners/{body['id']}")
    assert detail.json()["name"] == "홍길순"
    assert AuditLog.objects.filter(action="view_personal", object_id=str(body["id"]),
                                   path__startswith=BASE).exists()


@pytest.mark.parametrize("change, message", [
    ({"phone": "010-2222-333"}, "11자리"),
    ({"windows": "화요일쯤"}, "not a window"),
    ({"district": "Atlantis"}, "not one of Seoul's 25 districts"),
    ({"consent": False}, "동의"),
])
def test_bad_registrations_answer_400_with_the_reason(as_user, change, message):
    response = post(as_user("edu"), "/learners", {**LEARNER, **change})
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert Learner.objects.count() == 0


def test_duplicate_registration_via_api(as_user):
    client = as_user("edu")
    assert post(client, "/learners", LEARNER).status_code == 201
    again = post(client, "/learners", {**LEARNER, "phone": "01022223333", "name": "홍길순2"})
    assert again.status_code == 400 and "이미 등록된" in again.json()["detail"]
    assert Learner.objects.count() == 1


def test_matching_through_the_api(as_user, users, make_supporter, make_learner, today):
    make_supporter(user=users.supporter)
    learner = make_learner()
    edu = as_user("edu")
    run = post(edu, "/match-runs", {})
    assert run.status_code == 201
    run_id = run.json()["id"]
    detail = edu.get(f"{BASE}/match-runs/{run_id}").json()
    assert detail["state"] == "done" and len(detail["proposals"]) == 1
    proposal = detail["proposals"][0]
    assert proposal["learner"] == learner.pk
    assert any("같은 자치구" in r for r in proposal["reasons"])
    assert post(edu, f"/matches/{proposal['id']}/confirm", {}).status_code == 200
    supporter = as_user("supporter")
    answered = post(supporter, f"/matches/{proposal['id']}/respond", {"accept": True})
    assert answered.status_code == 200 and answered.json()["match"]["status"] == "accepted"
    day = today + dt.timedelta(days=2)
    booked = post(supporter, "/lessons", {"match_id": proposal["id"], "date": day.isoformat(),
                                          "start_time": "10:00"})
    assert booked.status_code == 201 and booked.json()["minutes"] == 90
    clash = post(supporter, "/lessons", {"match_id": proposal["id"], "date": day.isoformat(),
                                         "start_time": "11:00"})
    assert clash.status_code == 400 and "다른 수업" in clash.json()["detail"]
    lessons = supporter.get(BASE + "/lessons").json()
    assert len(lessons) == 1 and lessons[0]["learner"].count("*") == 1
    statement = supporter.get(f"{BASE}/statements/{Match.objects.get().supporter_id}/"
                              f"{day.year}/{day.month}").json()
    assert statement["planned_minutes"] == 90 and statement["fee"] == 0
    assert statement["cap_minutes"] == 1260 and statement["rate_per_session"] == 33000


def test_dashboard_and_contents(as_user):
    data = as_user("gangnam").get(BASE + "/dashboard").json()
    assert data["robot_reach_target"] == 4000 and data["learners"] == 0
    contents = as_user("supporter").get(BASE + "/contents", {"level": "basic"}).json()
    assert len(contents) == 14 and all(c["level"] == "basic" for c in contents)
