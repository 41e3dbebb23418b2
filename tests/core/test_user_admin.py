import pytest

from seoul_digital.core.models import AuditLog, User


@pytest.mark.django_db
def test_admin_creates_district_officer_who_sees_own_district(as_user, districts):
    response = as_user("admin").post("/users/new/", {
        "username": "jongno", "last_name": "종로구", "first_name": "담당", "role": "district_officer",
        "district": "", "password": "a-Long-enough-pass-2021", "is_active": "on"})
    assert response.status_code == 200
    assert "자치구 담당자는 소속 자치구가 있어야 합니다." in response.content.decode()
    assert not User.objects.filter(username="jongno").exists()

    jongno = districts.gangnam.__class__.objects.get(code="11110")
    response = as_user("admin").post("/users/new/", {
        "username": "jongno", "role": "district_officer", "district": jongno.pk,
        "password": "a-Long-enough-pass-2021", "is_active": "on"})
    assert response.status_code == 302
    account = User.objects.get(username="jongno")
    assert account.district == jongno and account.check_password("a-Long-enough-pass-2021")
    entry = AuditLog.objects.get(action="create", model="user", object_id=str(account.pk))
    assert entry.username == "admin" and "password" not in entry.after


@pytest.mark.django_db
def test_weak_password_is_refused(as_user):
    response = as_user("admin").post("/users/new/", {
        "username": "weak", "role": "staff", "password": "1234", "is_active": "on"})
    assert response.status_code == 200 and not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_admin_moves_officer_and_change_is_audited(as_user, users, districts):
    response = as_user("admin").post(f"/users/{users.gwanak.pk}/", {
        "username": "ignored", "role": "district_officer", "district": districts.seocho.pk,
        "is_active": "on"})
    assert response.status_code == 302
    users.gwanak.refresh_from_db()
    assert users.gwanak.username == "gwanak" and users.gwanak.district == districts.seocho
    entry = AuditLog.objects.get(action="update", model="user", object_id=str(users.gwanak.pk))
    assert entry.before["district_id"] == districts.gwanak.pk
    assert entry.after["district_id"] == districts.seocho.pk


@pytest.mark.django_db
def test_admin_cannot_lock_themselves_out(as_user, users):
    response = as_user("admin").post(f"/users/{users.admin.pk}/", {
        "username": "admin", "role": "staff", "is_active": "on"})
    assert response.status_code == 200
    users.admin.refresh_from_db()
    assert users.admin.role == "admin"
