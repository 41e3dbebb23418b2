"""Audited writes and background jobs."""

import pytest

from seoul_digital.core import audit, services
from seoul_digital.core.jobs import start_job
from seoul_digital.core.models import ApiToken, AuditLog, Job


@pytest.mark.django_db
def test_create_update_delete_are_logged_with_before_after(users):
    token = services.do_create(users.gangnam, ApiToken, user=users.gangnam, name="gis",
                               key_hash="a" * 64, prefix="sdp_abc")
    services.do_update(users.gangnam, token, name="gis-2")
    services.do_delete(users.gangnam, token)
    entries = list(AuditLog.objects.filter(model="apitoken").order_by("at", "id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[0].after["name"] == "gis" and "key_hash" not in entries[0].after
    assert entries[1].before == {"name": "gis"} and entries[1].after == {"name": "gis-2"}
    assert entries[2].before["name"] == "gis-2"
    assert all(e.user == users.gangnam for e in entries)


@pytest.mark.django_db
def test_write_to_foreign_record_is_refused_and_rolled_back(users):
    token = services.do_create(users.gangnam, ApiToken, user=users.gangnam, name="mine",
                               key_hash="b" * 64, prefix="sdp_b")
    with pytest.raises(services.AccessDenied):
        services.do_update(users.seocho, token, name="stolen")
    token.refresh_from_db()
    assert token.name == "mine"
    with pytest.raises(services.AccessDenied):
        services.do_create(users.seocho, ApiToken, user=users.gangnam, name="planted",
                           key_hash="c" * 64, prefix="sdp_c")
    assert not ApiToken.objects.filter(name="planted").exists()


@pytest.mark.django_db
def test_invalid_data_saves_nothing(users):
    from django.core.exceptions import ValidationError

    before = AuditLog.objects.count()
    with pytest.raises(ValidationError):
        services.do_create(users.admin, ApiToken, user=users.admin, name="",
                           key_hash="d" * 64, prefix="x")
    assert AuditLog.objects.count() == before
    assert not ApiToken.objects.filter(key_hash="d" * 64).exists()


@pytest.mark.django_db
def test_personal_view_is_recorded(users, rf):
    request = rf.get("/somewhere/1/")
    request.user = users.admin
    audit.record_personal_view(request, users.gangnam, ["phone"])
    entry = AuditLog.objects.get(action="view_personal")
    assert entry.user == users.admin and entry.object_id == str(users.gangnam.pk)
    assert entry.path == "/somewhere/1/" and "phone" in entry.note
    assert entry.district == users.gangnam.district


@pytest.mark.django_db
def test_job_runs_reports_progress_and_result(users):
    job = start_job(users.gangnam, "tests.core.jobfuncs.count_to", title="count",
                    district=users.gangnam.district, n=4)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert job.percent == 100 and job.result == {"counted": 4, "message": "counted to 4"}
    assert job.started_at and job.finished_at and job.task_id


@pytest.mark.django_db
def test_failing_job_is_marked_failed_with_reason_and_keeps_the_rest(users):
    token = services.do_create(users.gangnam, ApiToken, user=users.gangnam, name="keep",
                               key_hash="e" * 64, prefix="sdp_e")
    job = start_job(users.gangnam, "tests.core.jobfuncs.explode", title="boom",
                    district=users.gangnam.district, reason="video has 0 fps")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "ValueError: video has 0 fps"
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert AuditLog.objects.filter(model="job", object_id=str(job.pk), action="create").exists()


@pytest.mark.django_db
def test_job_page_shows_failure_reason_and_progress(users, as_user):
    job = start_job(users.gangnam, "tests.core.jobfuncs.explode", title="boom",
                    district=users.gangnam.district, reason="zero-length upload")
    body = as_user("gangnam").get(f"/jobs/{job.pk}/").content.decode()
    assert "zero-length upload" in body and "실패" in body
    fragment = as_user("gangnam").get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in fragment.content  # finished jobs stop polling


@pytest.mark.django_db
def test_unknown_job_function_fails_cleanly(users):
    job = start_job(users.admin, "seoul_digital.nowhere.fn", title="missing")
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "No module named" in job.error
