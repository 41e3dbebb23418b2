"""Access cases for the quality app (see tests/access/registry.py).

Besides the standard users every case names ``supporter``: the demo supporter account is
the Data Supporter assigned to the 강남구 dataset built here, so it must get in; the 서초구
officer is the outsider. ``staff`` runs the data programme (reviewer); ``edu`` is foundation
staff of another programme: may look, may not change. POST cases send data the views refuse without writing (or writes
that leave the world as it was), so the case checks who gets through the door.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access.registry import Case, api, page

VIEWERS = dict(admin=200, staff=200, gangnam=200, seocho=404, supporter=200, edu=200)
WORKERS = dict(admin=200, staff=200, gangnam=200, seocho=404, supporter=200, edu=404)
FOUNDATION = dict(admin=200, staff=200, gangnam=404, seocho=404, supporter=404, edu=404)
EDITORS = dict(admin=200, staff=200, gangnam=200, seocho=404, supporter=404, edu=404)
POST_VIEWERS = {k: (302 if v == 200 else v) for k, v in VIEWERS.items()}
POST_WORKERS = {k: (302 if v == 200 else v) for k, v in WORKERS.items()}
POST_FOUNDATION = {k: (302 if v == 200 else v) for k, v in FOUNDATION.items()}
CSV = "관리번호,인허가일자,전화번호\nA1,20200101,02-123-4567\nA2,2020-02-30,021234567\n"


def build(world):
    from django.core.files.base import ContentFile

    from seoul_digital.quality import services
    from seoul_digital.quality.models import Dataset

    admin, gangnam = world.users.admin, world.districts.gangnam
    world.q_dataset = services.do_create_dataset(admin, name="강남구 가상 인허가", provider="강남구",
                                                 district=gangnam)
    world.q_assignment = services.do_assign(admin, world.q_dataset, world.users.supporter)
    world.q_version = services.do_upload_version(admin, world.q_dataset,
                                                 ContentFile(CSV.encode("cp949"), name="licences.csv"),
                                                 start=False)
    services.run_check(world.q_version)
    world.q_city = Dataset.objects.create(name="서울시 전체 가상 데이터", provider="서울특별시")


def ds(w):
    return {"pk": w.q_dataset.pk}


def ver(w):
    return {"pk": w.q_version.pk}


def upload(_w):
    return {"file": SimpleUploadedFile("v.csv", CSV.encode("utf-8"), content_type="text/csv"),
            "note": "access"}


CASES = [
    page("quality:index", supporter=200, edu=200),
    page("quality:dataset_create", gangnam=404, seocho=404, supporter=404, edu=404),
    page("quality:dataset_detail", kwargs=ds, **VIEWERS),
    page("quality:dataset_detail", kwargs=lambda w: {"pk": w.q_city.pk}, label="city-wide",
         **{**FOUNDATION, "edu": 200}),
    page("quality:dataset_edit", kwargs=ds, **EDITORS),
    page("quality:version_upload", kwargs=ds, **WORKERS),
    page("quality:readiness", kwargs=ds, **VIEWERS),
    page("quality:version_detail", kwargs=ver, **VIEWERS),
    page("quality:version_file", kwargs=lambda w: {"pk": w.q_version.pk, "kind": "json"}, **VIEWERS),
    Case("quality:dataset_assign", method="post", kwargs=ds, data={"supporter": "0"},
         expect={"anon": 302, **POST_FOUNDATION}),
    Case("quality:assignment_remove", method="post", kwargs=lambda w: {"pk": w.q_assignment.pk},
         data={}, expect={"anon": 302, **POST_FOUNDATION}),
    Case("quality:version_review", method="post", kwargs=ver, data={"prefix": "r0"},
         expect={"anon": 302, **POST_VIEWERS}),
    Case("quality:version_submit", method="post", kwargs=ver, data={},
         expect={"anon": 302, **POST_WORKERS}),
    Case("quality:version_decide", method="post", kwargs=ver, data={},
         expect={"anon": 302, **POST_FOUNDATION}),
    Case("quality:version_recheck", method="post", kwargs=ver, data={},
         expect={"anon": 302, **POST_WORKERS}),
    api("api:quality_datasets", supporter=200, edu=200),
    api("api:quality_dataset", kwargs=lambda w: {"dataset_id": w.q_dataset.pk}, **VIEWERS),
    api("api:quality_readiness", kwargs=lambda w: {"dataset_id": w.q_dataset.pk}, **VIEWERS),
    Case("api:quality_upload", method="post", kwargs=lambda w: {"dataset_id": w.q_dataset.pk},
         data=upload, expect={"anon": 401, "admin": 201, "staff": 201, "gangnam": 201,
                              "seocho": 404, "supporter": 201, "edu": 404}),
    api("api:quality_version", kwargs=lambda w: {"version_id": w.q_version.pk}, **VIEWERS),
    api("api:quality_report", kwargs=lambda w: {"version_id": w.q_version.pk}, **VIEWERS),
]
