"""Robots: inventory, check-out/return, maintenance, classes and the district roll-up."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seoul_digital.core.models import District
from seoul_digital.inclusion import selectors, services
from seoul_digital.inclusion.models import Facility, Robot, RobotClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(districts):
    gangdong = District.objects.get(code="11740")
    return {
        "centre": Facility.objects.create(name="역삼1동 주민센터", district=districts.gangnam,
                                          kind="community"),
        "daycare": Facility.objects.create(name="개포 어린이집", district=districts.gangnam,
                                           kind="daycare"),
        "gangdong": Facility.objects.create(name="천호2동 주민센터", district=gangdong,
                                            kind="community"),
        "gangdong_district": gangdong,
    }


def robot(serial, district, facility=None, status=Robot.Status.DEPLOYED):
    return Robot.objects.create(serial=serial, district=district, facility=facility, status=status)


def test_checkout_and_return(users, districts, place, today):
    r = robot("RB-GN-001", districts.gangnam, place["centre"])
    services.do_checkout_robot(users.gangnam, r, facility=place["daycare"],
                               due_back=today + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="이미 대여 중"):
        services.do_checkout_robot(users.gangnam, r, facility=place["centre"], due_back=today)
    services.do_return_robot(users.gangnam, r, status=Robot.Status.CHARGING)
    r.refresh_from_db()
    assert r.status == Robot.Status.CHARGING and r.open_checkout is None
    with pytest.raises(ValidationError, match="대여 중이 아닙니다"):
        services.do_return_robot(users.gangnam, r)


def test_checkout_refusals(users, districts, place, today):
    r = robot("RB-GN-002", districts.gangnam, place["centre"])
    with pytest.raises(ValidationError, match="자치구 안의 시설"):
        services.do_checkout_robot(users.edu, r, facility=place["gangdong"], due_back=today)
    with pytest.raises(ValidationError, match="반납 예정일"):
        services.do_checkout_robot(users.edu, r, facility=place["centre"],
                                   due_back=today - dt.timedelta(days=1))
    broken = robot("RB-GN-003", districts.gangnam, status=Robot.Status.REPAIR)
    with pytest.raises(ValidationError, match="수리 중"):
        services.do_checkout_robot(users.edu, broken, facility=place["centre"], due_back=today)


def test_maintenance_moves_the_robot_in_and_out_of_repair(as_user, districts, place):
    r = robot("RB-GN-004", districts.gangnam, place["centre"])
    client = as_user("gangnam")
    client.post(reverse("inclusion:maintenance_open", args=[r.pk]), {"problem": "바퀴가 헛돎"})
    r.refresh_from_db()
    assert r.status == Robot.Status.REPAIR
    refused = client.post(reverse("inclusion:robot_status", args=[r.pk]), {"status": "deployed"})
    assert refused.status_code == 302
    r.refresh_from_db()
    assert r.status == Robot.Status.REPAIR  # open repair ticket: not redeployed
    ticket = r.maintenance.get()
    client.post(reverse("inclusion:maintenance_close", args=[ticket.pk]), {"resolution": "모터 교체"})
    r.refresh_from_db()
    ticket.refresh_from_db()
    assert r.status == Robot.Status.DEPLOYED and ticket.closed_at and ticket.resolution == "모터 교체"
    # Another district's officer cannot touch it.
    assert as_user("seocho").post(reverse("inclusion:maintenance_open", args=[r.pk]),
                                  {"problem": "x"}).status_code == 404


def test_robot_class_checks(users, districts, place, today):
    here = robot("RB-GN-010", districts.gangnam, place["centre"])
    there = robot("RB-GD-010", place["gangdong_district"], place["gangdong"])
    lost = robot("RB-GN-011", districts.gangnam, status=Robot.Status.LOST)
    common = dict(facility=place["centre"], date=today, programme="kakaotalk",
                  learner_type="senior", attendance=15)
    with pytest.raises(ValidationError, match="다른 자치구 로봇"):
        services.do_record_robot_class(users.edu, robots=[here, there], **common)
    with pytest.raises(ValidationError, match="분실"):
        services.do_record_robot_class(users.edu, robots=[here, lost], **common)
    with pytest.raises(ValidationError, match="1명 이상"):
        services.do_record_robot_class(users.edu, robots=[here], **dict(common, attendance=0))
    with pytest.raises(ValidationError, match="어린이 대상"):
        services.do_record_robot_class(users.edu, robots=[here],
                                       **dict(common, programme="storytelling"))
    with pytest.raises(ValidationError, match="다른 자치구의 기록"):
        services.do_record_robot_class(users.seocho, robots=[here], **common)
    assert RobotClass.objects.count() == 0
    made = services.do_record_robot_class(users.gangnam, robots=[here], **common)
    assert made.district == districts.gangnam and list(made.robots.all()) == [here]


def test_rollup_by_district_against_the_target(as_user, users, districts, place, today):
    here = robot("RB-GN-020", districts.gangnam, place["centre"])
    there = robot("RB-GD-020", place["gangdong_district"], place["gangdong"])
    services.do_record_robot_class(users.edu, facility=place["centre"], date=today,
                                   programme="voice_phishing", learner_type="senior",
                                   robots=[here], attendance=30)
    services.do_record_robot_class(users.edu, facility=place["daycare"], date=today,
                                   programme="storytelling", learner_type="child",
                                   robots=[here], attendance=20)
    services.do_record_robot_class(users.edu, facility=place["gangdong"], date=today,
                                   programme="kakaotalk", learner_type="senior",
                                   robots=[there], attendance=10, supporter_linked=True)
    data = selectors.robot_rollup(users.edu)
    rows = {r["district_code"]: r for r in data["rows"]}
    assert set(rows) == {"11680", "11740", "11620", "11470", "11260"}
    assert data["target"] == 4000  # from the programme plan loaded by core
    assert rows["11680"]["seniors"] == 30 and rows["11680"]["children"] == 20
    assert rows["11680"]["total"] == 50 and rows["11680"]["target"] == 800
    assert rows["11740"]["total"] == 10 and rows["11620"]["total"] == 0
    assert data["total"] == 60 and data["supporter_linked"] == 10
    # A district officer's roll-up is their own district only.
    officer = selectors.robot_rollup(users.gangnam)
    assert [r["district_code"] for r in officer["rows"]] == ["11680"]
    page = as_user("edu").get(reverse("inclusion:rollup")).content.decode()
    assert "60명 / 목표 4,000명" in page and "vendor/chartjs/chart.umd.min.js" in page


def test_cli_rollup(users, districts, place, today):
    from click.testing import CliRunner

    from seoul_digital.inclusion.cli import group

    here = robot("RB-GN-030", districts.gangnam, place["centre"])
    services.do_record_robot_class(users.edu, facility=place["centre"], date=today,
                                   programme="kakaotalk", learner_type="senior", robots=[here],
                                   attendance=25)
    result = CliRunner().invoke(group, ["rollup"])
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if l.startswith("강남구"))
    assert "seniors    25" in line and "/ 800" in line


def test_add_robots_and_facilities(as_user, districts, place):
    client = as_user("gangnam")
    made = client.post(reverse("inclusion:robot_new"), {
        "serial": "rb-gn-041", "district": districts.gangnam.pk, "facility": place["centre"].pk})
    robot_made = Robot.objects.get(serial="RB-GN-041")
    assert made.status_code == 302 and robot_made.facility == place["centre"]
    again = client.post(reverse("inclusion:robot_new"), {
        "serial": "RB-GN-041", "district": districts.gangnam.pk})
    assert again.status_code == 400 and "이미 등록" in again.content.decode()
    wrong = client.post(reverse("inclusion:robot_new"), {
        "serial": "RB-GN-042", "district": districts.gangnam.pk, "facility": place["gangdong"].pk})
    assert wrong.status_code == 400 and not Robot.objects.filter(serial="RB-GN-042").exists()
    # An officer's district list holds only their own district.
    other = client.post(reverse("inclusion:facility_new"), {
        "name": "서초 경로당", "district": districts.seocho.pk, "kind": "senior_welfare"})
    assert other.status_code == 400 and not Facility.objects.filter(name="서초 경로당").exists()
    ok = client.post(reverse("inclusion:facility_new"), {
        "name": "삼성1동 주민센터", "district": districts.gangnam.pk, "kind": "community"})
    assert ok.status_code == 302 and Facility.objects.filter(name="삼성1동 주민센터").exists()
