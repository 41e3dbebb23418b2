"""Demo records for the siting app (idempotent; works without ../shared via synthetic data)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Iterator

DEMO_RUNS = (
    ("gangnam", "11680", {}, "[데모] 강남구 권장 개수"),
    ("seocho", "11650", {"count": 30}, "[데모] 서초구 30개소"),
    ("gwanak", "11620", {"budget_krw": 750_000_000}, "[데모] 관악구 예산 7.5억 원"),
)


def load() -> Iterator[str]:
    from django.contrib.auth import get_user_model

    from seoul_digital.core.models import District
    from seoul_digital.core.services import do_create
    from seoul_digital.siting import jobs
    from seoul_digital.siting.data import data_dir_for
    from seoul_digital.siting.models import OverviewSnapshot, SitingRun

    User = get_user_model()
    for username, code, params, title in DEMO_RUNS:
        district = District.objects.get(code=code)
        if SitingRun.objects.filter(district=district, title=title, state=SitingRun.State.SUCCEEDED).exists():
            yield f"{title}: 이미 있음"
            continue
        user = User.objects.filter(username=username).first()
        root, synthetic = data_dir_for(code)
        mode = "count" if "count" in params else "budget" if "budget_krw" in params else "knee"
        run = do_create(user, SitingRun, district=district, created_by=user, title=title, mode=mode,
                        parameters={"radius": 50.0, **params}, check=False)
        jobs.run_siting(None, lambda *a, **k: None, run_id=run.pk)
        run.refresh_from_db()
        yield (f"{title}: {run.summary['count']}개소, 커버율 {run.summary['coverage_before']:.1%} → "
               f"{run.summary['coverage_after']:.1%} ({'합성 자료' if synthetic else '서울 공공데이터'})")
    if not OverviewSnapshot.objects.exists():
        admin = User.objects.filter(username="admin").first()
        jobs.refresh_overview(SimpleNamespace(user=admin), lambda *a, **k: None)
        yield "서울 자치구 비교: 계산함"
    else:
        yield "서울 자치구 비교: 이미 있음"
